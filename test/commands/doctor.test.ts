/**
 * doctor end to end against moto: for each seeded broken scenario it names the failing link (role,
 * action, secret) and the fix; on a healthy deployment it is all green.
 */
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { allOutput, runCli } from '../support/cli.js';
import { motoClientConfig, motoEnv, resetMoto } from '../support/moto.js';
import { SECRET_PATTERN, allow, createSecret, deployStack, doc, scheduleDeletion } from '../support/scenarios.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'openweather');
const CANARY = 'CANARY-doctor-9b8e7f';

async function exampleProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-doctor-'));
  await cp(join(EXAMPLE, 'template.yaml'), join(dir, 'template.yaml'));
  await cp(join(EXAMPLE, 'samconfig.toml'), join(dir, 'samconfig.toml'));
  return dir;
}

/** The example with the read policy added, as `fix --write` would leave it. */
async function fixedProject(): Promise<string> {
  const dir = await exampleProject();
  const { readFileSync } = await import('node:fs');
  await writeFile(join(dir, 'template.yaml'), readFileSync(join(dir, 'template.yaml'), 'utf8').replace(
    /(\n\s+Policies:\n)/,
    `$1        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: !Sub "arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-??????"\n`,
  ));
  return dir;
}

async function doctor(dir: string, args: string[] = []) {
  const run = await runCli(['doctor', '--json', ...args], { env: motoEnv(), cwd: dir });
  const json = JSON.parse(run.stdout);
  const status = Object.fromEntries(json.checks.map((c: { id: string; status: string }) => [c.id, c.status]));
  return { ...run, json, status };
}

const readable = { WeatherFunctionRolePolicy0: doc(allow(SECRET_PATTERN)) };

beforeEach(resetMoto);

describe('doctor', () => {
  it('is all green on a healthy deployment, exit 0', async () => {
    await createSecret('openweatherapi', { OPENWEATHER_API_KEY: CANARY });
    await deployStack({ rolePolicies: readable });
    const run = await doctor(await fixedProject());
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.json.ok).toBe(true);
    expect(run.status).toMatchObject({ caller: 'pass', config: 'pass', template: 'pass', 'static-policy': 'pass', function: 'pass', environment: 'pass', secret: 'pass', 'secret-deletion': 'pass', 'secret-shape': 'pass', permissions: 'pass', network: 'pass' });
    expect(allOutput(run)).not.toContain(CANARY);
  });

  it('the broken example: names the role, the action and the secret, and the SAM fix', async () => {
    await createSecret();
    await deployStack();
    const run = await doctor(await exampleProject());
    expect(run.exitCode).toBe(1);
    expect(run.json.rootCause.check).toBe('permissions');
    const permissions = run.json.checks.find((c: { id: string }) => c.id === 'permissions');
    expect(permissions.detail).toMatchObject({ action: 'secretsmanager:GetSecretValue', role: expect.stringContaining('WeatherFunctionRole'), secret: expect.stringContaining(':secret:openweatherapi-') });
    expect(run.json.fix).toContain('AWSSecretsManagerGetSecretValuePolicy');
    expect(run.status['static-policy']).toBe('fail');
  });

  it('prints a checklist and the root cause for a human', async () => {
    await createSecret();
    await deployStack();
    const run = await runCli(['doctor'], { env: motoEnv(), cwd: await exampleProject() });
    expect(run.stdout).toMatch(/✓ Who am I\s+arn:aws:/);
    expect(run.stdout).toMatch(/✗ Role can read the secret/);
    expect(run.stdout).toMatch(/Root cause: No identity policy/);
    expect(run.stdout).toMatch(/Fix:\n/);
  });

  it('a secret only in another region: says where it is', async () => {
    await new SecretsManagerClient(motoClientConfig('us-east-1')).send(new CreateSecretCommand({ Name: 'openweatherapi', SecretString: '{"OPENWEATHER_API_KEY":"x"}' }));
    await deployStack({ rolePolicies: readable });
    const run = await doctor(await exampleProject());
    expect(run.exitCode).toBe(1);
    expect(run.json.rootCause.check).toBe('secret');
    expect(run.json.rootCause.message).toContain('It exists in us-east-1');
  });

  it('a secret scheduled for deletion', async () => {
    await createSecret();
    await scheduleDeletion('openweatherapi');
    await deployStack({ rolePolicies: readable });
    const run = await doctor(await exampleProject());
    expect(run.json.rootCause.check).toBe('secret-deletion');
    expect(run.json.fix).toContain('--restore');
  });

  it('a secret without the expected key: key names only, never values', async () => {
    await createSecret('openweatherapi', { WRONG_KEY: CANARY });
    await deployStack({ rolePolicies: readable });
    const run = await doctor(await exampleProject());
    expect(run.status['secret-shape']).toBe('fail');
    expect(run.json.checks.find((c: { id: string }) => c.id === 'secret-shape').summary).toContain('WRONG_KEY');
    expect(allOutput(run)).not.toContain(CANARY);
  });

  it('an environment variable in the template but not on the deployed function: not deployed yet', async () => {
    await createSecret();
    await deployStack({ rolePolicies: readable, env: { OTHER: 'x' } });
    const run = await doctor(await exampleProject());
    expect(run.status.environment).toBe('fail');
    expect(run.json.checks.find((c: { id: string }) => c.id === 'environment').summary).toMatch(/missing on the deployed function: SECRET_NAME.*not deployed yet/);
  });

  it('permissions that cannot be decided are "could not check" (exit 3), never "all good"', async () => {
    await createSecret();
    await deployStack({ rolePolicies: { WeatherFunctionRolePolicy0: doc(allow(SECRET_PATTERN, 'secretsmanager:GetSecretValue', { Condition: { IpAddress: { 'aws:SourceIp': '52.0.0.0/8' } } })) } });
    const run = await doctor(await fixedProject());
    expect(run.exitCode).toBe(3);
    expect(run.json.ok).toBe(false);
    expect(run.status.permissions).toBe('error');
  });

  it('a function that is not deployed: exit 1 with sam deploy', async () => {
    const run = await doctor(await exampleProject());
    expect(run.exitCode).toBe(1);
    expect(run.json.rootCause.check).toBe('function');
    expect(run.json.fix).toMatch(/sam deploy/);
  });

  it('an unreachable AWS endpoint with a sound template: exit 3, could not check', async () => {
    const run = await runCli(['doctor', '--json', '--endpoint-url', 'http://127.0.0.1:9'], { env: motoEnv(), cwd: await fixedProject() });
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout).checks[0]).toMatchObject({ id: 'caller', status: 'error' });
  });
});

describe('doctor --invoke', () => {
  it('runs invoke --compare: works locally (stand-in sam), fails deployed (the function reports AccessDenied)', async () => {
    const { configureMotoLambda, queueMotoPayloads, samEnv, STANDIN_DIR } = await import('../invoke/invoke-fixtures.js');
    await configureMotoLambda();
    await createSecret('openweatherapi', { OPENWEATHER_API_KEY: CANARY });
    await deployStack();
    const denied = 'An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:sts::123456789012:assumed-role/openweather-demo-WeatherFunctionRole-X/fn is not authorized to perform: secretsmanager:GetSecretValue on resource: openweatherapi because no identity-based policy allows the secretsmanager:GetSecretValue action';
    await queueMotoPayloads(JSON.stringify({ errorMessage: denied, errorType: 'ClientError' }));
    const run = await runCli(['doctor', '--invoke', '--json'], { env: samEnv(STANDIN_DIR, { SAM_STANDIN_SCENARIO: 'success' }), cwd: await exampleProject() });
    expect(run.exitCode).toBe(1);
    const invoke = JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === 'invoke');
    expect(invoke).toMatchObject({ status: 'fail', detail: { local: 'succeeded', remote: 'failed', remoteCause: 'secret-access-denied' } });
    expect(invoke.summary).toMatch(/^works locally, fails deployed: /);
    expect(allOutput(run)).not.toContain(CANARY);
  });
});
