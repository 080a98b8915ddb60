/**
 * Which secret a function reads, as far as the template says: an environment variable that names it
 * (SECRET_NAME, SECRET_ARN, OPENWEATHER_SECRET_ID, ...) with a literal, a parameter, or a reference to an
 * AWS::SecretsManager::Secret of the same template. Never reads or prints a secret value.
 */
import type { EnvironmentVariable, TemplateFunction } from './functions.js';
import { isUnresolved, kmsKeyArn, resolveString, type ResolveContext, type Unresolved } from './intrinsics.js';
import { isRecord, type LoadedTemplate } from './load.js';
import { asResourceToken } from './tokens.js';

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
  /** A customer-managed key means the function also needs `kms:Decrypt` on it. */
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
  /** How sure the match is: a secret resource or ARN beats a variable that only has SECRET in its name. */
  confidence: 'high' | 'medium' | 'low';
}

const ID_SUFFIX = /(?:^|_)(?:NAME|ARN|ID)$/i;
const SECRET_WORD = /SECRET/i;
/** SECRETS_MANAGER_ENDPOINT, SECRET_CACHE_TTL, ...: about the service or a cache, not naming a secret. */
const NOT_A_SECRET_ID = /(?:^|_)(?:ENDPOINT|URL|REGION|TTL|CACHE|TIMEOUT|PORT)(?:_|$)/i;
/** A complete secret ARN ends in `-` and six random characters. */
const FULL_SECRET_ARN = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:.+-[A-Za-z0-9]{6}$/;

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
  const token = isUnresolved(value) ? undefined : asResourceToken(value);
  const resource = token && token.attribute === undefined ? secretResource(template, token.logicalId, ctx) : undefined;
  const kind = kindOf(value, resource);
  const named = SECRET_WORD.test(variable.name) && !NOT_A_SECRET_ID.test(variable.name) && !looksLikeUrl(value);
  if (!resource && kind !== 'arn' && kind !== 'partial-arn' && !named) return undefined;
  // `!GetAtt MyKey.Arn` in a variable called MY_SECRET_KEY_ARN is not a secret reference.
  if (token && !resource) return undefined;
  const confidence = resource || kind === 'arn' || kind === 'partial-arn' ? 'high' : ID_SUFFIX.test(variable.name) ? 'medium' : 'low';
  return {
    variable: variable.name,
    source: variable.source,
    line: variable.line,
    fromGlobals: variable.fromGlobals,
    raw: variable.raw,
    value,
    kind,
    ...viaOf(variable.raw, resource, ctx),
    ...(resource ? { resource } : {}),
    confidence,
  };
}

function looksLikeUrl(value: string | Unresolved): boolean {
  return typeof value === 'string' && /^[a-z]+:\/\//i.test(value);
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
  const kmsKeyResolved = props.KmsKeyId === undefined ? undefined : resolveString(props.KmsKeyId, ctx);
  const keyToken = kmsKeyResolved && !isUnresolved(kmsKeyResolved) ? asResourceToken(kmsKeyResolved) : undefined;
  return {
    logicalId,
    line: template.positionOf(['Resources', logicalId])?.line,
    ...(props.Name === undefined ? {} : { name: resolveString(props.Name, ctx) }),
    ...(props.KmsKeyId === undefined ? {} : { kmsKeyId: props.KmsKeyId, kmsKeyResolved }),
    ...(keyToken && isKmsKey(ctx, keyToken.logicalId) ? { kmsKeyLogicalId: keyToken.logicalId } : {}),
    ...keyArnOf(kmsKeyResolved, ctx),
    needsKmsDecrypt: props.KmsKeyId !== undefined && !isAwsManagedSecretsKey(kmsKeyResolved),
  };
}

function keyArnOf(key: string | Unresolved | undefined, ctx: ResolveContext): { kmsKeyArn?: string } {
  if (typeof key !== 'string' || /(^|:)alias\//.test(key)) return {};
  if (key.startsWith('arn:')) return { kmsKeyArn: key };
  return { kmsKeyArn: kmsKeyArn(key, ctx) };
}

function isKmsKey(ctx: ResolveContext, logicalId: string): boolean {
  const resource = ctx.resources[logicalId];
  return isRecord(resource) && resource.Type === 'AWS::KMS::Key';
}

/** `alias/aws/secretsmanager` is the default key: same-account principals may use it without kms:Decrypt grants. */
function isAwsManagedSecretsKey(key: string | Unresolved | undefined): boolean {
  return typeof key === 'string' && /(^|:)alias\/aws\/secretsmanager$/.test(key);
}
