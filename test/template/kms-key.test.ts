import { describe, expect, it } from 'vitest';
import { createResolveContext } from '../../src/template/intrinsics.js';
import { resolveTemplateKey } from '../../src/template/kms-key.js';

const body = {
  Resources: {
    Key: { Type: 'AWS::KMS::Key' },
    Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/weather', TargetKeyId: { Ref: 'Key' } } },
    ArnAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/by-arn', TargetKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    Queue: { Type: 'AWS::SQS::Queue' },
  },
};
const ctx = createResolveContext(body, { region: 'eu-central-1', accountId: '123456789012' });
const KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/{{resource:Key}}';

describe('a secret\'s KmsKeyId resolved as KMS resolves it', () => {
  it.each([
    ['no KmsKeyId', undefined, { kind: 'aws-managed' }],
    ['the AWS managed alias', 'alias/aws/secretsmanager', { kind: 'aws-managed' }],
    ['its alias ARN', 'arn:aws:kms:eu-central-1:123456789012:alias/aws/secretsmanager', { kind: 'aws-managed' }],
    ['!Ref Key', { Ref: 'Key' }, { kind: 'customer', keyArn: KEY_ARN, keyLogicalId: 'Key' }],
    ['!GetAtt Key.Arn', { 'Fn::GetAtt': ['Key', 'Arn'] }, { kind: 'customer', keyArn: KEY_ARN, keyLogicalId: 'Key' }],
    ['!Ref Alias', { Ref: 'Alias' }, { kind: 'customer', keyArn: KEY_ARN, keyLogicalId: 'Key', via: 'Alias' }],
    ['the alias name of a template alias', 'alias/weather', { kind: 'customer', keyArn: KEY_ARN, keyLogicalId: 'Key', via: 'Alias' }],
    ['an alias ARN of a template alias (target by ARN)', 'arn:aws:kms:eu-central-1:123456789012:alias/by-arn', { kind: 'customer', keyArn: KEY_ARN, keyLogicalId: 'Key', via: 'ArnAlias' }],
    ['a key ARN', 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', { kind: 'customer', keyArn: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
    ['a key ID', '1234abcd-12ab-34cd-56ef-1234567890ab', { kind: 'customer', keyArn: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
  ])('%s', (_name, kmsKeyId, expected) => {
    expect(resolveTemplateKey(kmsKeyId, ctx)).toEqual(expected);
  });

  it.each([
    ['an alias the template does not define', 'alias/elsewhere'],
    ['an alias ARN the template does not define', 'arn:aws:kms:eu-central-1:123456789012:alias/elsewhere'],
    ['a Ref to something that is not a key', { Ref: 'Queue' }],
    ['a parameter with no value', { Ref: 'Missing' }],
  ])('%s is unresolved, never the managed key', (_name, kmsKeyId) => {
    expect(resolveTemplateKey(kmsKeyId, ctx).kind).toBe('unresolved');
  });
});
