/**
 * check-policy live, end to end: the built CLI against moto, one seeded scenario per cause. Each asserts
 * the exit code, the verdict and the named cause, as a user (or a script reading --json) would.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { ACCOUNT_ID, REGION, motoEnv, resetMoto } from '../support/moto.js';
import {
  SECRET_PATTERN, allow, createCustomerKey, createFunction, createRole, createSecret, delegatingKeyPolicy, deployScenario, doc, putResourcePolicy, scheduleDeletion,
} from '../support/scenarios.js';

async function check(fn: string, extra: string[] = []) {
  const run = await runCli(['check-policy', '--function', fn, '--json', ...extra], { env: motoEnv(), cwd: '/' });
  const json = run.stdout ? JSON.parse(run.stdout) : undefined;
  return { ...run, json, codes: (json?.findings ?? []).map((f: { code: string }) => f.code) as string[] };
}

beforeEach(resetMoto);

describe('check-policy (live): the role can read the secret', () => {
  it.each([
    ['an inline policy with the -?????? pattern', { inline: { read: doc(allow(SECRET_PATTERN)) } }],
    ['a customer-managed policy attached to the role', { managed: { 'read-openweather': doc(allow(SECRET_PATTERN)) } }],
    ['a wildcard action and resource', { inline: { broad: doc(allow('*', 'secretsmanager:*')) } }],
    ['a grant next to the usual deny-without-TLS guard', { inline: { read: doc(allow(SECRET_PATTERN)), tls: doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) } }],
    ['a grant limited to the secret\'s region', { inline: { read: doc(allow(SECRET_PATTERN, 'secretsmanager:GetSecretValue', { Condition: { StringEquals: { 'aws:RequestedRegion': REGION } } })) } }],
  ])('%s: exit 0, allowed', async (_name, spec) => {
    await createSecret();
    const fn = await deployScenario(spec);
    const run = await check(fn);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ schemaVersion: 1, verdict: 'allowed', method: 'live', identityEvaluation: 'evaluator', secret: { id: 'openweatherapi', source: 'environment variable SECRET_NAME' } });
    expect(run.codes).toContain('simulation-unavailable');
  });

  it('an exact ARN (what !Ref gives) is allowed', async () => {
    const arn = await createSecret();
    const run = await check(await deployScenario({ inline: { exact: doc(allow(arn)) } }));
    expect(run.exitCode).toBe(0);
    expect(run.json.deciding).toMatchObject({ effect: 'Allow', policyName: 'exact' });
  });

  it('prints the chain and the verdict for a human', async () => {
    await createSecret();
    const fn = await deployScenario({ inline: { read: doc(allow(SECRET_PATTERN)) } });
    const run = await runCli(['check-policy', '--function', fn], { env: motoEnv(), cwd: '/' });
    expect(run.stdout).toMatch(/✓ identity policies/);
    expect(run.stdout).toMatch(/ALLOWED/);
    expect(run.stdout).toMatch(/decided by: Allow in inline policy read/);
  });
});

describe('check-policy (live): each cause is named', () => {
  it.each([
    ['no policy at all', 'no-grant', {}],
    ['an ARN without the suffix', 'arn-missing-suffix', { inline: { p: doc(allow(`arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:openweatherapi`)) } }],
    ['the blog placeholder [xxxxxx]', 'arn-placeholder-suffix', { inline: { p: doc(allow(`arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:openweatherapi-[xxxxxx]`)) } }],
    ['a literal wrong suffix', 'arn-wrong-suffix', { inline: { p: doc(allow(`arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:openweatherapi-AbCdEf`)) } }],
    ['the wrong name', 'arn-wrong-name', { inline: { p: doc(allow(`arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:openweather-??????`)) } }],
    ['the wrong region', 'arn-wrong-region', { inline: { p: doc(allow(`arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:openweatherapi-??????`)) } }],
    ['the wrong account', 'arn-wrong-account', { inline: { p: doc(allow(`arn:aws:secretsmanager:${REGION}:210987654321:secret:openweatherapi-??????`)) } }],
    ['an explicit deny', 'explicit-deny', { inline: { read: doc(allow(SECRET_PATTERN)), guard: doc({ Sid: 'NoSecrets', Effect: 'Deny', Action: 'secretsmanager:*', Resource: '*' }) } }],
    ['a permissions boundary without secrets', 'boundary-blocks', { inline: { read: doc(allow(SECRET_PATTERN)) }, boundary: doc(allow('*', 'logs:*')) }],
  ] as const)('%s: exit 1, denied, %s', async (_name, code, spec) => {
    await createSecret();
    const run = await check(await deployScenario(spec));
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.json.verdict).toBe('denied');
    expect(run.codes[0]).toBe(code);
    expect(run.json.findings[0].fix).toBeTruthy();
  });

  it('an explicit deny names the policy and statement', async () => {
    await createSecret();
    const run = await check(await deployScenario({ inline: { read: doc(allow(SECRET_PATTERN)), guard: doc({ Sid: 'NoSecrets', Effect: 'Deny', Action: 'secretsmanager:*', Resource: '*' }) } }));
    expect(run.json.findings[0].message).toMatch(/inline policy guard.*"NoSecrets"/);
    expect(run.json.deciding).toMatchObject({ effect: 'Deny', sid: 'NoSecrets' });
  });

  it('the fix for a role not managed by a template is the IAM statement with the -?????? ARN', async () => {
    await createSecret();
    const run = await check(await deployScenario({}));
    expect(run.json.findings[0].fix).toContain(SECRET_PATTERN);
    expect(run.json.findings[0].fix).toContain('"Action": "secretsmanager:GetSecretValue"');
  });

  it("a resource policy that denies the role", async () => {
    await createSecret();
    const fn = await deployScenario({ inline: { read: doc(allow(SECRET_PATTERN)) } });
    await putResourcePolicy('openweatherapi', doc({ Sid: 'OnlyAdmins', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT_ID}:role/admin-*` } } }));
    const run = await check(fn);
    expect(run.exitCode).toBe(1);
    expect(run.codes[0]).toBe('resource-policy-denies');
    expect(run.json.findings[0].message).toContain('OnlyAdmins');
  });

  it('a customer-managed KMS key without kms:Decrypt, then with it', async () => {
    const key = await createCustomerKey(delegatingKeyPolicy);
    await createSecret('openweatherapi', undefined, key.arn);
    const denied = await check(await deployScenario({ name: 'no-decrypt', inline: { read: doc(allow(SECRET_PATTERN)) } }));
    expect(denied.exitCode).toBe(1);
    expect(denied.codes[0]).toBe('kms-decrypt-missing');
    expect(denied.json.findings[0].fix).toContain('kms:Decrypt');
    expect(denied.json.secret.kmsKey).toBe(key.arn);

    const fn = await createFunction(await createRole({ name: 'with-decrypt', inline: { read: doc(allow(SECRET_PATTERN), allow(key.arn, 'kms:Decrypt')) } }), { name: 'with-decrypt-fn' });
    expect((await check(fn)).exitCode).toBe(0);
  });

  it('a secret scheduled for deletion', async () => {
    await createSecret();
    await scheduleDeletion('openweatherapi');
    const run = await check(await deployScenario({ inline: { read: doc(allow(SECRET_PATTERN)) } }));
    expect(run.exitCode).toBe(1);
    expect(run.codes).toContain('secret-scheduled-for-deletion');
  });

  it('a secret the function names but that does not exist: names it, the region, and close names', async () => {
    await createSecret('openweather-api');
    const run = await check(await deployScenario({ inline: { read: doc(allow(SECRET_PATTERN)) } }, { SECRET_NAME: 'openweatherapi' }));
    expect(run.exitCode).toBe(1);
    expect(run.codes).toEqual(['secret-not-found']);
    expect(run.json.findings[0].message).toMatch(/No secret "openweatherapi" \(from environment variable SECRET_NAME\) exists in eu-central-1\. Close names there: openweather-api/);
  });

  it('--secret-id wins over the environment, and the output says so', async () => {
    await createSecret('other-secret');
    const run = await check(await deployScenario({ inline: { read: doc(allow(SECRET_PATTERN)) } }), ['--secret-id', 'other-secret']);
    expect(run.json.secret).toMatchObject({ id: 'other-secret', source: '--secret-id' });
    expect(run.codes[0]).toBe('arn-wrong-name');
  });
});

describe('check-policy (live): bad input and environment', () => {
  it('an unknown function exits 2 and lists the functions that exist', async () => {
    await deployScenario({});
    const run = await runCli(['check-policy', '--function', 'no-such-fn'], { env: motoEnv(), cwd: '/' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('No function no-such-fn in eu-central-1');
    expect(run.stderr).toContain('openweather-demo-WeatherFunction-XYZ789');
  });

  it('an unreachable endpoint exits 3', async () => {
    const run = await runCli(['check-policy', '--function', 'x', '--endpoint-url', 'http://127.0.0.1:9'], { env: motoEnv(), cwd: '/' });
    expect(run.exitCode).toBe(3);
  });

  it('a condition the evaluator cannot decide is undetermined, exit 3, never a guessed allow', async () => {
    await createSecret();
    const run = await check(await deployScenario({ inline: { read: doc(allow(SECRET_PATTERN, 'secretsmanager:GetSecretValue', { Condition: { IpAddress: { 'aws:SourceIp': '52.0.0.0/8' } } })) } }));
    expect(run.exitCode).toBe(3);
    expect(run.json.verdict).toBe('undetermined');
    expect(run.codes).toContain('undetermined');
  });
});

describe('check-policy loads only the clients it needs', () => {
  it('a secret with the AWS managed key and no template: no KMS or CloudFormation adapter is loaded', async () => {
    const { execa } = await import('execa');
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { BIN } = await import('../support/cli.js');
    await createSecret();
    const fn = await deployScenario({ inline: { read: doc(allow(SECRET_PATTERN)) } });
    const trace = join(await mkdtemp(join(tmpdir(), 'ws-trace-')), 'modules.txt');
    const hook = join(import.meta.dirname, '..', 'support', 'trace-imports.mjs');
    const run = await execa(process.execPath, ['--import', hook, BIN, 'check-policy', fn], { env: { ...motoEnv(), TRACE_IMPORTS_FILE: trace }, extendEnv: false, reject: false, cwd: '/' });
    expect(run.exitCode, run.stderr).toBe(0);
    const modules = await readFile(trace, 'utf8');
    expect(modules).toContain('/dist/aws/iam.js');
    expect(modules).not.toContain('/dist/aws/kms.js');
    expect(modules).not.toContain('/dist/aws/cloudformation.js');
  });
});

describe('check-policy: a function ARN from another region', () => {
  it('is a usage error that names the region to use', async () => {
    const run = await runCli(['check-policy', 'arn:aws:lambda:us-west-2:123456789012:function:weather'], { env: motoEnv(), cwd: '/' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--region us-west-2');
  });
});
