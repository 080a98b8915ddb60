/**
 * Which environment variables name the secret a function reads. One rule, used by every command:
 * check-policy (static and live), doctor, invoke's masking and fix pick the same secret for the same
 * function because they all ask this module.
 *
 * The rule errs on the side of never sending a secret *value* to AWS: a variable that holds the key
 * itself (OPENWEATHER_API_KEY=0123abcd..., CLIENT_SECRET=..., SECRET_KEY=...) is not a candidate, and
 * no value that looks like a credential is ever used as a SecretId, whatever its variable is called.
 */

export type SecretIdConfidence = 'high' | 'medium' | 'low';

/** `arn:aws:secretsmanager:...` in any partition. */
export const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:/;
/** A complete secret ARN ends in `-` and six random characters. */
export const FULL_SECRET_ARN = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:.+-[A-Za-z0-9]{6}$/;
const SECRET_WORD = /SECRET/i;
/** SECRET_NAME, OPENWEATHER_SECRET_ID, SECRETS_ARN, SECRET_ARN_PROD... */
const ID_SUFFIX = /SECRETS?(?:_[A-Z0-9]+)*_(?:NAME|ARN|ID)$|(?:^|_)SECRETS?_?(?:NAME|ARN|ID)(?:_|$)/i;
/** SECRETS_MANAGER_ENDPOINT, SECRET_CACHE_TTL, ...: about the service or a cache, not naming a secret. */
const ABOUT_THE_SERVICE = /(?:^|_)(?:ENDPOINT|URL|URI|REGION|TTL|CACHE|TIMEOUT|PORT|HOST|EXTENSION)(?:_|$)/i;
/** Names that hold a value, not a reference: SECRET_KEY, API_SECRET, CLIENT_SECRET, ..._TOKEN, ..._PASSWORD. */
const HOLDS_A_VALUE = /(?:^|_)(?:KEY|TOKEN|PASSWORD|PASSWD|PWD|PASS|VALUE|STRING|PLAINTEXT)$|(?:^|_)(?:API|CLIENT|APP|CONSUMER|SHARED|SIGNING|WEBHOOK|JWT|SESSION|OAUTH)_SECRET$/i;
/** Switches and numbers (USE_SECRETS=true, SECRET_ROTATION_DAYS=30) configure, they don't name a secret. */
const A_SETTING = /^(?:true|false|yes|no|on|off|enabled?|disabled?|none|null|[0-9]+)$/i;
/** What Secrets Manager accepts in a name (and a SecretId that is a name). */
const SECRET_NAME_CHARS = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** How sure we are that `variable` names a secret (by name or ARN); undefined when it does not. */
export function secretIdConfidence(variable: string, value: string): SecretIdConfidence | undefined {
  if (SECRET_ARN.test(value)) return 'high';
  if (!SECRET_WORD.test(variable) || ABOUT_THE_SERVICE.test(variable)) return undefined;
  if (/^[a-z]+:\/\//i.test(value) || A_SETTING.test(value)) return undefined;
  if (ID_SUFFIX.test(variable)) return 'medium';
  if (HOLDS_A_VALUE.test(variable)) return undefined;
  return 'low';
}

/** May `value` be sent to Secrets Manager as a SecretId? Only a valid name or ARN that does not look like a key. */
export function isSendableSecretId(value: string): boolean {
  if (SECRET_ARN.test(value)) return true;
  return SECRET_NAME_CHARS.test(value) && !looksLikeCredential(value);
}

/**
 * True for values shaped like keys and tokens rather than names: a long hex run (OpenWeather keys are 32
 * hex characters), or a long segment mixing letters and digits (base64/base62 tokens). Secret names are
 * words joined by `/ - _ .`: `openweatherapi`, `prod/owm`, `my-app-secret-2024`.
 */
export function looksLikeCredential(value: string): boolean {
  if (/^[0-9a-f]{16,}$/i.test(value)) return true;
  return value.split(/[/._@=+-]/).some((segment) => {
    if (segment.length < 12) return false;
    const digits = (segment.match(/[0-9]/g) ?? []).length;
    const letters = (segment.match(/[A-Za-z]/g) ?? []).length;
    const mixedCase = /[a-z]/.test(segment) && /[A-Z]/.test(segment);
    return (digits >= 2 && letters >= 2) || (mixedCase && segment.length >= 20);
  });
}

export interface SecretIdCandidate {
  variable: string;
  value: string;
  confidence: SecretIdConfidence;
}

const RANK: Record<SecretIdConfidence, number> = { high: 0, medium: 1, low: 2 };

/** A deployed function's (or a local run's) environment: the variables that name a secret, best first. */
export function secretIdCandidates(environment: Record<string, string>): SecretIdCandidate[] {
  const found: SecretIdCandidate[] = [];
  for (const [variable, raw] of Object.entries(environment)) {
    const value = raw.trim();
    const confidence = value ? secretIdConfidence(variable, value) : undefined;
    if (confidence && isSendableSecretId(value)) found.push({ variable, value, confidence });
  }
  return found.sort((a, b) => RANK[a.confidence] - RANK[b.confidence]);
}

export function rankOf(confidence: SecretIdConfidence): number {
  return RANK[confidence];
}

/** `prod/owm` from `arn:...:secret:prod/owm-AbCdEf`, and from a partial ARN `...:secret:prod/owm`. */
export function secretNameOf(id: string): string {
  if (!SECRET_ARN.test(id)) return id;
  const name = id.replace(/^.*?:secret:/, '');
  return FULL_SECRET_ARN.test(id) ? name.replace(/-[A-Za-z0-9]{6}$/, '') : name;
}

/** `{{resolve:secretsmanager:SECRET-ID:SecretString:KEY:STAGE:VERSION}}` — SECRET-ID may itself be an ARN (with colons). */
const DYNAMIC_REFERENCE = /\{\{resolve:secretsmanager:((?:arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:[^:}]+)|[^:}]+)(?::([^:}]*))?(?::([^:}]*))?(?::([^:}]*))?(?::([^:}]*))?\}\}/;

export interface DynamicReference {
  secretId: string;
  jsonKey?: string;
  versionStage?: string;
}

/** The first Secrets Manager dynamic reference in `text`, if any. */
export function dynamicReferenceIn(text: string): DynamicReference | undefined {
  const m = DYNAMIC_REFERENCE.exec(text);
  if (!m) return undefined;
  return { secretId: m[1]!, ...(m[3] ? { jsonKey: m[3] } : {}), ...(m[4] ? { versionStage: m[4] } : {}) };
}
