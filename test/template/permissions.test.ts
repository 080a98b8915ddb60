import { parseParameterOverrides as parseOverrides } from '../../src/config/parameter-overrides.js';
import { describe, expect, test } from 'vitest';
import { parseSamconfig, samconfigParameters } from '../../src/config/samconfig.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamedPolicy, PolicyStatement } from '../../src/policy/types.js';
import { expandFunctionPermissions } from '../../src/template/permissions.js';
import { FIXTURES, loadFixture } from './helpers.js';
import type { ResolveOptions } from '../../src/template/intrinsics.js';

const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const REGION = { region: 'eu-central-1' };

async function expand(name: string, options: ResolveOptions = REGION, functionId?: string) {
  const { template, ctx, fn } = await loadFixture(name, options, functionId);
  return expandFunctionPermissions(template, fn, ctx);
}

function statements(policy: NamedPolicy | undefined): PolicyStatement[] {
  const s = policy?.document.Statement;
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

function policy(policies: NamedPolicy[], name: string): NamedPolicy | undefined {
  return policies.find((p) => p.name === name);
}

describe('SAM policy templates expand to exactly what SAM deploys', () => {
  test.each<[string, string]>([
    ['blog-placeholder.yaml', 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-[xxxxxx]'],
    ['no-suffix.yaml', 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi'],
    ['wildcard-suffix.yaml', 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-??????'],
    ['similar-name.yaml', 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-staging-??????'],
    ['other-region.yaml', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:openweatherapi-AbC123'],
    ['secret-resource.yaml', '{{resource:OpenWeatherSecret}}'],
    ['long-form.json', 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-??????'],
  ])('%s → GetSecretValue on %s, nothing added', async (fixture, resource) => {
    const perms = await expand(fixture);
    expect(perms.roleDescription).toBe('SAM-generated role OpenWeatherFunctionRole');
    expect(perms.policies.map((p) => p.name)).toEqual([BASIC, 'OpenWeatherFunctionRolePolicy0']);
    expect(statements(perms.policies[1])).toEqual([{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: resource }]);
    expect(perms.undetermined).toEqual([]);
  });

  test('the source names the file, line and policy template', async () => {
    const perms = await expand('blog-placeholder.yaml');
    expect(perms.policies[1]).toMatchObject({
      kind: 'identity',
      source: expect.stringMatching(/blog-placeholder\.yaml:23:11 \(Policies\[0\] AWSSecretsManagerGetSecretValuePolicy\)$/),
    });
    expect(perms.policies[0]!.source).toMatch(/blog-placeholder\.yaml:11:3 \(attached by SAM to OpenWeatherFunctionRole\)$/);
  });

  test('a concrete account, when known, replaces the token', async () => {
    const perms = await expand('blog-placeholder.yaml', { region: 'eu-west-1', accountId: '210987654321' });
    expect(statements(perms.policies[1])[0]!.Resource).toBe('arn:aws:secretsmanager:eu-west-1:210987654321:secret:openweatherapi-[xxxxxx]');
  });

  test('KMSDecryptPolicy grants kms:Decrypt on the key ARN built from KeyId', async () => {
    const perms = await expand('cmk-with-decrypt.yaml');
    expect(statements(policy(perms.policies, 'OpenWeatherFunctionRolePolicy1'))).toEqual([
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: 'arn:aws:kms:eu-central-1:{{AWS::AccountId}}:key/{{resource:WeatherKey}}' },
    ]);
  });

  test('without KMSDecryptPolicy nothing grants kms:Decrypt', async () => {
    const perms = await expand('cmk-without-decrypt.yaml');
    const actions = perms.policies.flatMap((p) => statements(p)).flatMap((s) => [s.Action ?? []].flat());
    expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
  });

  test('AWSSecretsManagerRotationPolicy: account-wide secrets with the rotation-Lambda condition, plus GetRandomPassword', async () => {
    const perms = await expand('rotation-and-attached.yaml', REGION, 'RotationFunction');
    expect(statements(policy(perms.policies, 'RotationFunctionRolePolicy0'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        Resource: 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:*',
        Condition: { StringEquals: { 'secretsmanager:resource/AllowRotationLambdaArn': 'arn:aws:lambda:eu-central-1:{{AWS::AccountId}}:function:weather-rotation' } },
      },
      { Effect: 'Allow', Action: ['secretsmanager:GetRandomPassword'], Resource: '*' },
    ]);
  });

  test('an unrelated template is a note; an unknown one is undetermined', async () => {
    const perms = await expand('rotation-and-attached.yaml', REGION, 'RotationFunction');
    expect(perms.notes).toContainEqual({ code: 'policy-template-unrelated', message: 'Policies[1]: DynamoDBReadPolicy grants no Secrets Manager or KMS actions', line: 17 });
    expect(perms.undetermined).toEqual([expect.stringMatching(/:19:11 \(Policies\[2\] SomeFuturePolicyTemplate\): SAM policy template SomeFuturePolicyTemplate is not known/)]);
  });
});

describe('parameters and samconfig overrides', () => {
  test('the Default is used without overrides', async () => {
    const perms = await expand('parameter-name/template.yaml');
    expect(statements(perms.policies[1])[0]!.Resource).toBe('arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-dev-??????');
  });

  test("samconfig's parameter_overrides win", async () => {
    const path = join(FIXTURES, 'parameter-name', 'samconfig.toml');
    const config = await parseSamconfig(path, readFileSync(path, 'utf8'), 'toml');
    const { parameters } = samconfigParameters(config, 'default', ['deploy']);
    const overrides = parseOverrides(parameters.parameter_overrides).values;
    const perms = await expand('parameter-name/template.yaml', { region: String(parameters.region), parameterOverrides: overrides });
    expect(statements(perms.policies[1])[0]!.Resource).toBe('arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-prod-??????');
  });
});

describe('managed policies', () => {
  test('known managed policies are expanded from data/, duplicates of SAM\'s own skipped', async () => {
    const perms = await expand('managed-only.yaml');
    expect(perms.policies.map((p) => p.name)).toEqual([BASIC, 'arn:aws:iam::aws:policy/SecretsManagerReadWrite', 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(statements(perms.policies[1])[0]).toMatchObject({ Sid: 'BasePermissions', Effect: 'Allow', Resource: '*' });
    expect(statements(perms.policies[1])[0]!.Action).toContain('secretsmanager:*');
    // ReadOnlyAccess is shipped too: it may describe and list secrets and keys, never read or decrypt.
    expect(JSON.stringify(statements(perms.policies[2]))).toContain('secretsmanager:Describe*');
    expect(perms.undetermined).toEqual([]);
  });

  test('Tracing and VpcConfig (from Globals) make SAM attach X-Ray and VPC access policies', async () => {
    const perms = await expand('globals-env.yaml');
    expect(perms.policies.map((p) => p.name)).toEqual([
      BASIC,
      'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      'OpenWeatherFunctionRolePolicy0',
    ]);
    expect(perms.notes).toEqual([
      { code: 'not-a-global', message: 'Globals.Function.Policies is not supported by SAM (the deploy fails); it grants OpenWeatherFunction nothing', line: 14 },
    ]);
  });
});

describe('inline statements', () => {
  test('an explicit Deny with NotResource is kept as written, next to the Allow', async () => {
    const perms = await expand('deny-notresource.yaml');
    expect(statements(policy(perms.policies, 'OpenWeatherFunctionRolePolicy0'))).toEqual([
      { Sid: 'ReadAnySecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
    ]);
    expect(policy(perms.policies, 'OpenWeatherFunctionRolePolicy1')?.document).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'OnlyTheDatabaseSecret',
        Effect: 'Deny',
        Action: 'secretsmanager:GetSecretValue',
        NotResource: 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:prod/database-??????',
      }],
    });
  });

  test('a statement that cannot be resolved is left out and reported, the others kept', async () => {
    const perms = await expand('conditions.yaml');
    expect(statements(policy(perms.policies, 'OpenWeatherFunctionRolePolicy2'))).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:DescribeSecret', Resource: '*' },
    ]);
    expect(perms.undetermined).toEqual([
      expect.stringMatching(/\(Policies\[0\] AWSSecretsManagerGetSecretValuePolicy\): statement 0 left out: .*AWS::NoValue/),
      expect.stringMatching(/\(Policies\[1\] KMSDecryptPolicy\): statement 0 left out: .*parameter ExternalKeyArn has no Default and no override/),
      expect.stringMatching(/\(Policies\[2\] inline statements\): statement 0 left out: Fn::ImportValue shared-weather-secret-arn is exported by another stack/),
    ]);
  });

  test('Fn::If picks the branch its condition selects', async () => {
    const perms = await expand('conditions.yaml', { region: 'eu-central-1', parameterOverrides: { Stage: 'prod', ExternalKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' } });
    expect(statements(policy(perms.policies, 'OpenWeatherFunctionRolePolicy0'))[0]!.Resource).toBe('arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-??????');
    expect(statements(policy(perms.policies, 'OpenWeatherFunctionRolePolicy1'))[0]!.Resource).toBe('arn:aws:kms:eu-central-1:{{AWS::AccountId}}:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  });
});

describe('the execution role', () => {
  test('an explicit AWS::IAM::Role: its inline and managed policies; an unknown boundary is undetermined', async () => {
    const perms = await expand('explicit-role.yaml');
    expect(perms.role).toEqual({ kind: 'template', logicalId: 'WeatherRole', line: 3 });
    expect(perms.roleDescription).toMatch(/^role WeatherRole \(.*explicit-role\.yaml:3:3\)$/);
    expect(perms.policies.map((p) => p.name)).toEqual(['read-weather-secret', BASIC]);
    expect(statements(perms.policies[0])).toEqual([{
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-*',
    }]);
    expect(perms.policies[0]!.source).toMatch(/explicit-role\.yaml:16:11 \(inline policy read-weather-secret of role WeatherRole\)$/);
    expect(perms.boundary).toBeUndefined();
    expect(perms.undetermined).toEqual([
      expect.stringMatching(/:14:7 \(PermissionsBoundary\): managed policy arn:aws:iam::\{\{AWS::AccountId\}\}:policy\/developer-boundary is not known offline.*permissions boundary/),
    ]);
  });

  test('Role plus Policies: the Policies are ignored, and a note says so at their line', async () => {
    const perms = await expand('role-plus-policies.yaml');
    expect(perms.policies.map((p) => p.name)).toEqual([BASIC]);
    expect(perms.notes).toEqual([{ code: 'role-overrides-policies', message: 'OpenWeatherFunction sets Role, so SAM ignores its Policies: they grant nothing', line: 25 }]);
  });

  test('a role ARN from outside the template is undetermined, not empty-handed "denied"', async () => {
    const perms = await expand('globals-env.yaml', REGION, 'PlainFunction');
    expect(perms.role).toEqual({ kind: 'external', arn: 'arn:aws:iam::123456789012:role/legacy-weather-role' });
    expect(perms.policies).toEqual([]);
    expect(perms.undetermined).toEqual([expect.stringMatching(/:36:7: role arn:aws:iam::123456789012:role\/legacy-weather-role is managed outside this template$/)]);
  });

  test('a known managed policy as PermissionsBoundary becomes the boundary; AWS::IAM::Policy on the SAM role is included', async () => {
    const perms = await expand('rotation-and-attached.yaml', REGION, 'RotationFunction');
    expect(perms.boundary).toMatchObject({ name: 'arn:aws:iam::aws:policy/SecretsManagerReadWrite', kind: 'boundary' });
    expect(perms.policies.some((p) => p.kind !== 'identity')).toBe(false);
    expect(policy(perms.policies, 'extra-secret-access')).toMatchObject({
      source: expect.stringMatching(/:22:3 \(AWS::IAM::Policy ExtraSecretAccess\)$/),
      document: { Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-??????' }] },
    });
  });
});
