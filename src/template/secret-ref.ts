/**
 * Which secret a function reads, as far as the template says: an environment variable that names it
 * (SECRET_NAME, SECRET_ARN, OPENWEATHER_SECRET_ID, ...) with a literal, a parameter, or a reference to an
 * AWS::SecretsManager::Secret of the same template. Never reads or prints a secret value.
 */
import type { EnvironmentVariable, TemplateFunction } from './functions.js';
import { isUnresolved, resolveString, type ResolveContext, type Unresolved } from './intrinsics.js';
import { resolveTemplateKey, type TemplateKeyResolution } from './kms-key.js';
import { isRecord, type LoadedTemplate } from './load.js';
import { asResourceToken } from './tokens.js';
import { dynamicReferenceIn, FULL_SECRET_ARN, isSendableSecretId, SECRET_ARN, secretIdConfidence, type DynamicReference } from '../target/secret-names.js';

export interface SecretResourceInfo {
  logicalId: string;
  line?: number;
  /** `Name` as resolved; absent when CloudFormation generates the name. */
  name?: string | Unresolved;
  kmsKeyId?: unknown;
  kmsKeyResolved?: string | Unresolved;
  /** Logical id of the AWS::KMS::Key of this template the secret is encrypted with, if any. */
  kmsKeyLogicalId?: string;
  /**
   * The key's ARN in the form policies resolve to (`arn:aws:kms:REGION:{{AWS::AccountId}}:key/{{resource:Key}}`),
   * when KmsKeyId names a key (not an alias, whose key is only known to KMS).
   */
  kmsKeyArn?: string;
  /** The key, resolved as KMS would (target of an alias, key of a Ref), or why it can't be offline. */
  key: TemplateKeyResolution;
  /** A customer-managed key (or one that can't be resolved offline) means the function also needs `kms:Decrypt` on it. */
  needsKmsDecrypt: boolean;
}

export type SecretIdKind = 'resource' | 'arn' | 'partial-arn' | 'name' | 'unresolved';

export interface SecretReference {
  variable: string;
  /** `Environment.Variables.SECRET_NAME` */
  source: string;
  line?: number;
  fromGlobals: boolean;
  raw: unknown;
  value: string | Unresolved;
  kind: SecretIdKind;
  via: 'literal' | 'parameter' | 'resource' | 'expression';
  parameter?: { name: string; origin: 'default' | 'override' | 'none' };
  resource?: SecretResourceInfo;
  /** `{{resolve:secretsmanager:...}}`: CloudFormation puts the value itself in the variable at deploy time. */
  dynamicReference?: DynamicReference;
  /** How sure the match is: a secret resource or ARN beats a variable that only has SECRET in its name. */
  confidence: 'high' | 'medium' | 'low';
}

/** All candidate references, the most likely first. */
export function findSecretReferences(template: LoadedTemplate, fn: TemplateFunction, ctx: ResolveContext): SecretReference[] {
  const found = fn.environment
    .map((variable) => classify(template, variable, ctx))
    .filter((ref): ref is SecretReference => ref !== undefined);
  const rank = { high: 0, medium: 1, low: 2 } as const;
  return found.sort((a, b) => rank[a.confidence] - rank[b.confidence]);
}

/** The single most likely secret reference, or undefined when the template names none. */
export function findSecretReference(template: LoadedTemplate, fn: TemplateFunction, ctx: ResolveContext): SecretReference | undefined {
  return findSecretReferences(template, fn, ctx)[0];
}

function classify(template: LoadedTemplate, variable: EnvironmentVariable, ctx: ResolveContext): SecretReference | undefined {
  const value = variable.resolved;
  const base = { variable: variable.name, source: variable.source, line: variable.line, fromGlobals: variable.fromGlobals, raw: variable.raw };
  const dynamic = typeof value === 'string' ? dynamicReferenceIn(value) : undefined;
  if (dynamic) {
    const kind = SECRET_ARN.test(dynamic.secretId) ? (FULL_SECRET_ARN.test(dynamic.secretId) ? 'arn' : 'partial-arn') : 'name';
    return { ...base, value: dynamic.secretId, kind, via: 'expression', dynamicReference: dynamic, confidence: 'high' };
  }
  const token = isUnresolved(value) ? undefined : asResourceToken(value);
  const resource = token && token.attribute === undefined ? secretResource(template, token.logicalId, ctx) : undefined;
  const kind = kindOf(value, resource);
  // The same naming rule as the live check and invoke's masking (target/secret-names.ts).
  const confidence = resource ? 'high' : isUnresolved(value) ? unresolvedConfidence(variable.name) : secretIdConfidence(variable.name, value);
  if (!confidence) return undefined;
  if (typeof value === 'string' && !resource && !isSendableSecretId(value) && !token) return undefined;
  // `!GetAtt MyKey.Arn` in a variable called MY_SECRET_KEY_ARN is not a secret reference.
  if (token && !resource) return undefined;
  return { ...base, value, kind, ...viaOf(variable.raw, resource, ctx), ...(resource ? { resource } : {}), confidence };
}

/** A value the template alone can't resolve: the variable's name is all there is to go on. */
function unresolvedConfidence(variable: string): SecretReference['confidence'] | undefined {
  return secretIdConfidence(variable, 'unresolved');
}

function kindOf(value: string | Unresolved, resource: SecretResourceInfo | undefined): SecretIdKind {
  if (resource) return 'resource';
  if (isUnresolved(value)) return 'unresolved';
  if (/^arn:[^:]+:secretsmanager:/.test(value)) return FULL_SECRET_ARN.test(value) ? 'arn' : 'partial-arn';
  return 'name';
}

function viaOf(raw: unknown, resource: SecretResourceInfo | undefined, ctx: ResolveContext): Pick<SecretReference, 'via' | 'parameter'> {
  if (resource) return { via: 'resource' };
  if (!isRecord(raw)) return { via: 'literal' };
  const name = raw.Ref;
  const parameter = typeof name === 'string' ? ctx.parameters.get(name) : undefined;
  if (parameter && typeof name === 'string') return { via: 'parameter', parameter: { name, origin: parameter.origin } };
  return { via: 'expression' };
}

/** Reads an AWS::SecretsManager::Secret of this template; undefined for any other resource type. */
export function secretResource(template: LoadedTemplate, logicalId: string, ctx: ResolveContext): SecretResourceInfo | undefined {
  const resource = ctx.resources[logicalId];
  if (!isRecord(resource) || resource.Type !== 'AWS::SecretsManager::Secret') return undefined;
  const props = isRecord(resource.Properties) ? resource.Properties : {};
  const key = resolveTemplateKey(props.KmsKeyId, ctx);
  return {
    logicalId,
    line: template.positionOf(['Resources', logicalId])?.line,
    ...(props.Name === undefined ? {} : { name: resolveString(props.Name, ctx) }),
    ...(props.KmsKeyId === undefined ? {} : { kmsKeyId: props.KmsKeyId, kmsKeyResolved: resolveString(props.KmsKeyId, ctx) }),
    key,
    ...(key.kind === 'customer' && key.keyLogicalId ? { kmsKeyLogicalId: key.keyLogicalId } : {}),
    ...(key.kind === 'customer' ? { kmsKeyArn: key.keyArn } : {}),
    needsKmsDecrypt: key.kind !== 'aws-managed',
  };
}
