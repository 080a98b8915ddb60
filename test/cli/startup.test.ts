/** --help and --version must not load the AWS SDK: they stay about as fast as a bare `node`. */
import { execa } from 'execa';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';

async function modulesLoaded(args: string[]): Promise<string[]> {
  const file = join(await mkdtemp(join(tmpdir(), 'ws-trace-')), 'modules.txt');
  const hook = join(import.meta.dirname, '..', 'support', 'trace-imports.mjs');
  const run = await execa(process.execPath, ['--import', hook, BIN, ...args], {
    env: { TRACE_IMPORTS_FILE: file, AWS_REGION: 'eu-central-1', AWS_CONFIG_FILE: '/dev/null' },
    reject: false,
    stdin: 'ignore',
  });
  expect(run.stdout.length).toBeGreaterThan(0);
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
}

describe('start-up', () => {
  it.each([['--help'], ['--version'], ['put', '--help'], ['doctor', '--help'], ['completion', 'bash']])('%s loads no AWS SDK module', async (...args) => {
    const modules = await modulesLoaded(args);
    expect(modules.some((m) => m.includes('/dist/cli/main.js'))).toBe(true);
    expect(modules.filter((m) => /@aws-sdk|@smithy/.test(m))).toEqual([]);
  });

  it('exits 0 for --help and --version, 2 for an unknown option', async () => {
    expect((await execa(process.execPath, [BIN, '--help'], { reject: false })).exitCode).toBe(0);
    expect((await execa(process.execPath, [BIN, '--version'], { reject: false })).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = await execa(process.execPath, [BIN, 'put', '--no-such-option'], { reject: false, stdin: 'ignore' });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("unknown option '--no-such-option'");
  });

  it('--help documents the exit codes', async () => {
    const help = await execa(process.execPath, [BIN, '--help']);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*130\s+interrupted/);
  });
});

describe('usage errors', () => {
  it('never echo an option value, even for a misspelt --value', async () => {
    for (const arg of ['--valu=CANARY-argv-77', '--val=CANARY-argv-77', '--secret=CANARY-argv-77']) {
      const run = await execa(process.execPath, [BIN, 'put', arg], { reject: false, stdin: 'ignore' });
      expect(run.exitCode).toBe(2);
      expect(run.stderr + run.stdout).not.toContain('CANARY-argv-77');
    }
  });

  it('with --json, a usage error is still one JSON document on stdout', async () => {
    const run = await execa(process.execPath, [BIN, 'check-policy', '--json', '--bogus'], { reject: false, stdin: 'ignore' });
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ schemaVersion: 1, command: 'check-policy', error: { code: 'usage', message: "unknown option '--bogus'" } });
  });
});
