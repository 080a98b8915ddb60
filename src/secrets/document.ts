/** Pure rules for the secret's JSON object: names, merging one key, size, and what changed. */
import { UsageError } from '../core/errors.js';

/** Secrets Manager's limit on SecretString. */
export const MAX_SECRET_STRING_BYTES = 65_536;
export const DEFAULT_SECRET_ID = 'openweatherapi';
export const DEFAULT_KEY = 'OPENWEATHER_API_KEY';

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A name ending in -XXXXXX is read by Secrets Manager as a partial ARN. */
const LOOKS_LIKE_SUFFIX = /-[A-Za-z0-9]{6}$/;

export type KeyChange = 'added' | 'changed' | 'unchanged' | 'kept' | 'removed';

export function isSecretArn(secretId: string): boolean {
  return secretId.startsWith('arn:');
}

/** Throws UsageError for a name or ARN Secrets Manager would reject; returns warnings for risky ones. */
export function validateSecretId(secretId: string): string[] {
  if (isSecretArn(secretId)) {
    if (!SECRET_ARN.test(secretId)) {
      throw new UsageError(`"${secretId}" is not a valid Secrets Manager secret ARN.`, {
        code: 'invalid-secret-id',
        hint: 'It looks like arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf.',
      });
    }
    return [];
  }
  if (!SECRET_NAME.test(secretId)) {
    throw new UsageError(`"${secretId}" is not a valid secret name.`, {
      code: 'invalid-secret-id',
      hint: 'Use 1-512 characters: letters, digits and / _ + = . @ -',
    });
  }
  return LOOKS_LIKE_SUFFIX.test(secretId)
    ? [`The name "${secretId}" ends in a hyphen and six characters, which Secrets Manager can mistake for an ARN suffix.`]
    : [];
}

export function validateKeyName(key: string): void {
  if (key.trim() === '') throw new UsageError('The key name (--key) is empty.', { code: 'invalid-key' });
}

export function validateValue(value: string): void {
  if (value === '') {
    throw new UsageError('The value is empty; nothing was stored.', {
      code: 'empty-value',
      hint: 'Pipe the key on stdin, e.g. `printf %s "$KEY" | weather-secrets put`, or use --from-env VAR.',
    });
  }
  if (value.trim() === '') {
    throw new UsageError('The value is only whitespace; nothing was stored.', {
      code: 'blank-value',
      hint: 'Check the variable or the pipe that should carry the key.',
    });
  }
  // A control character (NUL, ESC, an arrow key's escape sequence) is never part of an API key; it is
  // a paste or terminal accident, invisible in the stored value. Tab and line breaks inside are allowed.
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.exec(value);
  if (control) {
    throw new UsageError(`The value contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}); nothing was stored.`, {
      code: 'value-control-character',
      hint: 'Paste or pipe the key again; arrow keys and other terminal keys are not part of a value.',
    });
  }
}

/** Parses an existing SecretString as a JSON object, or says why it is not one. */
export function parseSecretObject(secretString: string | undefined): { ok: true; object: Record<string, unknown> } | { ok: false; reason: string } {
  if (secretString === undefined) return { ok: false, reason: 'it holds binary data (SecretBinary)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    return { ok: false, reason: 'it holds plain text, not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: `it holds JSON ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed}, not an object` };
  }
  return { ok: true, object: parsed as Record<string, unknown> };
}

export interface MergePlan {
  secretString: string;
  keys: Array<{ name: string; change: KeyChange }>;
  unchanged: boolean;
}

/** Sets `key` to `value` in `current` (or in a fresh object when replacing), keeping every other key. */
export function planMerge(current: Record<string, unknown> | undefined, key: string, value: string, replacing = false): MergePlan {
  const base = replacing ? {} : { ...(current ?? {}) };
  const before = current?.[key];
  const targetChange: KeyChange = before === undefined ? 'added' : before === value ? 'unchanged' : 'changed';
  const next = { ...base, [key]: value };
  const keys: MergePlan['keys'] = Object.keys(next).map((name) => ({ name, change: name === key ? targetChange : 'kept' }));
  if (replacing && current) {
    for (const name of Object.keys(current)) if (name !== key) keys.push({ name, change: 'removed' });
  }
  const secretString = JSON.stringify(next);
  const bytes = Buffer.byteLength(secretString, 'utf8');
  if (bytes > MAX_SECRET_STRING_BYTES) {
    throw new UsageError(`The secret would be ${bytes} bytes; Secrets Manager allows at most ${MAX_SECRET_STRING_BYTES}. Nothing was stored.`, {
      code: 'value-too-large',
    });
  }
  return { secretString, keys, unchanged: targetChange === 'unchanged' && !replacing };
}
