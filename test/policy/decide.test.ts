import { describe, expect, it } from 'vitest';
import { decideAccess, type DecideAccessInput, type LinkName } from '../../src/policy/decide.js';
import type { PolicyStatement } from '../../src/policy/types.js';
import {
  ACCOUNT, GET, KEY, OTHER_ACCOUNT, ROLE, SECRET, SESSION, allowDecrypt, allowRead, enableIamUserPermissions, policy,
} from './fixtures.js';

const base: DecideAccessInput = { principalArn: ROLE, principalAccount: ACCOUNT, sessionArn: SESSION, secretArn: SECRET, identityPolicies: [] };
const linkStatus = (d: ReturnType<typeof decideAccess>, link: LinkName): string => d.links.find((l) => l.link === link)!.status;

describe('identity policies alone (same account, AWS managed key)', () => {
  it('allows with a matching identity allow and names the deciding statement', () => {
    const d = decideAccess({ ...base, identityPolicies: [policy('identity', { Sid: 'Read', ...allowRead() }, 'FnRolePolicy0')] });
    expect(d.verdict).toBe('allowed');
    expect(d.deciding).toMatchObject({ policyName: 'FnRolePolicy0', sid: 'Read', index: 0, effect: 'Allow', kind: 'identity' });
    expect(linkStatus(d, 'kms-key')).toBe('not-applicable');
  });

  it('denies (implicitly) when the Resource lacks the six-character suffix', () => {
    const d = decideAccess({ ...base, identityPolicies: [policy('identity', allowRead(SECRET.replace('-AbC123', '')))] });
    expect(d.verdict).toBe('denied');
    expect(d.deciding).toBeUndefined();
    expect(linkStatus(d, 'identity')).toBe('fail');
    expect(d.reasons.join(' ')).toMatch(/no identity-based policy allows/);
  });

  it('explicit deny beats allow, and the deny is the deciding statement', () => {
    const d = decideAccess({
      ...base,
      identityPolicies: [
        policy('identity', allowRead('*'), 'Allow'),
        policy('identity', { Sid: 'NoProd', Effect: 'Deny', Action: 'secretsmanager:*', Resource: 'arn:aws:secretsmanager:*:*:secret:prod/*' }, 'Deny'),
      ],
    });
    expect(d.verdict).toBe('denied');
    expect(d.deciding).toMatchObject({ policyName: 'Deny', sid: 'NoProd', effect: 'Deny' });
  });

  it('an explicit deny with NotResource denies everything except the listed resources', () => {
    const denyAllBut = (keep: string): PolicyStatement => ({ Effect: 'Deny', Action: '*', NotResource: keep });
    const allow = policy('identity', allowRead());
    expect(decideAccess({ ...base, identityPolicies: [allow, policy('identity', denyAllBut('arn:aws:s3:::logs/*'))] }).verdict).toBe('denied');
    expect(decideAccess({ ...base, identityPolicies: [allow, policy('identity', denyAllBut(SECRET))] }).verdict).toBe('allowed');
  });

  it('a deny that might apply (unknown condition key) makes an allow undetermined, with the reason', () => {
    const d = decideAccess({
      ...base,
      identityPolicies: [
        policy('identity', allowRead()),
        policy('identity', { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      ],
    });
    expect(d.verdict).toBe('undetermined');
    expect(d.reasons.join(' ')).toMatch(/NotIpAddress/);
  });

  it('a deny that might apply does not matter when nothing allows', () => {
    const d = decideAccess({
      ...base,
      identityPolicies: [policy('identity', { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceIp': 'x' } } })],
    });
    expect(d.verdict).toBe('denied');
  });

  it('uses secretsmanager:SecretId and the known-absent keys in conditions', () => {
    const conditional = policy('identity', { ...allowRead('*'), Condition: { StringEquals: { 'secretsmanager:SecretId': SECRET }, Null: { 'aws:SourceVpce': 'true' } } });
    expect(decideAccess({ ...base, identityPolicies: [conditional], absentContextKeys: ['aws:SourceVpce'] }).verdict).toBe('allowed');
    expect(decideAccess({ ...base, identityPolicies: [conditional] }).verdict).toBe('undetermined');
  });
});

describe('permissions boundary', () => {
  const identity = [policy('identity', allowRead())];
  it.each([
    ['a boundary that allows the read', allowRead('*'), 'allowed', 'pass'],
    ['a boundary that only allows S3', { Effect: 'Allow', Action: 's3:*', Resource: '*' } as PolicyStatement, 'denied', 'fail'],
    ['a boundary with an explicit deny', { Effect: 'Deny', Action: GET, Resource: '*' } as PolicyStatement, 'denied', 'fail'],
  ])('%s → %s', (_label, statement, verdict, link) => {
    const d = decideAccess({ ...base, identityPolicies: identity, boundary: policy('boundary', statement) });
    expect(d.verdict).toBe(verdict);
    expect(linkStatus(d, 'boundary')).toBe(link);
  });

  it('a boundary alone grants nothing', () => {
    const d = decideAccess({ ...base, boundary: policy('boundary', allowRead('*')) });
    expect(d.verdict).toBe('denied');
    expect(linkStatus(d, 'identity')).toBe('fail');
  });

  it('an unreadable boundary leaves the verdict undetermined', () => {
    expect(decideAccess({ ...base, identityPolicies: identity, boundary: 'unknown' }).verdict).toBe('undetermined');
  });
});

describe('secret resource policy, same account', () => {
  const grant = (principal: string): PolicyStatement => ({ Effect: 'Allow', Principal: { AWS: principal }, Action: GET, Resource: '*' });

  it('a resource policy naming the role grants without any identity allow', () => {
    const d = decideAccess({ ...base, resourcePolicy: policy('resource', { Sid: 'LetFnRead', ...grant(ROLE) }, 'secret resource policy') });
    expect(d.verdict).toBe('allowed');
    expect(linkStatus(d, 'resource-policy')).toBe('pass');
    expect(linkStatus(d, 'identity')).toBe('not-applicable');
    expect(d.deciding).toMatchObject({ policyName: 'secret resource policy', sid: 'LetFnRead', kind: 'resource' });
  });

  it('a resource policy naming only the account delegates to IAM and grants nothing by itself', () => {
    expect(decideAccess({ ...base, resourcePolicy: policy('resource', grant(`arn:aws:iam::${ACCOUNT}:root`)) }).verdict).toBe('denied');
  });

  it.each([
    ['the role ARN (capped by the boundary)', ROLE, 'denied'],
    ['the session ARN (not capped)', SESSION, 'allowed'],
    ['* (matches the session directly, not capped)', '*', 'allowed'],
  ])('a resource-policy grant to %s, with a boundary that allows only S3 → %s', (_label, principal, verdict) => {
    const boundary = policy('boundary', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
    expect(decideAccess({ ...base, boundary, resourcePolicy: policy('resource', grant(principal)) }).verdict).toBe(verdict);
  });

  it('an explicit deny in the resource policy beats an identity allow', () => {
    const d = decideAccess({
      ...base,
      identityPolicies: [policy('identity', allowRead())],
      resourcePolicy: policy('resource', { Sid: 'OnlyAdmins', Effect: 'Deny', Principal: '*', Action: GET, Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/Admin` } } }),
    });
    expect(d.verdict).toBe('denied');
    expect(linkStatus(d, 'resource-policy')).toBe('fail');
    expect(d.deciding).toMatchObject({ sid: 'OnlyAdmins', kind: 'resource' });
  });

  it('a Deny with NotPrincipal hits a role with a boundary even when NotPrincipal lists it (AWS documented quirk)', () => {
    const resourcePolicy = policy('resource', { Effect: 'Deny', NotPrincipal: { AWS: ROLE }, Action: GET, Resource: '*' });
    const identityPolicies = [policy('identity', allowRead())];
    expect(decideAccess({ ...base, identityPolicies, resourcePolicy }).verdict).toBe('allowed');
    expect(decideAccess({ ...base, identityPolicies, resourcePolicy, boundary: policy('boundary', allowRead('*')) }).verdict).toBe('denied');
  });

  it('a resource-policy Deny on an unknown condition key leaves an identity allow undetermined', () => {
    const d = decideAccess({
      ...base,
      identityPolicies: [policy('identity', allowRead())],
      resourcePolicy: policy('resource', { Effect: 'Deny', Principal: '*', Action: GET, Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } } }),
    });
    expect(d.verdict).toBe('undetermined');
    expect(linkStatus(d, 'resource-policy')).toBe('unknown');
    expect(linkStatus(d, 'identity')).toBe('pass');
    expect(d.reasons.join(' ')).toMatch(/aws:SourceVpc/);
  });

  it('a same-account resource policy that neither grants nor denies is not needed', () => {
    const d = decideAccess({
      ...base,
      identityPolicies: [policy('identity', allowRead())],
      resourcePolicy: policy('resource', { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Other` }, Action: GET, Resource: '*' }),
    });
    expect(d.verdict).toBe('allowed');
    expect(linkStatus(d, 'resource-policy')).toBe('not-applicable');
  });

  it('an unreadable resource policy could deny: undetermined', () => {
    expect(decideAccess({ ...base, identityPolicies: [policy('identity', allowRead())], resourcePolicy: 'unknown' }).verdict).toBe('undetermined');
  });
});

describe('cross-account', () => {
  const { sessionArn: _sameAccountSession, ...withoutSession } = base;
  const crossBase: DecideAccessInput = { ...withoutSession, principalArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Fn`, principalAccount: OTHER_ACCOUNT };
  const cmk = (...statements: PolicyStatement[]) => ({ keyArn: KEY, keyPolicy: policy('key', statements) });
  const keyGrant: PolicyStatement = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'kms:Decrypt', Resource: '*' };
  const resourceGrant = policy('resource', { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: GET, Resource: '*' });
  const identity = [policy('identity', [allowRead(), allowDecrypt()])];

  it('allowed with identity allow, resource-policy allow and a customer-managed key that allows the account', () => {
    const d = decideAccess({ ...crossBase, identityPolicies: identity, resourcePolicy: resourceGrant, customerManagedKey: cmk(enableIamUserPermissions, keyGrant) });
    expect(d.verdict).toBe('allowed');
  });

  it('identity allow without a resource policy is denied', () => {
    const d = decideAccess({ ...crossBase, identityPolicies: identity, customerManagedKey: cmk(keyGrant) });
    expect(d.verdict).toBe('denied');
    expect(linkStatus(d, 'resource-policy')).toBe('fail');
  });

  it('resource-policy allow without an identity allow is denied', () => {
    const d = decideAccess({ ...crossBase, resourcePolicy: resourceGrant, customerManagedKey: cmk(keyGrant) });
    expect(d.verdict).toBe('denied');
    expect(linkStatus(d, 'identity')).toBe('fail');
  });

  it('the aws/secretsmanager managed key never works cross-account', () => {
    const d = decideAccess({ ...crossBase, identityPolicies: identity, resourcePolicy: resourceGrant });
    expect(d.verdict).toBe('denied');
    expect(linkStatus(d, 'kms-key')).toBe('fail');
    expect(d.reasons.join(' ')).toMatch(/aws\/secretsmanager/);
  });
});

describe('customer-managed KMS key, same account', () => {
  const read = policy('identity', allowRead());
  const both = policy('identity', [allowRead(), allowDecrypt()]);
  const key = (...statements: PolicyStatement[]) => ({ keyArn: KEY, keyPolicy: policy('key', statements, 'key policy') });

  it('key policy delegating to IAM plus an identity kms:Decrypt allow → allowed', () => {
    expect(decideAccess({ ...base, identityPolicies: [both], customerManagedKey: key(enableIamUserPermissions) }).verdict).toBe('allowed');
  });

  it('key policy delegating to IAM but no identity kms:Decrypt → denied, naming the missing half', () => {
    const d = decideAccess({ ...base, identityPolicies: [read], customerManagedKey: key(enableIamUserPermissions) });
    expect(d.verdict).toBe('denied');
    expect(linkStatus(d, 'kms-key')).toBe('fail');
    expect(linkStatus(d, 'identity')).toBe('pass');
    expect(d.reasons.join(' ')).toMatch(/delegates to IAM, but no identity-based policy allows kms:Decrypt/);
  });

  it('identity kms:Decrypt without key-policy delegation → denied (key policies are mandatory)', () => {
    const adminsOnly: PolicyStatement = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` }, Action: 'kms:*', Resource: '*' };
    const d = decideAccess({ ...base, identityPolicies: [both], customerManagedKey: key(adminsOnly) });
    expect(d.verdict).toBe('denied');
    expect(d.reasons.join(' ')).toMatch(/neither allows the role nor delegates/);
  });

  it('key policy naming the role grants kms:Decrypt without an identity allow', () => {
    const direct: PolicyStatement = { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' };
    expect(decideAccess({ ...base, identityPolicies: [read], customerManagedKey: key(direct) }).verdict).toBe('allowed');
  });

  it.each([
    [{ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } }, 'allowed'],
    [{ StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } }, 'denied'],
    [{ StringEquals: { 'kms:CallerAccount': ACCOUNT } }, 'allowed'],
    [{ StringEquals: { 'kms:EncryptionContext:SecretARN': SECRET } }, 'allowed'],
    [{ StringLike: { 'kms:EncryptionContext:SecretARN': 'arn:aws:secretsmanager:*:*:secret:other/*' } }, 'denied'],
    [{ StringEquals: { 'kms:EncryptionContext:SecretVersionId': 'v1' } }, 'undetermined'],
  ])('key-policy condition %j → %s', (condition, verdict) => {
    const viaSm: PolicyStatement = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: condition };
    expect(decideAccess({ ...base, identityPolicies: [read], customerManagedKey: key(viaSm) }).verdict).toBe(verdict);
  });

  it('an explicit Deny in the key policy beats everything', () => {
    const deny: PolicyStatement = { Sid: 'NoDecrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
    const d = decideAccess({ ...base, identityPolicies: [both], customerManagedKey: key(enableIamUserPermissions, deny) });
    expect(d.verdict).toBe('denied');
    expect(d.deciding).toMatchObject({ sid: 'NoDecrypt', kind: 'key' });
  });

  it('the boundary must allow kms:Decrypt too', () => {
    const d = decideAccess({ ...base, identityPolicies: [both], boundary: policy('boundary', allowRead('*')), customerManagedKey: key(enableIamUserPermissions) });
    expect(d.verdict).toBe('denied');
    expect(linkStatus(d, 'boundary')).toBe('fail');
  });

  it('an unreadable key policy → undetermined', () => {
    expect(decideAccess({ ...base, identityPolicies: [both], customerManagedKey: { keyArn: KEY, keyPolicy: 'unknown' } }).verdict).toBe('undetermined');
  });

  it('secretsmanager:* context keys do not leak into the KMS request', () => {
    const stageCondition: PolicyStatement = { ...allowDecrypt(), Condition: { StringEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT' } } };
    const d = decideAccess({
      ...base, identityPolicies: [read, policy('identity', stageCondition)], customerManagedKey: key(enableIamUserPermissions),
      context: { 'secretsmanager:VersionStage': 'AWSCURRENT' },
    });
    // In the KMS request the key is absent, so StringEquals on it is false.
    expect(d.verdict).toBe('denied');
    expect(linkStatus(d, 'kms-key')).toBe('fail');
  });
});

it('reports all four links in a fixed order', () => {
  expect(decideAccess(base).links.map((l) => l.link)).toEqual(['identity', 'boundary', 'resource-policy', 'kms-key']);
});

it('defaults the action to GetSecretValue but evaluates another when asked', () => {
  const describeOnly = [policy('identity', { Effect: 'Allow', Action: 'secretsmanager:DescribeSecret', Resource: SECRET })];
  expect(decideAccess({ ...base, identityPolicies: describeOnly }).verdict).toBe('denied');
  expect(decideAccess({ ...base, identityPolicies: describeOnly, action: 'secretsmanager:DescribeSecret' }).verdict).toBe('allowed');
});
