/** Error translation with the SDK's real exception classes, not look-alike objects. */
import { ResourceNotFoundException, InvalidRequestException } from '@aws-sdk/client-secrets-manager';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { translateAwsError } from '../../src/aws/errors.js';

const meta = { $metadata: {} };

describe('translateAwsError', () => {
  it.each([
    ['throttling past retries', new TooManyRequestsException({ message: 'Rate exceeded', ...meta }), 'throttled', /throttled/],
    ['a plain service error', new InvalidRequestException({ message: 'bad', ...meta }), 'aws-error', /InvalidRequestException: bad/],
    ['not found (callers usually handle it first)', new ResourceNotFoundException({ message: 'gone', ...meta }), 'aws-error', /ResourceNotFoundException/],
  ])('%s', (_n, error, code, message) => {
    const translated = translateAwsError(error, 'Lambda', 'Invoke');
    expect(translated).toMatchObject({ code, exitCode: 3 });
    expect(translated.message).toMatch(message);
    expect(translated.cause).toBe(error);
  });

  it('access denied names the operation and points at the permissions list', () => {
    const error = Object.assign(new Error('User: arn:aws:iam::1:user/dev is not authorized'), { name: 'AccessDeniedException' });
    const translated = translateAwsError(error, 'Secrets Manager', 'DescribeSecret');
    expect(translated).toMatchObject({ code: 'access-denied', exitCode: 3 });
    expect(translated.message).toContain('Secrets Manager DescribeSecret');
  });

  it('a refused connection is "endpoint unreachable", found through nested causes', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = Object.assign(new Error('fetch failed'), { cause: inner });
    expect(translateAwsError(error, 'Secrets Manager', 'GetSecretValue')).toMatchObject({ code: 'endpoint-unreachable' });
  });

  it('missing credentials say how to provide them', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(translateAwsError(error, 'STS', 'GetCallerIdentity')).toMatchObject({ code: 'no-credentials', hint: expect.stringMatching(/aws configure/) });
  });
});
