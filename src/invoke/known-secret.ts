/**
 * The "known secret" of an invoke: the one the function's environment names (or --secret-id). Its
 * values are masked in everything we print. Reading it may fail (no permission, another region, a
 * throttled or stalled endpoint): then we cannot mask, so we fail closed. The run goes on and its
 * outcome is reported, but the function's payload and logs are withheld unless --no-redact is given.
 */
import type { Reporter } from '../core/reporter.js';
import type { SecretsStore } from '../aws/secrets-manager.js';
import { createRedactor, type Redactor } from './redact.js';
import { DEFAULT_SECRET_ID } from '../secrets/document.js';
import { secretIdCandidates } from '../target/secret-names.js';
import type { InvokeRun, RedactionInfo } from './run.js';

/**
 * Pure: the secret id an environment names, best candidate first (an ARN beats a name), by the same
 * rule check-policy and doctor use (target/secret-names.ts), so the secret masked is the one checked.
 */
export function secretIdFromEnvironment(env: Record<string, string>): string | undefined {
  return secretIdCandidates(env)[0]?.value;
}

/**
 * The secret an invoke masks: --secret-id, else what the function names, else the default check-policy
 * and doctor judge in that case (openweatherapi), so a function that reads it by a name in its code
 * is masked too. A default that does not exist masks nothing and withholds nothing.
 */
export function maskedSecretId(flag: string | undefined, ...named: Array<string | undefined>): string {
  return flag ?? named.find((id) => id !== undefined) ?? DEFAULT_SECRET_ID;
}

export interface KnownSecret {
  redactor?: Redactor;
  info: RedactionInfo;
  /** The secret is named but could not be read: print none of the function's output. */
  withhold: boolean;
}

const IDENTITY: Redactor = { redact: (text) => text, redactCut: (text) => text, skippedShortValues: 0 };

export async function loadKnownSecret(
  secretId: string | undefined,
  enabled: boolean,
  store: () => Promise<Pick<SecretsStore, 'getValue'>>,
  reporter: Reporter,
): Promise<KnownSecret> {
  if (!enabled) return { info: { applied: false, reason: '--no-redact' }, withhold: false };
  if (secretId === undefined) return { info: { applied: false, reason: 'no secret is named by the function or --secret-id' }, withhold: false };
  try {
    const value = await (await store()).getValue(secretId);
    // A secret that does not exist holds no value that could show: nothing to mask, nothing to withhold.
    if (value === undefined) return { info: { applied: false, secretId, reason: `the secret ${secretId} does not exist here` }, withhold: false };
    if (value.secretString === undefined) return withheld(secretId, 'it holds binary data, which cannot be masked', reporter);
    const redactor = createRedactor(value.secretString);
    if (redactor.skippedShortValues > 0) reporter.debug(`${redactor.skippedShortValues} value(s) of ${secretId} are too short to mask.`);
    return { redactor, info: { applied: true, secretId }, withhold: false };
  } catch (error) {
    return withheld(secretId, (error as Error).message, reporter);
  }
}

function withheld(secretId: string, why: string, reporter: Reporter): KnownSecret {
  const reason = `the secret ${secretId} could not be read to mask its values (${why.split('\n')[0]!.slice(0, 300)})`;
  reporter.warn(`${reason}: the function's payload and logs are withheld. Pass --no-redact to show them unmasked.`);
  return { info: { applied: false, withheld: true, secretId, reason }, withhold: true };
}

type Shown = Pick<InvokeRun, 'payload' | 'payloadKind' | 'logTail' | 'classification'>;

/**
 * Fails closed: drops the payload and the logs, and any diagnosis text quoted from them. The outcome
 * (succeeded/failed) and the diagnosis code stay: they hold no output of the function.
 */
export function withholdOutput<T extends Shown>(run: T, secret: KnownSecret): T {
  if (!secret.withhold) return run;
  const { payload: _payload, payloadKind: _kind, logTail: _logs, classification, ...rest } = run;
  return {
    ...rest,
    ...(classification && {
      classification: { code: classification.code, summary: 'Output withheld: the secret could not be read to mask it.', ...(classification.nextStep && { nextStep: classification.nextStep }) },
    }),
  } as T;
}

export function redactorOf(secret: KnownSecret): Redactor {
  return secret.redactor ?? IDENTITY;
}
