/**
 * Fail closed: when the secret cannot be read for masking (denied, throttled, stalled, ...), an invoke
 * reports how the run ended but withholds the function's payload and logs, says why, and shows them only
 * with --no-redact. GetSecretValue is failed by the fault proxy; everything else reaches moto.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { motoEndpoint, resetMoto } from '../support/moto.js';
import { CANARY, configureMotoLambda, deployFunction, ECHO_SAM_DIR, makeProject, queueMotoPayloads, samEnv, seedSecret } from './invoke-fixtures.js';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(() => proxy.close());
beforeEach(async () => {
  await resetMoto();
  await configureMotoLambda();
  await seedSecret();
  await deployFunction('weather');
  proxy.set([{ fault: 'throttle', match: (r) => r.operation === 'GetSecretValue' }]);
});

const env = (extra: Record<string, string> = {}) =>
  samEnv(ECHO_SAM_DIR, { AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '1', SAM_ECHO_STDOUT: JSON.stringify({ key: CANARY }), SAM_ECHO_STDERR: `loaded ${CANARY}\n`, ...extra });

describe.each([
  ['invoke --remote', ['invoke', '--remote', 'weather']],
  ['invoke --local', ['invoke', '--local']],
])('%s with the secret unreadable', (_name, args) => {
  it('withholds payload and logs and says why', async () => {
    await queueMotoPayloads(JSON.stringify({ key: CANARY }));
    const run = await runCli([...args, '--json'], { env: env(), cwd: await makeProject() });
    expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY);
    const doc = JSON.parse(run.stdout);
    expect(doc.payload).toBeUndefined();
    expect(doc.logTail).toBeUndefined();
    expect(doc.redaction).toMatchObject({ applied: false, withheld: true, secretId: expect.any(String) });
    expect(doc.redaction.reason).toMatch(/could not be read/);
    expect(run.stderr).toMatch(/withheld\. Pass --no-redact/);
  });

  it('shows them with --no-redact', async () => {
    await queueMotoPayloads(JSON.stringify({ key: CANARY }));
    const run = await runCli([...args, '--no-redact'], { env: env(), cwd: await makeProject() });
    expect(run.stdout).toContain(CANARY);
  });
});

it('invoke --remote: a CloudFormation error is that error, not "no deployed function"', async () => {
  proxy.set([{ fault: 'server-error', match: (r) => r.service === 'cloudformation' }]);
  const run = await runCli(['invoke', '--remote', '--stack-name', 'weather'], { env: env(), cwd: await makeProject() });
  expect(run.exitCode).toBe(3);
  expect(run.stderr).toMatch(/CloudFormation .*InternalFailure/);
  expect(run.stderr).not.toMatch(/no deployed function/);
});
