/** Packing a role's policies into STS session policies: pure, table-tested. */
import { describe, expect, it } from 'vitest';
import type { NamedPolicy } from '../../../src/policy/types.js';
import { mergeStatements, packSessionPolicies, SESSION_POLICY_PLAINTEXT_LIMIT, trustAdmitsAwsPrincipals } from '../../../src/invoke/session-policy.js';

const inline = (name: string, ...Statement: NamedPolicy['document']['Statement'][]): NamedPolicy => ({ name, kind: 'identity', source: `inline ${name}`, document: { Version: '2012-10-17', Statement: Statement.flat() } });
const managed = (arn: string): NamedPolicy => ({ name: arn, kind: 'identity', source: arn, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] } });
const READ = { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:openweatherapi-??????' };

describe('packSessionPolicies', () => {
  it('merges inline policies into one document without Sids, and passes managed policies by ARN', () => {
    const result = packSessionPolicies([inline('P0', { Sid: 'A', ...READ }), inline('P1', { Sid: 'A', Effect: 'Deny', Action: 'kms:*', Resource: '*' }), managed('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')], '123456789012');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.parse(result.policies.policy!)).toEqual({ Version: '2012-10-17', Statement: [READ, { Effect: 'Deny', Action: 'kms:*', Resource: '*' }] });
    expect(result.policies.policyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    expect(result.policies.plaintextChars).toBe(result.policies.policy!.length + result.policies.policyArns[0]!.length);
  });

  it.each([
    ['a customer-managed policy of the session account goes by ARN', 'arn:aws:iam::123456789012:policy/mine', true],
    ['one of another account is packed inline (STS accepts only the same account)', 'arn:aws:iam::999999999999:policy/theirs', false],
  ])('%s', (_, arn, byArn) => {
    const result = packSessionPolicies([managed(arn)], '123456789012');
    expect(result.ok && result.policies.policyArns.includes(arn)).toBe(byArn);
    expect(result.ok && result.policies.policy !== undefined).toBe(!byArn);
  });

  it('more than 10 managed policies: the overflow is inlined, never dropped', () => {
    const arns = Array.from({ length: 12 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`);
    const result = packSessionPolicies(arns.map(managed), '123456789012');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.policies.policyArns).toHaveLength(10);
      expect(JSON.parse(result.policies.policy!).Statement).toEqual([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }]);
    }
  });

  it('a role with no policies becomes a session that may do nothing, never the via identity\'s full rights', () => {
    const result = packSessionPolicies([], '123456789012');
    expect(result.ok && JSON.parse(result.policies.policy!).Statement).toEqual([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
  });

  it('refuses, with the sizes, when the plain text exceeds 2,048 characters', () => {
    const statements = Array.from({ length: 40 }, (_, i) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${i}/*`, Condition: { StringEquals: { 'aws:ResourceTag/t': `v${i}` } } }));
    const result = packSessionPolicies([inline('Big', ...statements)], '123456789012');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.plaintextChars).toBeGreaterThan(SESSION_POLICY_PLAINTEXT_LIMIT);
      expect(result.reason).toMatch(/need \d+ characters .* STS allows 2048/);
    }
  });

  it('refuses characters STS does not take', () => {
    expect(packSessionPolicies([inline('U', { ...READ, Resource: 'arn:aws:s3:::bücket→' })], '1').ok).toBe(false);
  });
});

describe('mergeStatements', () => {
  it.each([
    ['same effect, resource and condition: actions unite', [{ Effect: 'Allow', Action: 'a:1', Resource: 'r' }, { Effect: 'Allow', Action: ['a:2', 'a:1'], Resource: 'r' }], [{ Effect: 'Allow', Action: ['a:1', 'a:2'], Resource: 'r' }]],
    ['other resources stay apart', [{ Effect: 'Allow', Action: 'a:1', Resource: 'r1' }, { Effect: 'Allow', Action: 'a:1', Resource: 'r2' }], [{ Effect: 'Allow', Action: 'a:1', Resource: 'r1' }, { Effect: 'Allow', Action: 'a:1', Resource: 'r2' }]],
    ['Allow and Deny never merge', [{ Effect: 'Allow', Action: 'a:1', Resource: 'r' }, { Effect: 'Deny', Action: 'a:2', Resource: 'r' }], [{ Effect: 'Allow', Action: 'a:1', Resource: 'r' }, { Effect: 'Deny', Action: 'a:2', Resource: 'r' }]],
    ['NotAction statements are kept as they are, once', [{ Effect: 'Deny', NotAction: 'a:1', Resource: 'r' }, { Effect: 'Deny', NotAction: 'a:1', Resource: 'r' }], [{ Effect: 'Deny', NotAction: 'a:1', Resource: 'r' }]],
  ])('%s', (_, input, expected) => {
    expect(mergeStatements(input)).toEqual(expected);
  });
});

describe('trustAdmitsAwsPrincipals', () => {
  it.each([
    ['lambda.amazonaws.com only', { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, false],
    ['the account root', { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] }, true],
    ['unknown (IAM unreadable): let STS decide', undefined, true],
  ])('%s', (_, trust, expected) => {
    expect(trustAdmitsAwsPrincipals(trust)).toBe(expected);
  });
});
