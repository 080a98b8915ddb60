/** `weather-secrets put`: create or update the secret that holds the API key, one key at a time. */
import type { Reporter } from '../core/reporter.js';
import type { SecretsStore } from '../aws/secrets-manager.js';
import { validateKeyName, validateSecretId, validateValue, type KeyChange } from '../secrets/document.js';
import { upsertSecretKey } from '../secrets/upsert.js';
import type { VerifyResult } from '../openweather/verify.js';

export interface PutOptions {
  secretId: string;
  key: string;
  description?: string;
  kmsKeyId?: string;
  tags: Array<{ Key: string; Value: string }>;
  replace: boolean;
  restore: boolean;
  dryRun: boolean;
  verify: boolean;
}

export interface PutDeps {
  store: SecretsStore;
  reporter: Reporter;
  verifyKey: (value: string) => Promise<VerifyResult>;
  /** Ctrl-C: a put stops before moving AWSCURRENT and cleans up after itself. */
  signal?: AbortSignal;
}

export interface PutResult {
  command: 'put';
  action: 'created' | 'updated' | 'unchanged';
  dryRun: boolean;
  secret: { name: string; arn?: string };
  versionId?: string;
  keys: Array<{ name: string; change: KeyChange }>;
  replaced: boolean;
  restored: boolean;
  verified: VerifyResult['status'] | 'skipped';
  warnings: string[];
}

/** `value` is the secret itself: it goes to Secrets Manager (and OpenWeather with --verify), nowhere else. */
export async function put(options: PutOptions, value: string, deps: PutDeps): Promise<PutResult> {
  validateKeyName(options.key);
  validateValue(value);
  const warnings = validateSecretId(options.secretId);
  warnings.forEach((w) => deps.reporter.warn(w));

  let verified: PutResult['verified'] = 'skipped';
  if (options.verify) {
    deps.reporter.progress('Verifying the key with OpenWeather...');
    verified = (await deps.verifyKey(value)).status;
    if (verified === 'rate-limited') deps.reporter.warn('OpenWeather rate-limited the check (429); the key was accepted as valid.');
  }

  deps.reporter.progress(`${options.dryRun ? 'Planning' : 'Writing'} ${options.key} in ${options.secretId}...`);
  const outcome = await upsertSecretKey(
    deps.store,
    {
      secretId: options.secretId,
      key: options.key,
      value,
      replace: options.replace,
      restore: options.restore,
      dryRun: options.dryRun,
      create: { description: options.description, kmsKeyId: options.kmsKeyId, tags: options.tags.length ? options.tags : undefined },
      ...(deps.signal && { signal: deps.signal }),
    },
    deps.reporter,
  );
  if (outcome.attempts > 1) deps.reporter.debug(`Stored after ${outcome.attempts} attempts (concurrent writers).`);
  const creationOnly = [options.description && '--description', options.kmsKeyId && '--kms-key-id', options.tags.length && '--tag'].filter(Boolean);
  if (outcome.action !== 'created' && creationOnly.length) {
    const note = `${creationOnly.join(', ')} apply only when the secret is created; ${outcome.name} already exists and they were not changed.`;
    deps.reporter.warn(note);
    warnings.push(note);
  }
  return {
    command: 'put',
    action: outcome.action,
    dryRun: options.dryRun,
    secret: { name: outcome.name, arn: outcome.arn },
    versionId: outcome.versionId,
    keys: outcome.keys,
    replaced: outcome.replaced,
    restored: outcome.restored,
    verified,
    warnings,
  };
}
