import { describe, expect, it } from 'vitest';
import { classifyInvoke, parseAccessDenied, type ClassifyInput } from '../../src/invoke/classify.js';
import { parsePayload } from '../../src/invoke/payload.js';
import { deniedBecause, nodeSdkError, pythonClientError, ROLE_PRINCIPAL, SECRET_ARN } from './samples.js';

const remote = (sample: { payload: string; logs: string }, extra: Partial<ClassifyInput> = {}): ClassifyInput => ({
  payload: parsePayload(sample.payload),
  logs: sample.logs,
  mode: 'remote',
  ...extra,
});
const noIdentityAllow = 'because no identity-based policy allows the secretsmanager:GetSecretValue action';

describe('classifyInvoke', () => {
  it.each([
    ['boto3 AccessDenied by name', pythonClientError('AccessDeniedException', 'GetSecretValue', deniedBecause(ROLE_PRINCIPAL, 'openweatherapi', noIdentityAllow)), 'secret-access-denied'],
    ['SDK v3 AccessDenied by ARN', nodeSdkError('AccessDeniedException', deniedBecause(ROLE_PRINCIPAL, SECRET_ARN, noIdentityAllow)), 'secret-access-denied'],
    ['boto3 KMS', pythonClientError('AccessDeniedException', 'GetSecretValue', 'Access to KMS is not allowed'), 'kms-access-denied'],
    ['SDK v3 KMS', nodeSdkError('AccessDeniedException', 'Access to KMS is not allowed'), 'kms-access-denied'],
    ['boto3 not found', pythonClientError('ResourceNotFoundException', 'GetSecretValue', "Secrets Manager can't find the specified secret."), 'secret-not-found'],
    ['SDK v3 not found', nodeSdkError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."), 'secret-not-found'],
    ['a plain handler bug', nodeSdkError('TypeError', "Cannot read properties of undefined (reading 'apiKey')"), 'unhandled-exception'],
    ['a good result', { payload: '{"statusCode": 200, "body": "{\\"temp\\": 4.5}"}', logs: 'START RequestId: x Version: $LATEST\nEND RequestId: x\n' }, 'ok'],
  ])('%s → %s', (_name, sample, code) => {
    expect(classifyInvoke(remote(sample)).code).toBe(code);
  });

  it('names the role, the function and the secret an access denial is about, and points at check-policy', () => {
    const diagnosis = classifyInvoke(remote(pythonClientError('AccessDeniedException', 'GetSecretValue', deniedBecause(ROLE_PRINCIPAL, 'openweatherapi', noIdentityAllow))));
    expect(diagnosis.detail).toEqual({
      principal: ROLE_PRINCIPAL,
      role: 'weather-app-WeatherFunctionRole-1A2B3C4D5E6F',
      session: 'weather-app-WeatherFunction-Xy12Ab34Cd56',
      resource: 'openweatherapi',
      reason: 'no-identity-policy-allows',
    });
    expect(diagnosis.summary).toContain('weather-app-WeatherFunctionRole-1A2B3C4D5E6F');
    expect(diagnosis.summary).toContain('no identity-based policy allows it');
    expect(diagnosis.nextStep).toContain('weather-secrets check-policy');
  });

  it('tells a local run that the denied identity is the developer, not the function role', () => {
    const sample = pythonClientError('AccessDeniedException', 'GetSecretValue', deniedBecause('arn:aws:iam::123456789012:user/jane.developer', 'openweatherapi', noIdentityAllow));
    const diagnosis = classifyInvoke({ ...remote(sample), mode: 'local' });
    expect(diagnosis.code).toBe('secret-access-denied');
    expect(diagnosis.detail).toMatchObject({ principal: 'arn:aws:iam::123456789012:user/jane.developer' });
    expect(diagnosis.nextStep).toMatch(/YOUR credentials, not the function's role/);
  });

  it('finds the denial when the handler caught it, logged it and returned normally', () => {
    const logged = pythonClientError('AccessDeniedException', 'GetSecretValue', deniedBecause(ROLE_PRINCIPAL, 'openweatherapi', noIdentityAllow)).logs;
    expect(classifyInvoke(remote({ payload: '{"statusCode": 500, "body": "weather unavailable"}', logs: logged })).code).toBe('secret-access-denied');
  });

  it.each([
    ['remote in a VPC', 'remote', true, 'timeout-vpc', /NAT gateway nor a Secrets Manager interface endpoint/],
    ['remote outside a VPC', 'remote', false, 'timeout', /timed out after 3 seconds/],
    ['local, even with a VPC in the template (sam has no VPC)', 'local', true, 'timeout', /timed out after 3 seconds/],
  ] as const)('timeout %s → %s', (_name, mode, vpcConfigured, code, summary) => {
    const logs = mode === 'local'
      ? "Function 'WeatherFunction' timed out after 3 seconds\nNo response from invoke container for WeatherFunction\n"
      : 'START RequestId: x Version: $LATEST\n2026-11-28T23:10:05.123Z x Task timed out after 3.00 seconds\n';
    const payload = mode === 'local' ? '' : '{"errorMessage":"2026-11-28T23:10:05.123Z x Task timed out after 3.00 seconds"}';
    const diagnosis = classifyInvoke({ payload: parsePayload(payload), logs, mode, functionConfig: { vpcConfigured } });
    expect(diagnosis.code).toBe(code);
    expect(diagnosis.summary).toMatch(summary);
  });

  it.each([
    ['boto3, bad keys', pythonClientError('UnrecognizedClientException', 'GetSecretValue', 'The security token included in the request is invalid.')],
    ['boto3, expired SSO session', pythonClientError('ExpiredTokenException', 'GetSecretValue', 'The security token included in the request is expired')],
    ['boto3, no credentials at all', { payload: JSON.stringify({ errorMessage: 'Unable to locate credentials', errorType: 'NoCredentialsError', requestId: 'x', stackTrace: [] }), logs: '[ERROR] NoCredentialsError: Unable to locate credentials' }],
    ['SDK v3, no credentials', nodeSdkError('CredentialsProviderError', 'Could not load credentials from any providers')],
  ])('locally, %s → invalid-local-credentials', (_name, sample) => {
    const diagnosis = classifyInvoke({ ...remote(sample), mode: 'local' });
    expect(diagnosis.code).toBe('invalid-local-credentials');
    expect(diagnosis.summary).toContain('your own AWS credentials');
  });

  it('deployed, a credentials error is the function\'s own bug, reported with its type', () => {
    const diagnosis = classifyInvoke(remote(nodeSdkError('CredentialsProviderError', 'Could not load credentials from any providers')));
    expect(diagnosis).toMatchObject({ code: 'unhandled-exception', detail: { errorType: 'CredentialsProviderError' } });
  });

  it('reports an unhandled exception with its type and message', () => {
    const diagnosis = classifyInvoke(remote({ payload: JSON.stringify({ errorMessage: "'apiKey'", errorType: 'KeyError', stackTrace: [] }), logs: '' }));
    expect(diagnosis.summary).toBe("The function raised KeyError: 'apiKey'");
  });

  it('trusts Lambda\'s FunctionError even when the payload is not the usual error object', () => {
    expect(classifyInvoke(remote({ payload: '"boom"', logs: '' }, { functionError: 'Unhandled' })).code).toBe('unhandled-exception');
  });
});

describe('parseAccessDenied', () => {
  const principal = 'arn:aws:sts::123456789012:assumed-role/WeatherRole/weather-fn';
  it.each([
    ['with an explicit deny in a resource-based policy', 'explicit-deny-resource-policy'],
    ['with an explicit deny in an identity-based policy', 'explicit-deny-identity-policy'],
    ['with an explicit deny in a permissions boundary', 'permissions-boundary'],
    ['because no permissions boundary allows the secretsmanager:GetSecretValue action', 'permissions-boundary'],
    ['with an explicit deny in a service control policy', 'service-control-policy'],
    ['because no session policy allows the secretsmanager:GetSecretValue action', 'session-policy'],
    ['because no resource-based policy allows the secretsmanager:GetSecretValue action', 'no-resource-policy-allows'],
    [noIdentityAllow, 'no-identity-policy-allows'],
    ['', 'unspecified'],
  ])('"%s" → %s', (tail, reason) => {
    const detail = parseAccessDenied(deniedBecause(principal, SECRET_ARN, tail));
    expect(detail).toEqual({ principal, role: 'WeatherRole', session: 'weather-fn', resource: SECRET_ARN, reason });
  });

  it('reads the resource out of JSON-escaped log text', () => {
    const line = JSON.stringify({ errorMessage: deniedBecause(principal, 'openweatherapi', '') });
    expect(parseAccessDenied(line).resource).toBe('openweatherapi');
  });
});
