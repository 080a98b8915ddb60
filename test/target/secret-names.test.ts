import { describe, expect, it } from 'vitest';
import { dynamicReferenceIn, isSendableSecretId, looksLikeCredential, secretIdCandidates, secretIdConfidence, secretNameOf } from '../../src/target/secret-names.js';

describe('which variables name a secret (one rule for every command)', () => {
  it.each([
    ['SECRET_NAME', 'openweatherapi', 'medium'],
    ['OPENWEATHER_SECRET_ID', 'prod/owm', 'medium'],
    ['SECRETS_ARN', 'prod/owm', 'medium'],
    ['WEATHER_SECRET', 'prod/owm', 'low'],
    ['SECRET', 'prod/owm', 'low'],
    ['ANYTHING', 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:x-AbCdEf', 'high'],
    ['OPENWEATHER_API_KEY', '0123456789abcdef0123456789abcdef', undefined],
    ['API_KEY', 'openweatherapi', undefined],
    ['SECRET_KEY', 'django-insecure', undefined],
    ['CLIENT_SECRET', 'abc', undefined],
    ['OPENWEATHER_API_SECRET', 'abc', undefined],
    ['SECRETS_MANAGER_ENDPOINT', 'https://secretsmanager.eu-central-1.amazonaws.com', undefined],
    ['SECRET_CACHE_TTL', '300', undefined],
    ['SECRET_URL', 'https://x', undefined],
    ['USE_SECRETS', 'true', undefined],
    ['SECRETS_ENABLED', 'off', undefined],
    ['SECRET_ROTATION_DAYS', '30', undefined],
  ] as const)('%s=%s → %s', (variable, value, expected) => {
    const confidence = secretIdConfidence(variable, value);
    expect(confidence && isSendableSecretId(value) ? confidence : undefined).toBe(expected);
  });

  it('never takes a value shaped like a key, whatever the variable is called', () => {
    expect(secretIdCandidates({ MY_SECRET_NAME: '0123456789abcdef0123456789abcdef', WEATHER_SECRET: 'Zx9QwErTy7UiOp3AsDfGh1JkL' })).toEqual([]);
  });

  it.each([
    ['0123456789abcdef0123456789abcdef', true],
    ['wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY', true],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', true],
    ['openweatherapi', false],
    ['prod/owm', false],
    ['my-app-secret-2024', false],
    ['team/weather/OPENWEATHER_API_KEY', false],
  ])('looksLikeCredential(%s) = %s', (value, expected) => {
    expect(looksLikeCredential(value)).toBe(expected);
  });

  it('ranks an ARN first, then a *_NAME/_ARN/_ID variable, then the rest', () => {
    const env = { WEATHER_SECRET: 'low/one', SECRET_NAME: 'medium/one', OTHER: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:high-AbCdEf' };
    expect(secretIdCandidates(env).map((c) => c.value)).toEqual([env.OTHER, 'medium/one', 'low/one']);
  });
});

describe('dynamic references and names', () => {
  it.each([
    ['{{resolve:secretsmanager:prod/owm:SecretString:OPENWEATHER_API_KEY}}', { secretId: 'prod/owm', jsonKey: 'OPENWEATHER_API_KEY' }],
    ['{{resolve:secretsmanager:arn:aws:secretsmanager:eu-central-1:123456789012:secret:owm-AbCdEf:SecretString:k::v1}}', { secretId: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:owm-AbCdEf', jsonKey: 'k' }],
    ['prefix-{{resolve:secretsmanager:owm}}', { secretId: 'owm' }],
    ['{{resolve:ssm:/param}}', undefined],
  ])('%s', (text, expected) => {
    expect(dynamicReferenceIn(text)).toEqual(expected);
  });

  it.each([
    ['arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/owm-AbCdEf', 'prod/owm'],
    ['arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/owm', 'prod/owm'],
    ['prod/owm', 'prod/owm'],
  ])('secretNameOf(%s) = %s', (id, name) => {
    expect(secretNameOf(id)).toBe(name);
  });
});
