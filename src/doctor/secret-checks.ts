/**
 * The secret's own checks: it exists in the function's region (and if not, where it does exist), it is
 * not scheduled for deletion, and it holds a JSON object with the expected key. Key names only: the
 * value is read to learn its shape and never leaves this function.
 */
import type { SecretDescription, SecretsStore } from '../aws/secrets-manager.js';
import { parseSecretObject } from '../secrets/document.js';
import { check, type DoctorCheck } from './types.js';

/** Regions searched when the secret is missing from the function's region. */
export const OTHER_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ca-central-1', 'sa-east-1'];

export interface SecretCheckInput {
  secretId: string;
  source: string;
  region: string;
  key: string;
  description?: SecretDescription;
  store: SecretsStore;
  storeIn: (region: string) => Promise<SecretsStore>;
}

export async function secretChecks(input: SecretCheckInput): Promise<DoctorCheck[]> {
  const d = input.description;
  if (!d) return [await missingSecret(input), skipped('secret-deletion'), skipped('secret-shape')];
  const exists = check('secret', 'Secret exists', 'pass', `${d.arn} (from ${input.source})`);
  const deletion = d.deletedDate
    ? check('secret-deletion', 'Not scheduled for deletion', 'fail', `${d.name} is scheduled for deletion on ${d.deletedDate.toISOString()}.`, { fix: `weather-secrets put --restore --secret-id ${d.name}  (or aws secretsmanager restore-secret)` })
    : check('secret-deletion', 'Not scheduled for deletion', 'pass', 'not scheduled for deletion');
  return [exists, deletion, d.deletedDate ? skipped('secret-shape', 'scheduled for deletion') : await shapeCheck(input, d)];
}

async function shapeCheck(input: SecretCheckInput, d: SecretDescription): Promise<DoctorCheck> {
  const value = await input.store.getValue(d.arn).catch((error: Error) => error);
  if (value instanceof Error) return check('secret-shape', 'Holds the expected key', 'error', `could not read the value to check its shape: ${value.message}`);
  const parsed = parseSecretObject(value?.secretString);
  if (!parsed.ok) return check('secret-shape', 'Holds the expected key', 'warn', `the secret is not a JSON object (${parsed.reason}); the function must read it as a plain string.`);
  const keys = Object.keys(parsed.object);
  if (!keys.includes(input.key)) {
    return check('secret-shape', 'Holds the expected key', 'fail', `no key ${input.key}; keys present: ${keys.join(', ') || 'none'}.`, { fix: `weather-secrets put --secret-id ${d.name} --key ${input.key}`, detail: { keys } });
  }
  return check('secret-shape', 'Holds the expected key', 'pass', `JSON object with ${input.key} (keys: ${keys.join(', ')})`, { detail: { keys } });
}

async function missingSecret(input: SecretCheckInput): Promise<DoctorCheck> {
  const elsewhere = await Promise.all(
    OTHER_REGIONS.filter((r) => r !== input.region).map(async (region) => {
      const store = await input.storeIn(region);
      return (await store.describe(input.secretId).catch(() => undefined)) ? region : undefined;
    }),
  );
  const found = elsewhere.filter((r): r is string => Boolean(r));
  const where = found.length ? ` It exists in ${found.join(', ')}: the function and the secret are in different regions.` : '';
  return check('secret', 'Secret exists', 'fail', `no secret "${input.secretId}" (from ${input.source}) in ${input.region}.${where}`, {
    fix: found.length
      ? `Create it in ${input.region} (weather-secrets put --region ${input.region} --secret-id ${input.secretId}), or point the function at the ARN in ${found[0]}.`
      : `weather-secrets put --region ${input.region} --secret-id ${input.secretId}`,
    detail: { regions: found },
  });
}

function skipped(id: string, why = 'the secret does not exist'): DoctorCheck {
  const titles: Record<string, string> = { 'secret-deletion': 'Not scheduled for deletion', 'secret-shape': 'Holds the expected key' };
  return check(id, titles[id] ?? id, 'skipped', why);
}
