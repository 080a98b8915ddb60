/**
 * Choosing how --as-deployed-role gets its credentials, with fakes of the adapters: STS answers
 * AccessDenied for a role that does not trust the caller (as AWS does; moto never does), IAM returns
 * the role's policies and trust policy.
 */
import { describe, expect, it } from 'vitest';
import type { IamApi, RolePolicies } from '../../src/aws/iam.js';
import type { LambdaApi } from '../../src/aws/lambda.js';
import type { SessionPolicyInput, StsApi } from '../../src/aws/sts.js';
import { collectingReporter } from '../../src/core/reporter.js';
import { assumeDeployedRole, type ViaRole } from '../../src/invoke/deployed-role.js';
import { chooseViaRole } from '../../src/invoke/via-role.js';

const ROLE = 'arn:aws:iam::123456789012:role/weather-role';
const CREDS = { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't' };
const lambda: LambdaApi = {
  getFunctionConfiguration: async (name) => ({ name, arn: `arn:aws:lambda:eu-central-1:123456789012:function:${name}`, role: ROLE, environment: {} }),
  invoke: async () => ({ statusCode: 200, payload: '{}' }),
  listFunctionNames: async () => [],
};

function sts(caller: string, calls: Array<{ op: string; arn?: string; policies?: SessionPolicyInput }>, directOk = false): StsApi {
  return {
    getCallerIdentity: async () => ({ account: '123456789012', arn: caller, userId: 'U' }),
    assumeRole: async (arn, _name, policies) => {
      calls.push({ op: 'AssumeRole', arn, ...(policies && { policies }) });
      return arn === ROLE && !directOk ? { ok: false, denied: true, message: 'not authorized to perform: sts:AssumeRole' } : { ok: true, credentials: CREDS };
    },
    getFederationToken: async (_name, policies) => {
      calls.push({ op: 'GetFederationToken', policies });
      return { ok: true, credentials: CREDS };
    },
    currentCredentials: async () => undefined,
  };
}

const policies = (trust: RolePolicies['trustPolicy']): IamApi => ({
  getRolePolicies: async () => ({
    roleName: 'weather-role', roleArn: ROLE, trustPolicy: trust,
    identity: [{ name: 'P0', kind: 'identity', source: 'inline', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] } }],
  }),
  simulate: async () => ({ available: false, reason: 'n/a' }),
});
const ACCOUNT_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] };
const LAMBDA_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

describe('assumeDeployedRole', () => {
  it('a role that trusts the account and lets you in: the role itself, exact, no limits', async () => {
    const calls: Array<{ op: string; arn?: string }> = [];
    const role = await assumeDeployedRole('weather', { lambda, sts: sts('arn:aws:sts::123456789012:assumed-role/Dev/jane', calls, true), iam: async () => policies(ACCOUNT_TRUST), reporter: collectingReporter() });
    expect(role).toMatchObject({ method: 'assume-role', roleArn: ROLE, limits: [] });
    expect(calls).toEqual([{ op: 'AssumeRole', arn: ROLE }]);
  });

  it('trust admits the account but STS denies you: emulated on the via role, with the policies', async () => {
    const calls: Array<{ op: string; arn?: string; policies?: SessionPolicyInput }> = [];
    const s = sts('arn:aws:sts::123456789012:assumed-role/Dev/jane', calls);
    const viaRole: ViaRole = { arn: 'arn:aws:iam::123456789012:role/Dev', source: '--via-role', sts: async () => s };
    const role = await assumeDeployedRole('weather', { lambda, sts: s, iam: async () => policies(ACCOUNT_TRUST), reporter: collectingReporter(), viaRole });
    expect(calls.map((c) => c.arn)).toEqual([ROLE, 'arn:aws:iam::123456789012:role/Dev']);
    expect(JSON.parse(calls[1]!.policies!.policy!).Statement[0].Action).toBe('secretsmanager:GetSecretValue');
    expect(role).toMatchObject({ method: 'session-policy', via: 'arn:aws:iam::123456789012:role/Dev', env: { AWS_ACCESS_KEY_ID: 'ASIA', AWS_SESSION_TOKEN: 't' } });
    expect(role.limits.length).toBeGreaterThan(2);
  });

  it('a role session without --via-role cannot be emulated: exit 3 naming --via-role and the trust statement', async () => {
    const calls: Array<{ op: string }> = [];
    const error = await assumeDeployedRole('weather', { lambda, sts: sts('arn:aws:sts::123456789012:assumed-role/Dev/jane', calls), iam: async () => policies(LAMBDA_TRUST), reporter: collectingReporter() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 3, code: 'deployed-role-not-assumable' });
    expect((error as { hint: string }).hint).toContain('--via-role');
    expect(calls).toEqual([]); // the trust policy already said no: STS was not asked
  });
});

describe('chooseViaRole', () => {
  const aws = { region: 'eu-central-1', profile: 'dev' };
  it.each([
    ['--via-role wins', 'arn:aws:iam::1:role/Flag', { roleArn: 'arn:aws:iam::1:role/Profile', sourceProfile: 'base' }, 'arn:aws:iam::1:role/Flag', 'dev'],
    ["the profile's role_arn, assumed with its source_profile", undefined, { roleArn: 'arn:aws:iam::1:role/Profile', sourceProfile: 'base' }, 'arn:aws:iam::1:role/Profile', 'base'],
  ])('%s', async (_, flag, fromProfile, arn, stsProfile) => {
    const made: Array<string | undefined> = [];
    const via = chooseViaRole(flag, fromProfile, 'dev', aws, async (config) => {
      made.push(config.profile);
      return {} as StsApi;
    });
    expect(via?.arn).toBe(arn);
    await via!.sts();
    expect(made).toEqual([stsProfile]);
  });

  it('nothing to go through: undefined', () => {
    expect(chooseViaRole(undefined, undefined, undefined, aws, async () => ({}) as StsApi)).toBeUndefined();
  });
});

describe('withRoleAwareNextStep', () => {
  it('a denial under the deployed role points at the role\'s fix, not at your own credentials', async () => {
    const { withRoleAwareNextStep } = await import('../../src/invoke/local.js');
    const denied = { classification: { code: 'secret-access-denied' as const, summary: 's', nextStep: 'Locally, sam runs the function with YOUR credentials' } };
    const role = { roleArn: ROLE, env: {}, credentials: CREDS, method: 'session-policy' as const, limits: [] };
    expect(withRoleAwareNextStep(denied, role).classification.nextStep).toMatch(/emulated with session policies\), so the deployed function is denied too/);
    expect(withRoleAwareNextStep(denied, undefined)).toBe(denied);
  });
});

describe('profileRole', () => {
  it("reads the profile's role_arn and source_profile from the AWS config file", async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { profileRole } = await import('../../src/invoke/via-role.js');
    const file = join(await mkdtemp(join(tmpdir(), 'ws-aws-config-')), 'config');
    await writeFile(file, '[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/Developer\nsource_profile = base\n[profile base]\nregion = eu-central-1\n');
    const saved = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = file;
    try {
      expect(await profileRole('dev')).toEqual({ roleArn: 'arn:aws:iam::123456789012:role/Developer', sourceProfile: 'base' });
      expect(await profileRole('base')).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved;
    }
  });
});
