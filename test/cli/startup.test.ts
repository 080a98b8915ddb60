/** --help and --version must not load the AWS SDK: they stay about as fast as a bare `node`. */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
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

const COMMANDS = ['put', 'check-policy', 'invoke', 'doctor', 'fix', 'completion'];

describe('start-up', () => {
  it.each(['--help', '--version', '-V', 'put --help', 'doctor -h'])('%s is answered without loading commander, the CLI or the SDK', async (line) => {
    const modules = await modulesLoaded(line.split(' '));
    expect(modules.some((m) => m.includes('/dist/cli/entry.cjs'))).toBe(true);
    expect(modules.filter((m) => /\/dist\/cli\/main\.js|commander|@aws-sdk|@smithy/.test(m))).toEqual([]);
  });

  it.each(['completion bash', 'check-policy --help --json', 'help'])('%s goes to the CLI, and loads no AWS SDK module', async (line) => {
    const modules = await modulesLoaded(line.split(' '));
    expect(modules.some((m) => m.includes('/dist/cli/main.js'))).toBe(true);
    expect(modules.filter((m) => /@aws-sdk|@smithy/.test(m))).toEqual([]);
  });

  it.each(['', ...COMMANDS])('the fast `weather-secrets %s --help` prints exactly what commander prints, byte for byte', async (name) => {
    const command = name ? [name] : [];
    const main = join(BIN, '..', '..', 'dist', 'cli', 'main.js');
    for (const flag of ['--help', '-h']) {
      const fast = await execa(process.execPath, [BIN, ...command, flag], { reject: false, stripFinalNewline: false });
      const full = await execa(process.execPath, [main, ...command, flag], { reject: false, stripFinalNewline: false });
      expect(fast.exitCode).toBe(0);
      expect(full.exitCode).toBe(0);
      expect(fast.stdout).toBe(full.stdout);
    }
    const version = await execa(process.execPath, [main, '--version']);
    expect((await execa(process.execPath, [BIN, '--version'])).stdout).toBe(version.stdout);
  });

  it.runIf(existsSync('/usr/bin/script'))('on a terminal: the same help at 120 columns; a 60-column one gets it wrapped to fit', async () => {
    const onTerminal = async (columns: number, target: string) => (await execa('script', ['-qc', `stty cols ${columns}; "${process.execPath}" "${target}" invoke --help`, '/dev/null'], { reject: false })).stdout;
    const main = join(BIN, '..', '..', 'dist', 'cli', 'main.js');
    expect(await onTerminal(120, BIN)).toBe(await onTerminal(120, main));
    // Commander wraps the description to the narrower terminal (option rows too wide to wrap stay whole).
    const narrow = (await onTerminal(60, BIN)).split(/\r?\n/);
    const start = narrow.findIndex((l) => l.startsWith('Usage:')) + 2;
    const description = narrow.slice(start, narrow.indexOf('', start));
    expect(narrow.find((l) => l.startsWith('Usage: weather-secrets invoke'))).toBeDefined();
    expect(description.length).toBeGreaterThan(1);
    for (const line of description) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('exits 0 for --help and --version, 2 for an unknown option', async () => {
    expect((await execa(process.execPath, [BIN, '--help'], { reject: false })).exitCode).toBe(0);
    expect((await execa(process.execPath, [BIN, '--version'], { reject: false })).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = await execa(process.execPath, [BIN, 'put', '--no-such-option'], { reject: false, stdin: 'ignore' });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("unknown option '--no-such-option'");
  });

  it('--help into a pipe its reader has closed exits 0, with nothing on stderr', async () => {
    // The reader closes its end at once, so the write fails with EPIPE (as with `--help | head -0`).
    const run = await execa('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" --help | (exec 0<&-; sleep 0.2)`], { reject: false });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('an install without the CLI behind the entry (half-built) exits 3 with one line, no stack trace', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ws-broken-'));
    await mkdir(join(root, 'bin'));
    await mkdir(join(root, 'dist', 'cli'), { recursive: true });
    await copyFile(BIN, join(root, 'bin', 'weather-secrets.cjs'));
    await copyFile(join(BIN, '..', '..', 'dist', 'cli', 'entry.cjs'), join(root, 'dist', 'cli', 'entry.cjs'));
    const run = await execa(process.execPath, [join(root, 'bin', 'weather-secrets.cjs'), 'doctor'], { reject: false, stdin: 'ignore' });
    await rm(root, { recursive: true, force: true });
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^weather-secrets: cannot load the CLI from .*main\.js.*npm run build\)\.$/);
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
