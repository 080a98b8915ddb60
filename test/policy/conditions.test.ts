import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../src/policy/context.js';
import { evaluateConditionBlock, evaluateConditionEntry } from '../../src/policy/conditions.js';
import type { ConditionBlock } from '../../src/policy/types.js';

const ROLE = 'arn:aws:iam::123456789012:role/WeatherFunctionRole';
const ctx = new RequestContext({
  values: {
    'aws:PrincipalArn': ROLE,
    'aws:PrincipalAccount': '123456789012',
    'aws:SecureTransport': true,
    'secretsmanager:VersionStage': 'AWSCURRENT',
    'aws:TagKeys': ['env', 'team'],
    'aws:EmptySet': [],
    'aws:MultiFactorAuthAge': '300',
    'aws:CurrentTime': '2026-06-01T12:00:00Z',
  },
  absentKeys: ['aws:SourceVpce', 'aws:RequestTag/env', 'aws:TagKeysAbsent'],
});

type V = string | boolean | number | Array<string | boolean | number>;
const entry = (op: string, key: string, values: V): string => evaluateConditionEntry(op, key, values, ctx).state;

describe('string operators', () => {
  it.each([
    ['StringEquals', 'secretsmanager:VersionStage', 'AWSCURRENT', 'yes'],
    ['StringEquals', 'secretsmanager:VersionStage', 'awscurrent', 'no'],
    ['StringEquals', 'secretsmanager:VersionStage', 'AWS*', 'no'], // no wildcards in StringEquals
    ['StringEquals', 'secretsmanager:VersionStage', ['AWSPENDING', 'AWSCURRENT'], 'yes'], // values OR'ed
    ['StringNotEquals', 'secretsmanager:VersionStage', 'AWSPENDING', 'yes'],
    ['StringNotEquals', 'secretsmanager:VersionStage', ['AWSPENDING', 'AWSCURRENT'], 'no'], // "none of"
    ['StringEqualsIgnoreCase', 'secretsmanager:VersionStage', 'awscurrent', 'yes'],
    ['StringNotEqualsIgnoreCase', 'secretsmanager:VersionStage', 'awscurrent', 'no'],
    ['StringNotEqualsIgnoreCase', 'secretsmanager:VersionStage', 'awspending', 'yes'],
    ['StringLike', 'secretsmanager:VersionStage', 'AWS*', 'yes'],
    ['StringLike', 'secretsmanager:VersionStage', 'AWS?URRENT', 'yes'],
    ['StringLike', 'secretsmanager:VersionStage', 'AWSCURRENT?', 'no'], // ? is never empty
    ['StringLike', 'secretsmanager:VersionStage', 'AWS??URRENT', 'no'],
    ['StringLike', 'secretsmanager:VersionStage', 'AWSC??RENT', 'yes'],
    ['StringLike', 'secretsmanager:VersionStage', 'aws*', 'no'], // case-sensitive
    ['StringNotLike', 'secretsmanager:VersionStage', 'AWSPEND*', 'yes'],
    ['StringNotLike', 'secretsmanager:VersionStage', 'AWS*', 'no'],
  ])('%s %s %j → %s', (op, key, values, expected) => {
    expect(entry(op, key, values)).toBe(expected);
  });

  it('treats condition keys case-insensitively', () => {
    expect(entry('StringEquals', 'SECRETSMANAGER:versionstage', 'AWSCURRENT')).toBe('yes');
    expect(entry('ArnEquals', 'AWS:PRINCIPALARN', ROLE)).toBe('yes');
  });

  it('resolves policy variables in condition values', () => {
    expect(entry('StringEquals', 'aws:PrincipalArn', 'arn:aws:iam::${aws:PrincipalAccount}:role/WeatherFunctionRole')).toBe('yes');
    expect(entry('StringEquals', 'aws:PrincipalArn', 'arn:aws:iam::${aws:userid}:role/X')).toBe('unknown');
  });
});

describe('ARN operators', () => {
  it.each([
    ['ArnEquals', ROLE, 'yes'],
    ['ArnEquals', 'arn:aws:iam::123456789012:role/*', 'yes'], // ArnEquals also takes wildcards
    ['ArnLike', 'arn:aws:iam::*:role/Weather*', 'yes'],
    ['ArnLike', 'arn:aws:iam::*:role/weather*', 'no'],
    ['ArnLike', 'arn:aws:iam::123456789012:role/WeatherFunctionRol?', 'yes'],
    ['ArnNotEquals', ROLE, 'no'],
    ['ArnNotLike', 'arn:aws:iam::999999999999:*', 'yes'],
    ['ArnNotLike', 'arn:aws:iam::123456789012:*', 'no'],
  ])('%s aws:PrincipalArn %s → %s', (op, value, expected) => {
    expect(entry(op, 'aws:PrincipalArn', value)).toBe(expected);
  });
});

describe('Bool, Null, Numeric, Date', () => {
  it.each([
    ['Bool', 'aws:SecureTransport', 'true', 'yes'],
    ['Bool', 'aws:SecureTransport', true, 'yes'],
    ['Bool', 'aws:SecureTransport', 'false', 'no'],
    ['Bool', 'aws:SecureTransport', 'yes-please', 'unknown'],
    ['Bool', 'aws:SourceVpce', 'true', 'no'], // missing key: false
    ['BoolIfExists', 'aws:SourceVpce', 'false', 'yes'], // missing key: IfExists is true
    ['Null', 'aws:SourceVpce', 'true', 'yes'], // key is absent
    ['Null', 'aws:SourceVpce', 'false', 'no'],
    ['Null', 'aws:SecureTransport', 'true', 'no'],
    ['Null', 'aws:SecureTransport', 'false', 'yes'],
    ['Null', 'aws:NeverHeardOfIt', 'true', 'unknown'], // cannot tell whether it is present
    ['NumericLessThan', 'aws:MultiFactorAuthAge', '3600', 'yes'],
    ['NumericGreaterThan', 'aws:MultiFactorAuthAge', '3600', 'no'],
    ['NumericEquals', 'aws:MultiFactorAuthAge', 300, 'yes'],
    ['NumericNotEquals', 'aws:MultiFactorAuthAge', '300', 'no'],
    ['NumericLessThanEquals', 'aws:MultiFactorAuthAge', '300', 'yes'],
    ['NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', '301', 'no'],
    ['NumericLessThan', 'aws:MultiFactorAuthAge', 'abc', 'unknown'],
    ['DateLessThan', 'aws:CurrentTime', '2027-01-01T00:00:00Z', 'yes'],
    ['DateGreaterThan', 'aws:CurrentTime', '2027-01-01T00:00:00Z', 'no'],
    ['DateGreaterThanEquals', 'aws:CurrentTime', '1780315200', 'yes'], // epoch seconds = 2026-06-01T12:00:00Z
    ['DateEquals', 'aws:CurrentTime', 'not a date', 'unknown'],
  ])('%s %s %j → %s', (op, key, values, expected) => {
    expect(entry(op, key, values)).toBe(expected);
  });
});

describe('missing keys (AWS: positive ops false, negated ops true, IfExists true)', () => {
  it.each([
    ['StringEquals', 'no'],
    ['StringLike', 'no'],
    ['ArnLike', 'no'],
    ['StringNotEquals', 'yes'],
    ['StringNotLike', 'yes'],
    ['ArnNotEquals', 'yes'],
    ['StringEqualsIfExists', 'yes'],
    ['StringNotEqualsIfExists', 'yes'],
    ['ArnLikeIfExists', 'yes'],
  ])('%s on an absent key → %s', (op, expected) => {
    expect(entry(op, 'aws:SourceVpce', 'vpce-123')).toBe(expected);
  });

  it('is undetermined, not false, when the key was never observed', () => {
    const r = evaluateConditionEntry('StringEquals', 'aws:SourceIp', '10.0.0.1', ctx);
    expect(r.state).toBe('unknown');
    expect(r.reasons.join()).toMatch(/aws:SourceIp/);
    expect(entry('StringNotEqualsIfExists', 'aws:SourceIp', 'x')).toBe('unknown');
  });

  it('IfExists still checks a present key', () => {
    expect(entry('StringEqualsIfExists', 'secretsmanager:VersionStage', 'AWSPENDING')).toBe('no');
  });
});

describe('set qualifiers', () => {
  it.each([
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['team'], 'yes'],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['owner'], 'no'],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team', 'owner'], 'yes'],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['env'], 'no'],
    ['ForAllValues:StringLike', 'aws:TagKeys', ['*e*'], 'yes'],
    // empty or missing sets: ForAnyValue false, ForAllValues true
    ['ForAnyValue:StringEquals', 'aws:EmptySet', ['x'], 'no'],
    ['ForAllValues:StringEquals', 'aws:EmptySet', ['x'], 'yes'],
    ['ForAnyValue:StringEquals', 'aws:TagKeysAbsent', ['x'], 'no'],
    ['ForAllValues:StringEquals', 'aws:TagKeysAbsent', ['x'], 'yes'],
    ['ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env'], 'yes'], // "team" is not env
    ['ForAllValues:StringNotEquals', 'aws:TagKeys', ['env'], 'no'],
    ['forallvalues:stringequals', 'aws:TagKeys', ['env', 'team'], 'yes'],
  ])('%s %s %j → %s', (op, key, values, expected) => {
    expect(entry(op, key, values)).toBe(expected);
  });

  it('refuses to guess a single-valued operator on a multivalued key', () => {
    expect(entry('StringEquals', 'aws:TagKeys', 'env')).toBe('unknown');
  });
});

describe('unsupported operators', () => {
  it.each(['IpAddress', 'NotIpAddress', 'BinaryEquals', 'StringEqualz', 'ForSomeValues:StringEquals', 'NullIfExists'])(
    '%s → undetermined with a reason naming it',
    (op) => {
      const r = evaluateConditionEntry(op, 'secretsmanager:VersionStage', 'AWSCURRENT', ctx);
      expect(r.state).toBe('unknown');
      expect(r.reasons.join()).toContain(op);
    },
  );
});

describe('condition blocks', () => {
  const block = (b: ConditionBlock): string => evaluateConditionBlock(b, ctx).state;
  it('ANDs keys and operators', () => {
    expect(block({ StringEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT', 'aws:PrincipalAccount': '123456789012' } })).toBe('yes');
    expect(block({ StringEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT', 'aws:PrincipalAccount': '999999999999' } })).toBe('no');
    expect(block({ StringEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT' }, Bool: { 'aws:SecureTransport': 'false' } })).toBe('no');
  });
  it('a definite false settles the block even next to an unknown', () => {
    expect(block({ StringEquals: { 'aws:SourceIp': 'x', 'aws:PrincipalAccount': '999999999999' } })).toBe('no');
  });
  it('an unknown next to trues keeps the block undetermined', () => {
    expect(block({ StringEquals: { 'aws:SourceIp': 'x', 'aws:PrincipalAccount': '123456789012' } })).toBe('unknown');
  });
  it('no Condition element means the statement is unconditional', () => {
    expect(evaluateConditionBlock(undefined, ctx).state).toBe('yes');
  });
});
