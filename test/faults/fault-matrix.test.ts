/**
 * Every command that talks to AWS, against every fault the proxy injects (test/support/fault-proxy.ts),
 * through the built CLI: each run ends (no hang), exits 3, names what failed on one error line with no
 * stack trace, and never shows the secret. Timeouts are set low through the documented settings
 * (WEATHER_SECRETS_REQUEST_TIMEOUT_MS, AWS_MAX_ATTEMPTS) so a stall costs well under a second per try.
 *
 * The matrix printed at the end (command × fault → exit/code) is the one the issue asks for.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allOutput, runCli } from '../support/cli.js';
import { FAULTS, startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy.js';
import { motoEndpoint, motoEnv, resetMoto } from '../support/moto.js';
import { CANARY, configureMotoLambda, deployFunction, ECHO_SAM_DIR, makeProject, seedSecret } from '../invoke/invoke-fixtures.js';

let proxy: FaultProxy;
const matrix: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(async () => {
  await proxy.close();
  const faults = [...FAULTS];
  const lines = [`| command | ${faults.join(' | ')} |`, `|---|${faults.map(() => '---').join('|')}|`];
  for (const [command, row] of Object.entries(matrix)) lines.push(`| ${command} | ${faults.map((f) => row[f] ?? '-').join(' | ')} |`);
  const out = process.env.FAULT_MATRIX_FILE;
  if (out) writeFileSync(out, `${lines.join('\n')}\n`);
});
beforeEach(async () => {
  proxy.set([]);
  await resetMoto();
  await configureMotoLambda();
  await seedSecret();
  await deployFunction('weather');
});

interface CommandCase {
  name: string;
  args: string[];
  input?: string;
  project?: boolean;
  env?: Record<string, string>;
}

const COMMANDS: CommandCase[] = [
  { name: 'put', args: ['put', '--key', 'OTHER_KEY'], input: 'CANARY-new-value-77aa' },
  { name: 'check-policy', args: ['check-policy', '--function', 'weather'] },
  { name: 'invoke --remote', args: ['invoke', '--remote', 'weather', '--secret-id', 'openweatherapi'] },
  { name: 'doctor', args: ['doctor', 'weather'], project: true },
  // Its only AWS call is the secret, for masking: a fault there withholds the output (fail closed).
  { name: 'invoke --local', args: ['invoke', '--local'], project: true, env: { PATH: `${ECHO_SAM_DIR}:${process.env.PATH}`, SAM_ECHO_STDOUT: JSON.stringify({ key: CANARY }), SAM_ECHO_STDERR: `loaded ${CANARY}\n` } },
];

function faultEnv(): Record<string, string> {
  return motoEnv({
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_MAX_ATTEMPTS: '2',
    WEATHER_SECRETS_REQUEST_TIMEOUT_MS: '400',
    WEATHER_SECRETS_INVOKE_TIMEOUT_MS: '400',
    WEATHER_SECRETS_DEADLINE_MS: '20000',
  });
}

describe.each(COMMANDS)('$name under faults', (command) => {
  it.each(FAULTS.filter((f) => f !== 'lose-answer'))('%s on every request: exit 3, one line naming the failure, no stack, no secret', async (fault: Fault) => {
    proxy.set([{ fault }]);
    const cwd = command.project ? await makeProject() : await mkdtemp(join(tmpdir(), 'ws-fault-'));
    const started = Date.now();
    const run = await runCli(command.args, { env: { ...faultEnv(), ...command.env }, cwd, input: command.input, timeout: 25_000 });
    const elapsed = Date.now() - started;
    // doctor reports a failed AWS call as its root cause, beside the checks it could still make.
    const errorLine = allOutput(run).split('\n').find((l) => l.startsWith('error:') || l.startsWith('Root cause:')) ?? '';
    matrix[command.name] ??= {};
    matrix[command.name]![fault] = `${run.exitCode} ${/(no answer in time|throttled|Cannot reach [^)]*\)|rejected|failed: \w+|not a valid AWS response|withheld)/.exec(errorLine || run.stdout)?.[0] ?? ''}`.trim();
    if (command.name === 'invoke --local' || (command.name === 'invoke --remote' && fault === 'invalid-body')) {
      // Invoke's payload is the function's own bytes: HTML is a valid answer. The secret could not be
      // read (its answer was HTML too), so the output is withheld.
      expect(run.stdout).toContain('withheld');
      expect(run.stdout).not.toContain('captive portal');
      return;
    }
    // doctor too: it could not check (exit 3); nothing it could check failed.
    expect(run.exitCode, allOutput(run)).toBe(3);
    expect(errorLine, run.stderr).not.toBe('');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain('unexpected failure');
    expect(allOutput(run)).not.toContain(CANARY);
    expect(allOutput(run)).not.toContain('CANARY-new-value-77aa');
    expect(elapsed).toBeLessThan(20_000);
    if (fault === 'stall') expect(errorLine).toMatch(/timed out|no answer in time/);
    if (fault === 'throttle') expect(errorLine).toMatch(/throttled/);
  });
});

describe('retry settings are the SDK user\'s', () => {
  it('AWS_MAX_ATTEMPTS is honoured (not a hard-coded 3)', async () => {
    for (const attempts of ['1', '4']) {
      proxy.set([{ fault: 'unavailable' }]);
      const run = await runCli(['check-policy', '--function', 'weather'], { env: { ...faultEnv(), AWS_MAX_ATTEMPTS: attempts }, cwd: '/' });
      expect(run.exitCode).toBe(3);
      const first = proxy.seen[0]!;
      expect(proxy.seen.filter((s) => s === first)).toHaveLength(Number(attempts));
    }
  });

  it('a throttled request that then succeeds is retried quietly', async () => {
    proxy.set([{ fault: 'throttle', times: 1 }]);
    const run = await runCli(['check-policy', '--function', 'weather', '--json'], { env: { ...faultEnv(), AWS_MAX_ATTEMPTS: '3' }, cwd: '/' });
    expect([0, 1]).toContain(run.exitCode);
    expect(JSON.parse(run.stdout).command).toBe('check-policy');
  });
});

describe('the overall deadline', () => {
  it('names the request that was still waiting', async () => {
    proxy.set([{ fault: 'stall', match: (r) => r.operation === 'DescribeSecret' }]);
    const env = { ...faultEnv(), WEATHER_SECRETS_REQUEST_TIMEOUT_MS: '60000', WEATHER_SECRETS_DEADLINE_MS: '1500' };
    const started = Date.now();
    const run = await runCli(['put'], { env, cwd: '/', input: 'CANARY-new-value-77aa', timeout: 20_000 });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/put did not finish within 1\.5 s; still waiting for Secrets Manager DescribeSecret/);
    expect(Date.now() - started).toBeLessThan(12_000);
  });
});
