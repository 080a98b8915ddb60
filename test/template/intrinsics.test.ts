import { describe, expect, test } from 'vitest';
import { parseTemplate } from '../../src/template/load.js';
import {
  ACCOUNT_TOKEN,
  createResolveContext,
  resolveString,
  resolveValue,
  type ResolveOptions,
} from '../../src/template/intrinsics.js';
import { asResourceToken, resourceToken, substituteTokens } from '../../src/template/tokens.js';

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: dev }
  SecretName: { Type: String, Default: openweatherapi-dev }
  Secrets: { Type: CommaDelimitedList, Default: "openweatherapi, mapbox" }
  NoDefault: { Type: String }
  FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /weather/secret-name }
Mappings:
  Regions:
    eu-central-1: { Suffix: fra }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  InMainAccount: !Equals [!Ref AWS::AccountId, '123456789012']
  DevOrMain: !Or [!Condition IsDev, !Condition InMainAccount]
Resources:
  WeatherSecret: { Type: AWS::SecretsManager::Secret, Properties: { Name: openweatherapi } }
  WeatherKey: { Type: AWS::KMS::Key, Properties: {} }
  WeatherRole: { Type: AWS::IAM::Role, Properties: {} }
  WeatherFunction: { Type: AWS::Serverless::Function, Properties: {} }
`;

function resolver(options: ResolveOptions = { region: 'eu-central-1' }) {
  const template = parseTemplate(TEMPLATE, 'template.yaml');
  return createResolveContext(template.body, options);
}

describe('resolveString', () => {
  const ctx = resolver();
  test.each<[string, unknown, string]>([
    ['the region passed in', { Ref: 'AWS::Region' }, 'eu-central-1'],
    ['the partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['the account, whatever it is, as a token', { Ref: 'AWS::AccountId' }, '{{AWS::AccountId}}'],
    ['the stack name as a token', { Ref: 'AWS::StackName' }, '{{AWS::StackName}}'],
    ['a parameter default', { Ref: 'SecretName' }, 'openweatherapi-dev'],
    ['a secret resource → its ARN token', { Ref: 'WeatherSecret' }, '{{resource:WeatherSecret}}'],
    ['a secret Id attribute is the same ARN', { 'Fn::GetAtt': ['WeatherSecret', 'Id'] }, '{{resource:WeatherSecret}}'],
    ['a role Arn', { 'Fn::GetAtt': ['WeatherRole', 'Arn'] }, '{{resource:WeatherRole.Arn}}'],
    ['a KMS key Arn, spelled as KMSDecryptPolicy spells it', { 'Fn::GetAtt': ['WeatherKey', 'Arn'] }, 'arn:aws:kms:eu-central-1:{{AWS::AccountId}}:key/{{resource:WeatherKey}}'],
    ["SAM's generated role for a function", { Ref: 'WeatherFunctionRole' }, '{{resource:WeatherFunctionRole}}'],
    ['Sub, string form', { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${SecretName}-??????' },
      'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-dev-??????'],
    ['Sub, [string, vars] form', { 'Fn::Sub': ['${Name}-??????', { Name: { Ref: 'Stage' } }] }, 'dev-??????'],
    ['Sub keeps ${!Literal} literal', { 'Fn::Sub': '${!Stage}/${Stage}' }, '${Stage}/dev'],
    ['Sub with ${Resource.Attr}', { 'Fn::Sub': '${WeatherRole.Arn}' }, '{{resource:WeatherRole.Arn}}'],
    ['Sub with ${Resource}', { 'Fn::Sub': '${WeatherSecret}' }, '{{resource:WeatherSecret}}'],
    ['Join', { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'secretsmanager']] }, 'arn:aws:secretsmanager'],
    ['Join over a list parameter', { 'Fn::Join': ['+', { Ref: 'Secrets' }] }, 'openweatherapi+mapbox'],
    ['Select from Split', { 'Fn::Select': [1, { 'Fn::Split': ['/', 'prod/weather/key'] }] }, 'weather'],
    ['Select from a list parameter', { 'Fn::Select': ['0', { Ref: 'Secrets' }] }, 'openweatherapi'],
    ['If on an evaluable condition', { 'Fn::If': ['IsProd', 'prod-key', 'dev-key'] }, 'dev-key'],
    ['If on a negated condition', { 'Fn::If': ['IsDev', 'dev-key', 'prod-key'] }, 'dev-key'],
    ['Or decided by one known operand', { 'Fn::If': ['DevOrMain', 'yes', 'no'] }, 'yes'],
    ['FindInMap', { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Suffix'] }, 'fra'],
    ['Base64', { 'Fn::Base64': 'weather' }, 'd2VhdGhlcg=='],
    ['a plain number, as CloudFormation passes it', 300, '300'],
  ])('%s', (_, expr, expected) => {
    expect(resolveString(expr, ctx)).toBe(expected);
  });
});

describe('what cannot be known offline is Unresolved, with the reason', () => {
  const ctx = resolver();
  test.each<[unknown, RegExp]>([
    [{ Ref: 'NoDefault' }, /parameter NoDefault has no Default and no override/],
    [{ Ref: 'FromSsm' }, /read from SSM parameter \/weather\/secret-name at deploy time/],
    [{ Ref: 'Missing' }, /Ref Missing: no parameter or resource of that name/],
    [{ 'Fn::GetAtt': ['Missing', 'Arn'] }, /Fn::GetAtt Missing: no resource/],
    [{ 'Fn::ImportValue': 'shared-secret-arn' }, /shared-secret-arn is exported by another stack/],
    [{ 'Fn::GetAZs': '' }, /only known at deploy time/],
    [{ 'Fn::If': ['InMainAccount', 'a', 'b'] }, /Fn::If InMainAccount: Fn::Equals compares \{\{AWS::AccountId\}\}/],
    [{ 'Fn::If': ['Nope', 'a', 'b'] }, /condition Nope is not defined/],
    [{ 'Fn::Sub': 'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${NoDefault}' }, /^Fn::Sub "arn.*": parameter NoDefault has no Default/],
    [{ 'Fn::Select': [5, { Ref: 'Secrets' }] }, /index 5 is outside the list/],
    [{ 'Fn::FindInMap': ['Regions', 'us-east-1', 'Suffix'] }, /Regions\/us-east-1\/Suffix is not in Mappings/],
  ])('%j', (expr, reason) => {
    const value = resolveString(expr, ctx);
    expect(value).toMatchObject({ unresolved: true });
    expect((value as { reason: string }).reason).toMatch(reason);
  });
});

describe('options', () => {
  test('overrides win over Defaults, and an account passed in is used as is', () => {
    const ctx = resolver({ region: 'eu-west-1', accountId: '123456789012', parameterOverrides: { SecretName: 'openweatherapi-prod', Stage: 'prod' } });
    expect(resolveString({ 'Fn::Sub': 'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${SecretName}' }, ctx))
      .toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:openweatherapi-prod');
    expect(resolveString({ 'Fn::If': ['InMainAccount', 'main', 'other'] }, ctx)).toBe('main');
    expect(ctx.parameters.get('SecretName')?.origin).toBe('override');
    expect(ctx.parameters.get('Stage')).toEqual({ value: 'prod', origin: 'override' });
  });

  test('China and GovCloud regions get their own partition', () => {
    expect(resolveString({ Ref: 'AWS::Partition' }, resolver({ region: 'cn-north-1' }))).toBe('aws-cn');
    expect(resolveString({ Ref: 'AWS::Partition' }, resolver({ region: 'us-gov-west-1' }))).toBe('aws-us-gov');
  });

  test('without a region, ${AWS::Region} stays a token rather than a guess', () => {
    expect(resolveString({ 'Fn::Sub': '${AWS::Region}' }, resolver({}))).toBe('{{AWS::Region}}');
  });
});

describe('resolveValue over whole structures', () => {
  test('AWS::NoValue removes a key and a list item', () => {
    const ctx = resolver();
    const doc = { Resource: ['a', { 'Fn::If': ['IsProd', 'b', { Ref: 'AWS::NoValue' }] }], Sid: { Ref: 'AWS::NoValue' }, Effect: 'Allow' };
    expect(resolveValue(doc, ctx)).toEqual({ Resource: ['a'], Effect: 'Allow' });
  });

  test('an unresolved part is marked in place, the rest resolved', () => {
    const ctx = resolver();
    expect(resolveValue({ A: { Ref: 'Stage' }, B: { Ref: 'NoDefault' } }, ctx)).toEqual({
      A: 'dev',
      B: { unresolved: true, reason: 'parameter NoDefault has no Default and no override' },
    });
  });
});

describe('tokens', () => {
  test('a resource token is recognised exactly, and only when it is the whole value', () => {
    expect(asResourceToken(resourceToken('WeatherSecret'))).toEqual({ logicalId: 'WeatherSecret' });
    expect(asResourceToken('{{resource:WeatherRole.Arn}}')).toEqual({ logicalId: 'WeatherRole', attribute: 'Arn' });
    expect(asResourceToken('{{resource:WeatherSecret}}-??????')).toBeUndefined();
  });

  test('substituteTokens fills in what the caller learnt and leaves the rest', () => {
    const arn = `arn:aws:secretsmanager:eu-central-1:${ACCOUNT_TOKEN}:secret:x`;
    expect(substituteTokens(arn, { accountId: '123456789012' })).toBe('arn:aws:secretsmanager:eu-central-1:123456789012:secret:x');
    expect(substituteTokens('{{resource:S}} {{AWS::StackName}}', { resources: { '{{resource:S}}': 'arn:1' } })).toBe('arn:1 {{AWS::StackName}}');
  });
});
