/**
 * Seeded generator of SAM templates for the differential harness. Each case is a template plus the
 * classes of issue 9 it exercises (so figures can be reported per class) and, for class 3, a full-ARN
 * --secret-id. Test-only: nothing here imports from src/.
 */
export const REGION = 'eu-west-1';
/** The account written literally in some templates; one of the worlds the truth considers. */
export const LITERAL_ACCOUNT = '111122223333';
export const LITERAL_SUFFIX = 'AbCdEf';
export const NAME = 'openweatherapi';

export type Tag = 'c1-unseen' | 'c2-order' | 'c3-full-arn' | 'c4-vpc' | 'c5-managed' | 'c6-kms-default' | 'c7-conditions' | 'c8-forms' | 'c10-notaction' | 'base';

export interface Case {
  seed: number;
  template: Record<string, unknown>;
  secretId?: string;
  tags: Set<Tag>;
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type R = () => number;
const pick = <T>(r: R, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const sub = (s: string) => ({ 'Fn::Sub': s });
const ARN_HEAD = 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:';

interface Ctx { r: R; tags: Set<Tag>; hasSecret: boolean; hasKey: boolean; vpc: boolean; external: boolean; resources: Record<string, unknown>; conditions: Record<string, unknown> }

/** Resource forms for the secret, each with the class it belongs to. */
function secretResource(c: Ctx): unknown {
  const forms: Array<[unknown, Tag]> = [
    [sub(`${ARN_HEAD}${NAME}-??????`), 'base'],
    [sub(`${ARN_HEAD}${NAME}-*`), 'base'],
    [sub(`${ARN_HEAD}${NAME}`), 'c2-order'],
    [sub(`${ARN_HEAD}${NAME}-XXXXXX`), 'c2-order'],
    [sub(`arn:\${AWS::Partition}:secretsmanager:us-east-1:\${AWS::AccountId}:secret:${NAME}-??????`), 'c2-order'],
    [`arn:aws:secretsmanager:${REGION}:${LITERAL_ACCOUNT}:secret:${NAME}-??????`, 'c3-full-arn'],
    [`arn:aws:secretsmanager:${REGION}:${LITERAL_ACCOUNT}:secret:${NAME}-${LITERAL_SUFFIX}`, 'c3-full-arn'],
    ['*', 'base'],
    [sub(`${ARN_HEAD}other-*`), 'base'],
  ];
  if (c.hasSecret) forms.push([{ Ref: 'AppSecret' }, 'base'], [{ Ref: 'AppSecret' }, 'base']);
  const [form, tag] = pick(c.r, forms);
  c.tags.add(tag);
  return form;
}

function condition(c: Ctx): Record<string, unknown> | undefined {
  const options: Array<[Record<string, unknown>, Tag]> = [
    [{ StringEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT' } }, 'c7-conditions'],
    [{ StringEqualsIfExists: { 'secretsmanager:VersionStage': 'AWSCURRENT' } }, 'c7-conditions'],
    [{ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, 'c7-conditions'],
    [{ NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, 'c7-conditions'],
    [{ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, 'c7-conditions'],
    [{ StringEquals: { 'aws:PrincipalAccount': '999999999999' } }, 'c2-order'],
    [{ Bool: { 'aws:SecureTransport': 'true' } }, 'base'],
    [{ Null: { 'aws:SourceVpce': 'true' } }, 'c4-vpc'],
    [{ StringNotEquals: { 'aws:SourceVpce': 'vpce-0abc' } }, 'c4-vpc'],
    [{ StringEquals: { 'aws:ResourceTag/env': 'prod' } }, 'c7-conditions'],
  ];
  if (c.r() < 0.6) return undefined;
  const [cond, tag] = pick(c.r, options);
  c.tags.add(tag);
  return cond;
}

const READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:Get*', 'secretsmanager:*', '*', 's3:GetObject'];
const NOT_ACTIONS = ['s3:*', 'secretsmanager:*', 'secretsmanager:DescribeSecret', 'iam:*'];

function statement(c: Ctx, effect: 'Allow' | 'Deny'): Record<string, unknown> {
  const s: Record<string, unknown> = { Effect: effect };
  if (c.r() < 0.2) {
    s.NotAction = pick(c.r, NOT_ACTIONS);
    c.tags.add('c10-notaction');
  } else s.Action = pick(c.r, READ_ACTIONS);
  s.Resource = secretResource(c);
  const cond = condition(c);
  if (cond) s.Condition = cond;
  return s;
}

const KNOWN_MANAGED = ['SecretsManagerReadWrite', 'ReadOnlyAccess', 'PowerUserAccess', 'AdministratorAccess', 'AWSLambdaBasicExecutionRole', 'AmazonS3ReadOnlyAccess', 'SecurityAudit'];

function policyEntry(c: Ctx): unknown {
  const k = c.r();
  if (k < 0.35) return { Statement: [statement(c, c.r() < 0.8 ? 'Allow' : 'Deny')] };
  if (k < 0.55) return { AWSSecretsManagerGetSecretValuePolicy: { SecretArn: secretResource(c) } };
  if (k < 0.7) {
    c.tags.add('c5-managed');
    return pick(c.r, KNOWN_MANAGED);
  }
  if (k < 0.78) {
    c.tags.add('c1-unseen');
    return sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/team-shared-policy');
  }
  if (k < 0.86 && c.hasKey) return { KMSDecryptPolicy: { KeyId: { Ref: 'AppKey' } } };
  if (k < 0.93) {
    c.tags.add('c8-forms');
    c.conditions.IsProd = { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] };
    return { 'Fn::If': ['IsProd', { Statement: [statement(c, 'Allow')] }, { Ref: 'AWS::NoValue' }] };
  }
  if (!c.hasKey) return { Statement: [statement(c, 'Allow')] };
  return { Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: c.r() < 0.5 ? '*' : { 'Fn::GetAtt': ['AppKey', 'Arn'] } }] };
}

function keyResources(c: Ctx): void {
  const withPolicy = c.r();
  const key: Record<string, unknown> = { Type: 'AWS::KMS::Key', Properties: {} };
  if (withPolicy < 0.35) c.tags.add('c6-kms-default');
  else {
    const root = { Effect: 'Allow', Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' };
    const viaSm = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } } };
    const viaSsm = { ...viaSm, Condition: { StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } } };
    const statements = withPolicy < 0.65 ? [root] : withPolicy < 0.8 ? [viaSm] : [viaSsm];
    if (statements[0] === viaSsm) c.tags.add('c7-conditions');
    (key.Properties as Record<string, unknown>).KeyPolicy = { Version: '2012-10-17', Statement: statements };
  }
  c.resources.AppKey = key;
  if (c.r() < 0.3) {
    c.resources.AppKeyAlias = { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/weather', TargetKeyId: { Ref: 'AppKey' } } };
  }
}

function secretResources(c: Ctx): void {
  const props: Record<string, unknown> = { Name: NAME, Tags: [{ Key: 'env', Value: 'prod' }] };
  if (c.hasKey) props.KmsKeyId = c.r() < 0.5 ? { Ref: 'AppKey' } : { 'Fn::GetAtt': ['AppKey', 'Arn'] };
  c.resources.AppSecret = { Type: 'AWS::SecretsManager::Secret', Properties: props };
  if (c.r() < 0.25) {
    const deny = { Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalArn': sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/Admin*') } } };
    const allowRole = { Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['WeatherFunctionRole', 'Arn'] } }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
    c.resources.AppSecretPolicy = { Type: 'AWS::SecretsManager::ResourcePolicy', Properties: { SecretId: { Ref: 'AppSecret' }, ResourcePolicy: { Version: '2012-10-17', Statement: [c.external || c.r() < 0.5 ? deny : allowRole] } } };
  }
}

function boundary(c: Ctx): unknown {
  const k = c.r();
  if (k < 0.6) return undefined;
  if (k < 0.8) {
    c.tags.add('c5-managed');
    return pick(c.r, ['arn:aws:iam::aws:policy/PowerUserAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
  }
  c.tags.add('c1-unseen');
  return sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/org-boundary');
}

export function generateCase(seed: number): Case {
  const r = rng(seed * 7919 + 17);
  const tags = new Set<Tag>();
  const c: Ctx = { r, tags, hasSecret: r() < 0.5, hasKey: false, vpc: r() < 0.2, external: r() < 0.08, resources: {}, conditions: {} };
  c.hasKey = c.hasSecret && r() < 0.5;
  if (c.hasKey) keyResources(c);
  if (c.hasSecret) secretResources(c);
  if (c.vpc) tags.add('c4-vpc');
  const props: Record<string, unknown> = {
    InlineCode: 'def handler(event, context):\n    return {}\n', Handler: 'index.handler', Runtime: 'python3.12',
    Environment: { Variables: { SECRET_NAME: NAME } },
  };
  if (c.external) {
    tags.add('c1-unseen');
    props.Role = sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/shared-lambda-role');
  } else {
    props.Policies = Array.from({ length: 1 + Math.floor(r() * 3) }, () => policyEntry(c));
    const b = boundary(c);
    if (b) props.PermissionsBoundary = b;
  }
  if (c.vpc) props.VpcConfig = { SubnetIds: ['subnet-0abc'], SecurityGroupIds: ['sg-0abc'] };
  const template: Record<string, unknown> = {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Parameters: { Stage: { Type: 'String', Default: r() < 0.5 ? 'prod' : 'dev' } },
    Resources: { WeatherFunction: { Type: 'AWS::Serverless::Function', Properties: props }, ...c.resources },
  };
  if (Object.keys(c.conditions).length > 0) template.Conditions = c.conditions;
  const result: Case = { seed, template, tags };
  if (!c.hasSecret && r() < 0.3) {
    tags.add('c3-full-arn');
    result.secretId = `arn:aws:secretsmanager:${REGION}:${LITERAL_ACCOUNT}:secret:${NAME}-${LITERAL_SUFFIX}`;
  }
  if (tags.size === 0) tags.add('base');
  return result;
}
