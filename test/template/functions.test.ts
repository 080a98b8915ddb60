import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { loadTemplate } from '../../src/template/load.js';
import { createResolveContext } from '../../src/template/intrinsics.js';
import { listFunctions, listKeys, listRoles, listSecrets, mergeGlobals } from '../../src/template/functions.js';
import { FIXTURES, loadFixture } from './helpers.js';

describe('listFunctions', () => {
  test('the blog function: runtime, handler, code and its one variable with its line', async () => {
    const { fn } = await loadFixture('blog-placeholder.yaml');
    expect(fn).toMatchObject({
      logicalId: 'OpenWeatherFunction',
      type: 'AWS::Serverless::Function',
      line: 11,
      runtime: 'python3.9',
      handler: 'app.lambda_handler',
      codeUri: 'private_trader/',
    });
    expect(fn.environment).toEqual([
      { name: 'SECRET_NAME', raw: 'openweatherapi', resolved: 'openweatherapi', source: 'Environment.Variables.SECRET_NAME', line: 21, fromGlobals: false },
    ]);
    expect(fn.properties.Timeout).toBe(10); // from Globals
  });

  test('Globals: variables merge (the function wins), Runtime/Handler/VpcConfig/Tracing come from Globals', async () => {
    const { fn } = await loadFixture('globals-env.yaml');
    expect(fn.environment.map((v) => [v.name, v.resolved, v.fromGlobals, v.line])).toEqual([
      ['SECRET_NAME', 'openweatherapi', true, 9],
      ['LOG_LEVEL', 'DEBUG', false, 24],
      ['UNITS', 'metric', false, 25],
    ]);
    expect(fn).toMatchObject({ runtime: 'python3.12', handler: 'app.lambda_handler', tracing: 'Active' });
    expect(fn.vpcConfig).toEqual({ SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0a1b2c3d'] });
  });

  test('Policies under Globals are not applied (SAM does not support them there)', async () => {
    const { fn } = await loadFixture('globals-env.yaml');
    expect(fn.properties.Policies).toEqual([
      { AWSSecretsManagerGetSecretValuePolicy: { SecretArn: { 'Fn::Sub': 'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:openweatherapi-??????' } } },
    ]);
  });

  test('an AWS::Lambda::Function is listed too, without Globals, with its Role', async () => {
    const { fn } = await loadFixture('globals-env.yaml', { region: 'eu-central-1' }, 'PlainFunction');
    expect(fn).toMatchObject({ type: 'AWS::Lambda::Function', runtime: 'nodejs20.x', role: 'arn:aws:iam::123456789012:role/legacy-weather-role' });
    expect(fn.environment).toEqual([]);
    expect(fn.tracing).toBeUndefined();
  });

  test('a parameter-valued variable resolves to the override when there is one', async () => {
    const { fn } = await loadFixture('parameter-name/template.yaml', { region: 'eu-central-1', parameterOverrides: { SecretName: 'openweatherapi-prod', Stage: 'prod' } });
    expect(fn.environment.find((v) => v.name === 'SECRET_NAME')?.resolved).toBe('openweatherapi-prod');
    expect(fn.functionName).toBe('weather-prod');
  });
});

describe('secrets, roles and keys of the template', () => {
  test('a secret with a customer-managed key', async () => {
    const template = await loadTemplate(join(FIXTURES, 'cmk-with-decrypt.yaml'));
    const ctx = createResolveContext(template.body, { region: 'eu-central-1' });
    expect(listSecrets(template, ctx)).toEqual([
      { logicalId: 'OpenWeatherSecret', line: 15, name: 'openweatherapi', kmsKeyId: { Ref: 'WeatherKey' }, kmsKeyIdResolved: '{{resource:WeatherKey}}' },
    ]);
    expect(listKeys(template).map((k) => [k.logicalId, k.line])).toEqual([['WeatherKey', 3]]);
    expect(listFunctions(template, ctx).map((f) => f.logicalId)).toEqual(['OpenWeatherFunction']);
  });

  test('an explicit role with inline, managed and boundary policies', async () => {
    const template = await loadTemplate(join(FIXTURES, 'explicit-role.yaml'));
    const ctx = createResolveContext(template.body, { region: 'eu-central-1' });
    const [role] = listRoles(template, ctx);
    expect(role).toMatchObject({ logicalId: 'WeatherRole', line: 3 });
    expect(role!.policies).toHaveLength(1);
    expect(role!.managedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }]);
    expect(role!.permissionsBoundary).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/developer-boundary' });
  });
});

describe('mergeGlobals follows SAM', () => {
  test.each<[string, unknown, unknown, unknown]>([
    ['maps merge, local wins', { A: 1, B: { X: 1 } }, { B: { Y: 2 }, C: 3 }, { A: 1, B: { X: 1, Y: 2 }, C: 3 }],
    ['lists concatenate, Globals first', { Layers: ['g'] }, { Layers: ['l'] }, { Layers: ['g', 'l'] }],
    ['a scalar is replaced', { Timeout: 10 }, { Timeout: 30 }, { Timeout: 30 }],
    ['an intrinsic is replaced, not merged', { Environment: { 'Fn::If': ['C', {}, {}] } }, { Environment: { Variables: { A: 'x' } } }, { Environment: { Variables: { A: 'x' } } }],
  ])('%s', (_, globals, local, expected) => {
    expect(mergeGlobals(globals, local)).toEqual(expected);
  });
});
