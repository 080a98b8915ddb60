import { describe, expect, it } from 'vitest';
import { evaluatePolicies, type PolicyRequest } from '../../src/policy/evaluate.js';
import type { PolicyStatement } from '../../src/policy/types.js';
import { ACCOUNT, GET, ROLE, SECRET, SESSION, policy } from './fixtures.js';

const request: PolicyRequest = {
  action: GET, resource: SECRET, principalArn: ROLE, principalAccount: ACCOUNT, sessionArn: SESSION,
  context: { 'secretsmanager:VersionStage': 'AWSCURRENT' }, absentContextKeys: ['aws:SourceVpce'],
};
const status = (s: PolicyStatement, kind: 'identity' | 'resource' = 'identity'): string =>
  evaluatePolicies([policy(kind, s)], request)[0]!.status;

describe('Action / NotAction', () => {
  it.each([
    [{ Action: GET }, 'applies'],
    [{ Action: 'SecretsManager:getSecretValue' }, 'applies'], // actions are case-insensitive
    [{ Action: 'secretsmanager:Get*' }, 'applies'],
    [{ Action: 'secretsmanager:*' }, 'applies'],
    [{ Action: '*' }, 'applies'],
    [{ Action: ['kms:Decrypt', 'secretsmanager:DescribeSecret'] }, 'does-not-apply'],
    [{ Action: 'secretsmanager:GetSecretValu?' }, 'applies'],
    [{ Action: 'secretsmanager:GetSecretValue?' }, 'does-not-apply'],
    [{ NotAction: 'secretsmanager:PutSecretValue' }, 'applies'],
    [{ NotAction: 'secretsmanager:*' }, 'does-not-apply'],
    [{}, 'undetermined'], // neither Action nor NotAction: not a valid statement
  ])('%j → %s', (part, expected) => {
    expect(status({ Effect: 'Allow', Resource: '*', ...part })).toBe(expected);
  });
});

describe('Resource / NotResource', () => {
  it.each([
    [{ Resource: SECRET }, 'applies'],
    [{ Resource: '*' }, 'applies'],
    [{ Resource: SECRET.replace('-AbC123', '') }, 'does-not-apply'], // missing suffix
    [{ Resource: SECRET.replace('-AbC123', '-??????') }, 'applies'],
    [{ Resource: SECRET.replace('-AbC123', '-?????') }, 'does-not-apply'],
    [{ Resource: SECRET.replace('weather.api', 'weatherXapi') }, 'does-not-apply'], // `.` is literal
    [{ Resource: SECRET.replace('prod', 'PROD') }, 'does-not-apply'], // case-sensitive
    [{ Resource: ['arn:aws:s3:::bucket/*', SECRET] }, 'applies'],
    [{ NotResource: 'arn:aws:s3:::*' }, 'applies'],
    [{ NotResource: SECRET }, 'does-not-apply'],
    [{ Resource: 'arn:aws:secretsmanager:*:*:secret:${aws:username}/*' }, 'undetermined'],
  ])('%j → %s', (part, expected) => {
    expect(status({ Effect: 'Allow', Action: GET, ...part })).toBe(expected);
  });

  it('an identity statement without Resource or NotResource is undetermined, not an allow', () => {
    expect(status({ Effect: 'Allow', Action: GET })).toBe('undetermined');
  });
});

describe('Principal / NotPrincipal (resource policies)', () => {
  it.each<[Partial<PolicyStatement>, string, string | undefined]>([
    [{ Principal: '*' }, 'applies', 'anyone'],
    [{ Principal: { AWS: '*' } }, 'applies', 'anyone'],
    [{ Principal: { AWS: ROLE } }, 'applies', 'principal'],
    [{ Principal: { AWS: [SESSION] } }, 'applies', 'session'],
    [{ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }, 'applies', 'account'],
    [{ Principal: { AWS: ACCOUNT } }, 'applies', 'account'],
    [{ Principal: { AWS: 'arn:aws:iam::999999999999:root' } }, 'does-not-apply', undefined],
    [{ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/OtherRole` } }, 'does-not-apply', undefined],
    [{ Principal: { Service: 'lambda.amazonaws.com' } }, 'does-not-apply', undefined],
    [{ NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` } }, 'applies', 'anyone'],
    [{ NotPrincipal: { AWS: ROLE } }, 'does-not-apply', undefined],
    [{}, 'undetermined', undefined],
  ])('%j → %s (%s)', (part, expected, match) => {
    const [e] = evaluatePolicies([policy('resource', { Effect: 'Allow', Action: GET, Resource: '*', ...part })], request);
    expect(e!.status).toBe(expected);
    expect(e!.principalMatch).toBe(match);
  });

  it('a resource policy statement without Resource applies to the resource it is attached to', () => {
    expect(status({ Effect: 'Allow', Action: GET, Principal: { AWS: ROLE } }, 'resource')).toBe('applies');
  });
});

describe('conditions inside statements', () => {
  it.each([
    [{ StringEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT' } }, 'applies'],
    [{ StringEquals: { 'secretsmanager:VersionStage': 'AWSPENDING' } }, 'does-not-apply'],
    [{ StringEquals: { 'aws:SourceVpce': 'vpce-1' } }, 'does-not-apply'], // known absent
    [{ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } }, 'applies'],
    [{ StringEquals: { 'aws:SourceIp': '1.2.3.4' } }, 'undetermined'], // never observed
    [{ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, 'undetermined'], // unsupported operator
    [{ ArnEquals: { 'aws:PrincipalArn': ROLE } }, 'applies'], // PrincipalArn comes from the request
    [{ StringEquals: { 'secretsmanager:SecretId': SECRET } }, 'undetermined'], // not in this context
  ])('%j → %s', (condition, expected) => {
    expect(status({ Effect: 'Allow', Action: GET, Resource: '*', Condition: condition })).toBe(expected);
  });
});

describe('documents and provenance', () => {
  it('accepts Statement as a single object or a list, and numbers statements', () => {
    const single = evaluatePolicies([policy('identity', { Sid: 'One', Effect: 'Allow', Action: GET, Resource: SECRET }, 'p1')], request);
    const list = evaluatePolicies(
      [policy('identity', [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }, { Sid: 'Two', Effect: 'Allow', Action: GET, Resource: SECRET }], 'p2')],
      request,
    );
    expect(single).toMatchObject([{ policyName: 'p1', index: 0, sid: 'One', effect: 'Allow', status: 'applies', kind: 'identity' }]);
    expect(list.map((e) => [e.index, e.sid, e.status])).toEqual([[0, undefined, 'does-not-apply'], [1, 'Two', 'applies']]);
    expect(list[1]!.source).toBe('test identity policy');
  });

  it('explains why a statement does not apply', () => {
    const [e] = evaluatePolicies([policy('identity', { Effect: 'Allow', Action: GET, Resource: SECRET.replace('-AbC123', '') })], request);
    expect(e!.reasons.join()).toMatch(/does not match/);
  });

  it('treats an Effect other than Allow/Deny as undetermined', () => {
    expect(status({ Effect: 'allow', Action: GET, Resource: '*' })).toBe('undetermined');
  });
});
