/** Shared names for the policy tests: one account, one Lambda role, one secret, one key. */
import type { NamedPolicy, PolicyKind, PolicyStatement } from '../../src/policy/types.js';

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/WeatherFunctionRole`;
export const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/WeatherFunctionRole/WeatherFunction`;
export const SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/weather.api+key-AbC123`;
export const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const GET = 'secretsmanager:GetSecretValue';

let counter = 0;
export function policy(kind: PolicyKind, statement: PolicyStatement | PolicyStatement[], name?: string): NamedPolicy {
  counter += 1;
  return { name: name ?? `${kind}-policy-${counter}`, kind, source: `test ${kind} policy`, document: { Version: '2012-10-17', Statement: statement } };
}

export const allowRead = (resource: string | string[] = SECRET): PolicyStatement => ({ Effect: 'Allow', Action: GET, Resource: resource });
export const allowDecrypt = (resource: string = KEY): PolicyStatement => ({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: resource });

/** The default key policy statement that delegates key access to the account's IAM policies. */
export const enableIamUserPermissions: PolicyStatement = {
  Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*',
};
