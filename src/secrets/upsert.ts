/**
 * Sets one key of the secret's JSON object without losing anyone else's concurrent write.
 *
 * Secrets Manager's compare-and-swap: store the new version under a private staging label (so
 * AWSCURRENT does not move), then move AWSCURRENT with RemoveFromVersionId = the version we read.
 * That call fails if another writer moved AWSCURRENT first; then we re-read, merge again and retry.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { EnvironmentError, InterruptedError, UsageError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import { SecretStoreConflict, type SecretDescription, type SecretsStore } from '../aws/secrets-manager.js';
import { isSecretArn, parseSecretObject, planMerge, type KeyChange } from './document.js';

/** Our own label: never AWSPENDING, which belongs to rotation. */
export const STAGING_LABEL = 'weather-secrets-staging';
const MAX_ATTEMPTS = 40;

export interface UpsertRequest {
  secretId: string;
  key: string;
  value: string;
  replace: boolean;
  restore: boolean;
  dryRun: boolean;
  create: { description?: string; kmsKeyId?: string; tags?: Array<{ Key: string; Value: string }> };
  /** Ctrl-C: stop before moving AWSCURRENT, and take the staging label off again. */
  signal?: AbortSignal;
}

export interface UpsertOutcome {
  action: 'created' | 'updated' | 'unchanged';
  name: string;
  arn?: string;
  versionId?: string;
  keys: Array<{ name: string; change: KeyChange }>;
  replaced: boolean;
  restored: boolean;
  attempts: number;
}

export async function upsertSecretKey(store: SecretsStore, request: UpsertRequest, reporter: Reporter): Promise<UpsertOutcome> {
  let restored = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const description = await store.describe(request.secretId);
    if (!description) {
      const created = await tryCreate(store, request);
      if (created) return { ...created, restored, attempts: attempt };
      continue; // someone created it between our describe and create: update it instead
    }
    if (description.deletedDate && !restored) {
      if (!request.restore) throw scheduledForDeletion(description);
      if (!request.dryRun) await store.restore(request.secretId);
      reporter.warn(`${request.dryRun ? 'Would restore' : 'Restored'} ${description.name}, which was scheduled for deletion.`);
      restored = true;
    }
    throwIfAborted(request.signal);
    const outcome = await tryUpdate(store, request, description, reporter);
    if (outcome) return { ...outcome, restored, attempts: attempt };
    reporter.debug(`AWSCURRENT moved under us (attempt ${attempt}); re-reading and merging again.`);
    await sleep(randomInt(20, 60 + attempt * 40));
  }
  throw new EnvironmentError(`Gave up after ${MAX_ATTEMPTS} attempts: other writers kept changing ${request.secretId}.`, {
    code: 'too-much-contention',
    hint: 'Run it again when the other writers are done.',
  });
}

async function tryCreate(store: SecretsStore, request: UpsertRequest): Promise<Omit<UpsertOutcome, 'restored' | 'attempts'> | undefined> {
  if (isSecretArn(request.secretId)) {
    throw new UsageError(`No secret with the ARN ${request.secretId} exists.`, {
      code: 'secret-not-found',
      hint: 'To create a new secret, pass its name with --secret-id, not an ARN.',
    });
  }
  const plan = planMerge(undefined, request.key, request.value);
  const base = { action: 'created' as const, name: request.secretId, keys: plan.keys, replaced: false };
  if (request.dryRun) return base;
  try {
    const out = await store.create({ name: request.secretId, secretString: plan.secretString, clientRequestToken: randomUUID(), ...request.create });
    return { ...base, arn: out.arn, versionId: out.versionId };
  } catch (error) {
    if (error instanceof SecretStoreConflict && error.kind === 'exists') return undefined;
    throw error;
  }
}

async function tryUpdate(
  store: SecretsStore,
  request: UpsertRequest,
  description: SecretDescription,
  reporter: Reporter,
): Promise<Omit<UpsertOutcome, 'restored' | 'attempts'> | undefined> {
  const current = request.dryRun && description.deletedDate ? undefined : await store.getValue(description.arn, 'AWSCURRENT');
  const parsed = parseSecretObject(current?.secretString);
  if (current && !parsed.ok && !request.replace) {
    throw new UsageError(`The secret ${description.name} is not a JSON object: ${parsed.reason}. Nothing was stored.`, {
      code: 'secret-not-json-object',
      hint: 'weather-secrets keeps keys in a JSON object. Pass --replace to overwrite the whole secret with {KEY: value}.',
    });
  }
  const replacing = request.replace && current !== undefined && !parsed.ok;
  if (replacing) reporter.warn(`--replace: overwriting the whole of ${description.name} (${parsed.ok ? '' : parsed.reason}).`);
  const plan = planMerge(parsed.ok ? parsed.object : undefined, request.key, request.value, replacing);
  const base = { name: description.name, arn: description.arn, keys: plan.keys, replaced: replacing };
  if (plan.unchanged) return { ...base, action: 'unchanged', versionId: current?.versionId };
  if (request.dryRun) return { ...base, action: 'updated' };
  await clearStaleLabel(store, description, reporter);

  const swapped = await stageAndSwap(store, request, description.arn, plan.secretString, current?.versionId, reporter);
  return swapped && { ...base, ...swapped };
}

/**
 * Stores the new version under our label, then moves AWSCURRENT to it. On every way out (a lost answer,
 * a persistent failure, Ctrl-C) the label is taken off again; where an answer was lost, a re-read says
 * whether AWSCURRENT did move, so "updated" and "not stored" are both reported truthfully.
 * Returns undefined when another writer moved AWSCURRENT first (the caller merges again).
 */
async function stageAndSwap(
  store: SecretsStore,
  request: UpsertRequest,
  arn: string,
  secretString: string,
  currentVersionId: string | undefined,
  reporter: Reporter,
): Promise<{ action: 'updated'; versionId: string } | undefined> {
  // The token becomes the version's id: known even when PutSecretValue's answer is lost.
  const token = randomUUID();
  let stagedId: string = token;
  try {
    stagedId = (await store.putValue(arn, secretString, token, [STAGING_LABEL])).versionId;
    throwIfAborted(request.signal);
    await store.moveStage(arn, 'AWSCURRENT', stagedId, currentVersionId, request.signal);
    return { action: 'updated', versionId: stagedId };
  } catch (error) {
    // A lost answer or an abort may hide a move that did happen: ask before reporting anything.
    if (await holdsCurrent(store, arn, stagedId)) return { action: 'updated', versionId: stagedId };
    if (error instanceof SecretStoreConflict && error.kind === 'stage-moved') return undefined;
    throw error;
  } finally {
    await removeStagingLabel(store, arn, stagedId, reporter);
  }
}

async function holdsCurrent(store: SecretsStore, arn: string, versionId: string): Promise<boolean> {
  const now = await store.describe(arn).catch(() => undefined);
  return now?.versions[versionId]?.includes('AWSCURRENT') ?? false;
}

async function removeStagingLabel(store: SecretsStore, arn: string, versionId: string, reporter: Reporter): Promise<void> {
  try {
    await store.moveStage(arn, STAGING_LABEL, undefined, versionId);
  } catch (error) {
    // Already gone (another writer's put took the label, or it was never set) is the goal reached.
    if (error instanceof SecretStoreConflict) return;
    reporter.warn(`Could not remove the ${STAGING_LABEL} label from ${arn} (${(error as Error).message}); the next put removes it.`);
  }
}

/** A label left by a put that was cut off (a crash, a lost connection): take it off before writing. */
async function clearStaleLabel(store: SecretsStore, description: SecretDescription, reporter: Reporter): Promise<void> {
  for (const [versionId, stages] of Object.entries(description.versions)) {
    if (!stages.includes(STAGING_LABEL) || stages.includes('AWSCURRENT')) continue;
    reporter.debug(`Removing a stale ${STAGING_LABEL} label from version ${versionId}.`);
    await removeStagingLabel(store, description.arn, versionId, reporter);
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

function scheduledForDeletion(description: SecretDescription): UsageError {
  return new UsageError(`The secret ${description.name} is scheduled for deletion (on ${description.deletedDate!.toISOString()}). Nothing was stored.`, {
    code: 'secret-scheduled-for-deletion',
    hint: 'Pass --restore to cancel the deletion and store the key.',
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
