/**
 * `put` when the compare-and-swap is cut off halfway, through the fault proxy in front of moto: the
 * weather-secrets-staging label never stays behind, the old value stays current when the write did not
 * happen, and a write whose answer was lost is reported as the update it was (confirmed by re-reading).
 */
import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../support/fault-proxy.js';
import { motoClientConfig, motoEndpoint, motoEnv, resetMoto } from '../support/moto.js';
import { seedSecret } from '../invoke/invoke-fixtures.js';

const STAGING = 'weather-secrets-staging';
const NEW_VALUE = 'CANARY-put-staging-5e6f7a8b';
let proxy: FaultProxy;
const sm = () => new SecretsManagerClient(motoClientConfig());

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(() => proxy.close());
beforeEach(async () => {
  proxy.set([]);
  await resetMoto();
  await seedSecret(JSON.stringify({ OPENWEATHER_API_KEY: 'old-value-123456' }));
});

const env = () => motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '2', WEATHER_SECRETS_REQUEST_TIMEOUT_MS: '500' });
const moveOf = (stage: string) => (r: { operation: string; body: string }) => r.operation === 'UpdateSecretVersionStage' && r.body.includes(`"VersionStage":"${stage}"`);

async function labels(): Promise<string[][]> {
  const out = await sm().send(new DescribeSecretCommand({ SecretId: 'openweatherapi' }));
  return Object.values(out.VersionIdsToStages ?? {});
}
async function current(): Promise<string> {
  const out = await sm().send(new GetSecretValueCommand({ SecretId: 'openweatherapi', VersionStage: 'AWSCURRENT' }));
  return JSON.parse(out.SecretString!).OPENWEATHER_API_KEY;
}
async function put(rules: FaultRule[]) {
  proxy.set(rules);
  return runCli(['put', '--json'], { env: env(), cwd: '/', input: NEW_VALUE });
}

describe('put cut off halfway', () => {
  it('UpdateSecretVersionStage failing persistently: exit 3, old value current, no staging label left', async () => {
    const run = await put([{ fault: 'unavailable', match: moveOf('AWSCURRENT') }]);
    expect(run.exitCode).toBe(3);
    expect(await current()).toBe('old-value-123456');
    expect((await labels()).flat()).not.toContain(STAGING);
  });

  it('every UpdateSecretVersionStage failing (the clean-up too): a warning, and the next put clears the label', async () => {
    const run = await put([{ fault: 'unavailable', match: (r) => r.operation === 'UpdateSecretVersionStage' }]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`Could not remove the ${STAGING} label`);
    expect((await labels()).flat()).toContain(STAGING);
    const next = await put([]);
    expect(next.exitCode).toBe(0);
    expect((await labels()).flat()).not.toContain(STAGING);
    expect(await current()).toBe(NEW_VALUE);
  });

  it("PutSecretValue's answer lost after it was stored: the label is removed", async () => {
    const run = await put([{ fault: 'lose-answer', match: (r) => r.operation === 'PutSecretValue' }]);
    expect([0, 3]).toContain(run.exitCode);
    expect((await labels()).flat()).not.toContain(STAGING);
  });

  it("the stage move's answer lost after it happened: reported as updated (not unchanged), after re-reading", async () => {
    const run = await put([{ fault: 'lose-answer', match: moveOf('AWSCURRENT'), times: 1 }]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'updated' });
    expect(await current()).toBe(NEW_VALUE);
    expect((await labels()).flat()).not.toContain(STAGING);
  });

  it('a stale label from an earlier crash is cleared by the next put', async () => {
    await sm().send(new PutSecretValueCommand({ SecretId: 'openweatherapi', SecretString: '{"x":"crashed-write"}', VersionStages: [STAGING] }));
    expect((await labels()).flat()).toContain(STAGING);
    const run = await put([]);
    expect(run.exitCode).toBe(0);
    expect((await labels()).flat()).not.toContain(STAGING);
  });

  it('Ctrl-C while the stage move hangs: exit 130 "Interrupted", old value current, label removed', async () => {
    proxy.set([{ fault: 'stall', match: moveOf('AWSCURRENT') }]);
    const child = execa(process.execPath, [BIN, 'put'], { env: { ...env(), WEATHER_SECRETS_REQUEST_TIMEOUT_MS: '60000' }, extendEnv: false, input: NEW_VALUE, reject: false });
    for (let i = 0; i < 200 && !proxy.seen.some((s) => s.endsWith('UpdateSecretVersionStage')); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const run = await child;
    expect(run.exitCode).toBe(130);
    expect(String(run.stderr)).toMatch(/Interrupted/);
    expect(String(run.stderr)).not.toMatch(/^\s+at /m);
    expect(await current()).toBe('old-value-123456');
    expect((await labels()).flat()).not.toContain(STAGING);
  });
});
