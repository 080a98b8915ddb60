import { describe, expect, it } from 'vitest';
import { analyseSecretArnPattern, parseArn, parseSecretArn, recommendedSecretArnPattern } from '../../src/policy/arn.js';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/weather_api.key+v2=@x-AbC123';
const BASE = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:';

describe('parseArn / parseSecretArn', () => {
  it('keeps colons and slashes in the resource part', () => {
    expect(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*')).toEqual({
      partition: 'aws', service: 'logs', region: 'us-east-1', account: '123456789012', resource: 'log-group:/aws/lambda/f:*',
    });
  });
  it('rejects non-ARNs', () => {
    expect(parseArn('prod/db')).toBeUndefined();
    expect(parseArn('arn:aws:s3')).toBeUndefined();
  });
  it('splits a secret name with / _ . + = @ - from its six-character suffix', () => {
    const s = parseSecretArn(SECRET);
    expect(s?.name).toBe('prod/weather_api.key+v2=@x');
    expect(s?.suffix).toBe('AbC123');
  });
  it('treats a partial ARN (no suffix) as not a full secret ARN', () => {
    expect(parseSecretArn(`${BASE}db`)).toBeUndefined();
  });
});

describe('recommendedSecretArnPattern', () => {
  it('builds NAME-?????? and that pattern matches the real ARN', () => {
    const secret = parseSecretArn(SECRET)!;
    const pattern = recommendedSecretArnPattern(secret);
    expect(pattern).toBe(`${BASE}prod/weather_api.key+v2=@x-??????`);
    expect(analyseSecretArnPattern(pattern, SECRET).code).toBe('matches');
  });
  it('keeps the partition (aws-cn, aws-us-gov)', () => {
    expect(recommendedSecretArnPattern({ partition: 'aws-cn', region: 'cn-north-1', account: '1', name: 'n' }))
      .toBe('arn:aws-cn:secretsmanager:cn-north-1:1:secret:n-??????');
  });
});

describe('analyseSecretArnPattern', () => {
  it.each([
    [SECRET, 'matches'],
    ['*', 'matches'],
    [`${BASE}prod/*`, 'matches'],
    [`${BASE}prod/weather_api.key+v2=@x-*`, 'matches'],
    [`${BASE}prod/weather_api.key+v2=@x`, 'missing-suffix'],
    [`${BASE}prod/weather_api.key+v2=@x-[xxxxxx]`, 'placeholder-suffix'],
    [`${BASE}prod/weather_api.key+v2=@x-XXXXXX`, 'placeholder-suffix'],
    [`${BASE}prod/weather_api.key+v2=@x-xxxxxx`, 'placeholder-suffix'],
    [`${BASE}prod/weather_api.key+v2=@x-<suffix>`, 'placeholder-suffix'],
    [`${BASE}prod/weather_api.key+v2=@x-{random}`, 'placeholder-suffix'],
    [`${BASE}prod/weather_api.key+v2=@x-Zz9876`, 'wrong-suffix'],
    // `?????` is five: one short of the suffix
    [`${BASE}prod/weather_api.key+v2=@x-?????`, 'wrong-name'],
    [`${BASE}prod/weather_api.kex+v2=@x-??????`, 'wrong-name'],
    [`${BASE}Prod/Weather_api.key+v2=@x-??????`, 'wrong-name'],
    // `.` in the policy is a literal dot, not "any char"
    [`${BASE}prod/weather_api_key+v2=@x-??????`, 'wrong-name'],
    [`${BASE}staging/other-AbC123`, 'wrong-name'],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/*', 'wrong-region'],
    ['arn:aws:secretsmanager:eu-west-1:210987654321:secret:prod/*', 'wrong-account'],
    ['arn:aws-cn:secretsmanager:eu-west-1:123456789012:secret:prod/*', 'wrong-partition'],
    ['arn:aws:ssm:eu-west-1:123456789012:secret:prod/*', 'wrong-service'],
    ['arn:aws:secretsmanager:eu-west-1:123456789012:parameter/prod', 'wrong-resource-type'],
    ['prod/weather_api.key+v2=@x', 'not-an-arn'],
  ])('%s → %s', (pattern, code) => {
    expect(analyseSecretArnPattern(pattern, SECRET).code).toBe(code);
  });

  it('offers the recommended pattern with each mismatch', () => {
    const r = analyseSecretArnPattern(`${BASE}prod/weather_api.key+v2=@x`, SECRET);
    expect(r.recommended).toBe(`${BASE}prod/weather_api.key+v2=@x-??????`);
    expect(r.message).toContain('-AbC123');
  });

  it('says when only letter case differs', () => {
    expect(analyseSecretArnPattern(`${BASE}Prod/Weather_api.key+v2=@x-??????`, SECRET).message).toMatch(/letter case/);
  });

  it('says when the name is merely similar vs a different secret', () => {
    expect(analyseSecretArnPattern(`${BASE}prod/weather_api.kex+v2=@x-??????`, SECRET).message).toMatch(/close to/);
    expect(analyseSecretArnPattern(`${BASE}billing/stripe-??????`, SECRET).message).toMatch(/different secret/);
  });
});
