import { describe, expect, it } from 'vitest';
import { matchPolicyPattern, matchWildcard, resolvePolicyVariables } from '../../src/policy/wildcard.js';

describe('matchWildcard', () => {
  it.each([
    // `*` matches any run, including the empty one
    ['*', '', true],
    ['*', 'anything:at/all', true],
    ['secret:prod/*', 'secret:prod/db-AbC123', true],
    ['secret:prod/*', 'secret:staging/db-AbC123', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    // `?` is exactly one character: not zero, not two
    ['db-??????', 'db-AbC123', true],
    ['db-??????', 'db-AbC12', false],
    ['db-??????', 'db-AbC1234', false],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['a?c', 'abc', true],
    // regex metacharacters are literal characters
    ['my.secret', 'myXsecret', false],
    ['my.secret', 'my.secret', true],
    ['a+b', 'aab', false],
    ['a+b', 'a+b', true],
    ['(x)[y]{z}|^$\\', '(x)[y]{z}|^$\\', true],
    ['[abc]', 'a', false],
    ['db-[xxxxxx]', 'db-x', false],
    ['name.with.dots-*', 'name_with_dots-AbC123', false],
    // case-sensitive by default (resources, ARNs)
    ['arn:aws:secretsmanager:*:secret:Prod-*', 'arn:aws:secretsmanager:*:secret:prod-AbC123', false],
  ])('%j vs %j → %s', (pattern, value, expected) => {
    expect(matchWildcard(pattern, value)).toBe(expected);
  });

  it.each([
    ['secretsmanager:GetSecretValue', 'SecretsManager:getsecretvalue', true],
    ['SECRETSMANAGER:Get*', 'secretsmanager:GetSecretValue', true],
    ['secretsmanager:Describe*', 'secretsmanager:GetSecretValue', false],
  ])('ignoreCase (actions): %s vs %s → %s', (pattern, value, expected) => {
    expect(matchWildcard(pattern, value, { ignoreCase: true })).toBe(expected);
  });

  it('does not blow up on pathological patterns', () => {
    const started = Date.now();
    expect(matchWildcard('*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('policy variables', () => {
  const lookup = (k: string): string | undefined => ({ 'aws:username': 'alice', 'aws:principaltag/team': 'a*b' } as Record<string, string>)[k.toLowerCase()];

  it.each([
    ['arn:aws:secretsmanager:*:*:secret:${aws:username}/*', 'arn:aws:secretsmanager:r:1:secret:alice/db', 'yes'],
    ['arn:aws:secretsmanager:*:*:secret:${aws:username}/*', 'arn:aws:secretsmanager:r:1:secret:bob/db', 'no'],
    // unknown variable: cannot tell, must not guess
    ['secret:${aws:userid}/*', 'secret:alice/db', 'unknown'],
    // ${*} and ${?} are literal characters, not wildcards
    ['a${*}b', 'a*b', 'yes'],
    ['a${*}b', 'aXb', 'no'],
    ['a${?}', 'a?', 'yes'],
    ['a${?}', 'ab', 'no'],
    // a substituted value's `*` is literal data
    ['team/${aws:PrincipalTag/team}', 'team/a*b', 'yes'],
    ['team/${aws:PrincipalTag/team}', 'team/aXXb', 'no'],
  ])('%s vs %s → %s', (pattern, value, expected) => {
    expect(matchPolicyPattern(pattern, value, { lookup }).state).toBe(expected);
  });

  it('reports the unresolved variable by name', () => {
    const r = resolvePolicyVariables('x/${aws:userid}/${aws:username}', lookup);
    expect(r.ok).toBe(false);
    expect(r.unresolved).toEqual(['${aws:userid}']);
  });
});
