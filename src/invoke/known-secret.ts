/**
 * The "known secret" of an invoke: the one the function's environment names (or --secret-id). Its
 * values are masked in everything we print. Reading it may fail (no permission, another region): then
 * nothing is masked and the run goes on; it never fails an invoke.
 */
import type { Reporter } from '../core/reporter.js';
import type { SecretsStore } from '../aws/secrets-manager.js';
import { createRedactor, type Redactor } from './redact.js';
import { secretIdCandidates } from '../target/secret-names.js';
import type { RedactionInfo } from './run.js';

/**
 * Pure: the secret id an environment names, best candidate first (an ARN beats a name), by the same
 * rule check-policy and doctor use (target/secret-names.ts), so the secret masked is the one checked.
 */
export function secretIdFromEnvironment(env: Record<string, string>): string | undefined {
  return secretIdCandidates(env)[0]?.value;
}

export interface KnownSecret {
  redactor?: Redactor;
  info: RedactionInfo;
}

const IDENTITY: Redactor = { redact: (text) => text, redactCut: (text) => text, skippedShortValues: 0 };

export async function loadKnownSecret(
  secretId: string | undefined,
  enabled: boolean,
  store: () => Promise<Pick<SecretsStore, 'getValue'>>,
  reporter: Reporter,
): Promise<KnownSecret> {
  if (!enabled) return { info: { applied: false, reason: '--no-redact' } };
  if (secretId === undefined) return { info: { applied: false, reason: 'no secret is named by the function or --secret-id' } };
  try {
    const value = await (await store()).getValue(secretId);
    if (value?.secretString === undefined) {
      reporter.debug(`Secret ${secretId} not found or binary: nothing will be masked.`);
      return { info: { applied: false, secretId, reason: 'the secret could not be read' } };
    }
    const redactor = createRedactor(value.secretString);
    if (redactor.skippedShortValues > 0) reporter.debug(`${redactor.skippedShortValues} value(s) of ${secretId} are too short to mask.`);
    return { redactor, info: { applied: true, secretId } };
  } catch (error) {
    // Masking is best effort by design: a developer who may not read the secret still wants the run.
    reporter.debug(`Could not read ${secretId} to mask it (${(error as Error).message}): nothing will be masked.`);
    return { info: { applied: false, secretId, reason: 'the secret could not be read' } };
  }
}

export function redactorOf(secret: KnownSecret): Redactor {
  return secret.redactor ?? IDENTITY;
}
