/**
 * Symbolic values for what a template cannot know offline: the deploying account, the stack name, and
 * the physical ids/ARNs of resources the stack will create.
 *
 * They are written as `{{...}}` tokens inside otherwise ordinary strings, so a resolved policy Resource
 * stays a string (`arn:aws:secretsmanager:eu-west-1:{{AWS::AccountId}}:secret:weather-??????`).
 * Braces never occur in ARNs and are not IAM wildcards, so a token can never match by accident; a caller
 * that learns the real account substitutes it with `substituteTokens`.
 */

export const ACCOUNT_TOKEN = '{{AWS::AccountId}}';
export const STACK_NAME_TOKEN = '{{AWS::StackName}}';
export const STACK_ID_TOKEN = '{{AWS::StackId}}';
/** Used only when the caller could not resolve a region at all. */
export const REGION_TOKEN = '{{AWS::Region}}';

export interface ResourceTokenRef {
  logicalId: string;
  /** `undefined` for the value of `!Ref`; `Arn`, `KeyId`, ... for `!GetAtt`. */
  attribute?: string;
}

/**
 * `{{resource:MySecret}}` is what `!Ref MySecret` yields; `{{resource:MyKey.Arn}}` what `!GetAtt MyKey.Arn`
 * yields. For a secret, `!Ref` and `!GetAtt .Id` both give the ARN, so both produce `{{resource:MySecret}}`
 * (see `canonicalAttribute` in intrinsics.ts): a policy on `!Ref MySecret` matches exactly that secret.
 */
export function resourceToken(logicalId: string, attribute?: string): string {
  return `{{resource:${logicalId}${attribute ? `.${attribute}` : ''}}}`;
}

const RESOURCE_TOKEN = /\{\{resource:([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}\}/g;
const ANY_TOKEN = /\{\{(?:AWS::[A-Za-z]+|resource:[A-Za-z0-9.]+)\}\}/;

/** The resource tokens a resolved string contains, in order. */
export function resourceTokensIn(value: string): ResourceTokenRef[] {
  return [...value.matchAll(RESOURCE_TOKEN)].map((m) => (m[2] ? { logicalId: m[1]!, attribute: m[2] } : { logicalId: m[1]! }));
}

/** True when `value` is exactly one resource token, e.g. a Resource of `!Ref MySecret`. */
export function asResourceToken(value: string): ResourceTokenRef | undefined {
  const refs = resourceTokensIn(value);
  const only = refs[0];
  return refs.length === 1 && only && value === resourceToken(only.logicalId, only.attribute) ? only : undefined;
}

export function hasSymbolicTokens(value: string): boolean {
  return ANY_TOKEN.test(value);
}

export interface KnownValues {
  accountId?: string;
  stackName?: string;
  region?: string;
  /** Physical values for resource tokens, keyed by `resourceToken(...)` text. */
  resources?: Record<string, string>;
}

/** Replaces the tokens whose real value the caller has learnt; unknown tokens stay as they are. */
export function substituteTokens(value: string, known: KnownValues): string {
  let out = value;
  if (known.accountId) out = out.split(ACCOUNT_TOKEN).join(known.accountId);
  if (known.stackName) out = out.split(STACK_NAME_TOKEN).join(known.stackName);
  if (known.region) out = out.split(REGION_TOKEN).join(known.region);
  for (const [token, physical] of Object.entries(known.resources ?? {})) out = out.split(token).join(physical);
  return out;
}

/**
 * Internal tokens never reach output: `{{resource:Role}}` is shown as `${Role}` and `{{AWS::AccountId}}`
 * as `${AWS::AccountId}`, the `!Sub` spelling a template author reads. Applied to every string of a result.
 */
export function displayTokens<T>(value: T): T {
  return mapStrings(value, (s) => s.replace(/\{\{(?:resource:([A-Za-z0-9.]+)|(AWS::[A-Za-z]+))\}\}/g, (_m, resource?: string, pseudo?: string) => `\${${resource ?? pseudo}}`)) as T;
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}
