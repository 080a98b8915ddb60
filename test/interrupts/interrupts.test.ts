/**
 * Interrupts and closed pipes through the built CLI: Ctrl-C during `invoke --local` stops sam even when
 * it ignores SIGINT (SIGTERM follows, then SIGKILL), removes the private temp dir, and exits 130 with
 * "Interrupted" well before the 10 s backstop; `--help | head -1` ends without an EPIPE stack trace.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { tempLeftovers } from '../support/tmpdir.js';
import { resetMoto } from '../support/moto.js';
import { makeProject, readRecord, samEnv, STANDIN_DIR } from '../invoke/invoke-fixtures.js';

beforeEach(resetMoto);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((r) => setTimeout(r, 50))) {
    const value = probe();
    if (value !== undefined) return value;
  }
  throw new Error('timed out waiting');
}

describe('Ctrl-C during invoke --local', () => {
  it.each(['slow', 'stubborn'])('sam scenario %s: sam is stopped, the temp dir removed, exit 130 "Interrupted"', async (scenario) => {
    const record = join(await mkdtemp(join(tmpdir(), 'ws-int-record-')), 'record.json');
    const tmp = await mkdtemp(join(tmpdir(), 'ws-int-tmp-'));
    const env = samEnv(STANDIN_DIR, { SAM_STANDIN_RECORD: record, SAM_STANDIN_SCENARIO: scenario, TMPDIR: tmp });
    const child = execa(process.execPath, [BIN, 'invoke', '--local'], { env, extendEnv: false, cwd: await makeProject(), reject: false, stdin: 'ignore' });
    const sam = await waitFor(() => readRecord(record));
    const eventFile = sam.argv[sam.argv.indexOf('--event') + 1]!;
    expect(existsSync(eventFile)).toBe(true);
    const started = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toMatch(/Interrupted/);
    expect(String(result.stderr)).not.toMatch(/^\s+at /m);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(isAlive(sam.pid)).toBe(false);
    expect(existsSync(dirname(eventFile))).toBe(false);
    expect(await tempLeftovers(tmp)).toEqual([]);
  });
});

describe('closed pipes', () => {
  it.each([['--help'], ['invoke', '--help'], ['--version']])('weather-secrets %s | head -1: one line, no EPIPE', async (...args) => {
    const result = await execa('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" ${args.join(' ')} | head -1`], { reject: false });
    expect(String(result.stdout).split('\n')).toHaveLength(1);
    expect(String(result.stderr)).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
