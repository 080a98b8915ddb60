/**
 * AWS managed policies weather-secrets knows by content (data/managed-policies.json). Anything else is
 * reported as undetermined by the caller: a managed policy we have not read must not be assumed to
 * allow, nor to deny.
 */
import { readFileSync } from 'node:fs';
import type { PolicyDocument } from '../policy/types.js';

export interface ManagedPolicy {
  name: string;
  arn: string;
  versionId: string;
  document: PolicyDocument;
}

interface ManagedPolicyFile {
  policies: Record<string, Omit<ManagedPolicy, 'name'>>;
}

let cache: Map<string, ManagedPolicy> | undefined;

/** Read lazily: most commands never need it, and startup time matters for a CLI. */
function catalogue(): Map<string, ManagedPolicy> {
  if (cache) return cache;
  // The same relative path works from src/template/ (tests) and dist/template/ (the built CLI).
  const file = new URL('../../data/managed-policies.json', import.meta.url);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ManagedPolicyFile;
  cache = new Map(Object.entries(parsed.policies).map(([name, p]) => [name, { name, ...p }]));
  return cache;
}

const AWS_MANAGED_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::aws:policy\/(?:.*\/)?([\w+=,.@-]+)$/;

/** Looks up `SecretsManagerReadWrite`, or `arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`. */
export function findManagedPolicy(nameOrArn: string): ManagedPolicy | undefined {
  const byArn = AWS_MANAGED_ARN.exec(nameOrArn);
  const name = byArn ? byArn[1]! : nameOrArn;
  const policy = catalogue().get(name);
  if (!policy) return undefined;
  // An ARN must also carry the right path: `policy/AWSLambdaBasicExecutionRole` (no service-role/) does not exist.
  if (byArn && policy.arn.replace(/^arn:aws:/, '') !== nameOrArn.replace(/^arn:aws(?:-cn|-us-gov)?:/, '')) return undefined;
  return policy;
}

/** True for `arn:...:iam::aws:policy/...`: an AWS managed policy, whether or not we know its content. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return AWS_MANAGED_ARN.test(arn);
}

/** The ARN SAM attaches for a managed policy name (it asks IAM; we can only answer for the ones we ship). */
export function managedPolicyArnFor(name: string, partition = 'aws'): string | undefined {
  const policy = catalogue().get(name);
  return policy?.arn.replace(/^arn:aws:/, `arn:${partition}:`);
}
