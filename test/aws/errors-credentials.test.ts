import { describe, expect, it } from 'vitest';
import { translateAwsError } from '../../src/aws/errors.js';
import { timeoutsFromEnv } from '../../src/aws/config.js';

const sdkError = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });

describe('credential errors are not permission problems', () => {
  it.each([
    ['ExpiredToken', 'credentials-expired'],
    ['ExpiredTokenException', 'credentials-expired'],
    ['UnrecognizedClientException', 'credentials-invalid'],
    ['InvalidClientTokenId', 'credentials-invalid'],
    ['AccessDeniedException', 'access-denied'],
  ])('%s -> %s', (name, code) => {
    const error = translateAwsError(sdkError(name, 'The security token included in the request is expired'), 'STS', 'GetCallerIdentity');
    expect(error.code).toBe(code);
    if (code !== 'access-denied') expect(error.hint).toMatch(/aws sso login|AWS_ACCESS_KEY_ID/);
  });

  it("shows the SDK's SSO message without --verbose", () => {
    const error = translateAwsError(sdkError('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.'), 'STS', 'GetCallerIdentity');
    expect(error.code).toBe('sso-login-required');
    expect(error.message).toContain('The SSO session associated with this profile has expired');
    expect(error.hint).toContain('aws sso login');
  });

  it('a request timeout names the operation', () => {
    const error = translateAwsError(sdkError('TimeoutError', '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 400 ms requestTimeout.', { code: 'ETIMEDOUT' }), 'Secrets Manager', 'PutSecretValue');
    expect(error.code).toBe('request-timeout');
    expect(error.message).toBe('Secrets Manager PutSecretValue got no answer in time (the request timed out).');
  });
});

describe('timeouts come from documented settings', () => {
  it.each([
    [{}, { connectMs: 5000, requestMs: 30000, invokeMs: 910000 }],
    [{ WEATHER_SECRETS_REQUEST_TIMEOUT_MS: '400' }, { connectMs: 400, requestMs: 400, invokeMs: 910000 }],
    [{ WEATHER_SECRETS_INVOKE_TIMEOUT_MS: '60000', WEATHER_SECRETS_REQUEST_TIMEOUT_MS: 'abc' }, { connectMs: 5000, requestMs: 30000, invokeMs: 60000 }],
  ])('%j', (env, expected) => expect(timeoutsFromEnv(env)).toEqual(expected));
});
