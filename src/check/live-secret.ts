/**
 * Which secret a deployed function reads: --secret-id, else what the template says (a dynamic reference
 * puts the *value* in the deployed variable, so only the template knows the secret), else an environment
 * variable that names a secret that exists (target/secret-names.ts decides which may be looked up), else
 * the default. A secret named but missing is itself a finding.
 *
 * A variable that only may name a secret (WEATHER_SECRET=prod/owm: "SECRET" in its name, nothing more)
 * and names none that exists leaves the secret the function reads unknown. The default is checked, but
 * the answer can't be "can read": the function may read the missing one (see AMBIGUOUS_SECRET).
 */
import type { SecretDescription, SecretsStore } from '../aws/secrets-manager.js';
import type { Finding } from '../core/findings.js';
import { editDistance } from '../policy/index.js';
import { DEFAULT_SECRET_ID } from '../secrets/document.js';
import { rankOf, SECRET_ARN, secretIdCandidates, secretNameOf } from '../target/secret-names.js';

export interface LiveSecret {
  id: string;
  source: string;
  description?: SecretDescription;
  findings: Finding[];
}

/** What the template says the function reads, when it says more than the deployed environment can. */
export interface TemplateSecretHint {
  id: string;
  source: string;
}

export async function resolveLiveSecret(store: SecretsStore, environment: Record<string, string>, region: string, secretId?: string, hint?: TemplateSecretHint): Promise<LiveSecret> {
  if (secretId) return found(store, secretId, '--secret-id', region);
  if (hint) return found(store, hint.id, hint.source, region);
  const candidates = secretIdCandidates(environment);
  const described = await Promise.all(candidates.map(async (c) => ({ ...c, description: await store.describe(c.value) })));
  const hit = described.find((c) => c.description);
  if (hit) return { id: hit.value, source: `environment variable ${hit.variable}`, description: hit.description, findings: [] };
  // A variable that clearly names a secret (an ARN, or SECRET_NAME/..._ARN/..._ID) that is missing is the finding.
  const named = described.find((c) => rankOf(c.confidence) <= rankOf('medium'));
  if (named) return notFound(store, named.value, `environment variable ${named.variable}`, region);
  const fallback = await found(store, DEFAULT_SECRET_ID, 'default', region);
  const maybe = described[0];
  if (!maybe) return fallback;
  return { ...fallback, findings: [ambiguousFinding(maybe.variable, maybe.value, region), ...fallback.findings] };
}

export const AMBIGUOUS_SECRET = 'secret-ambiguous';

function ambiguousFinding(variable: string, value: string, region: string): Finding {
  return {
    code: AMBIGUOUS_SECRET,
    severity: 'warning',
    message: `The function's ${variable}=${value} may name the secret it reads, but no secret "${value}" exists in ${region}, so the default ${DEFAULT_SECRET_ID} was checked instead. Which secret the function reads is unknown: it can't be called readable.`,
    fix: `If ${variable} names the secret, create it (weather-secrets put --secret-id ${secretNameOf(value)}); otherwise say which secret the function reads: --secret-id NAME`,
    detail: { variable, looked_for: value, region, checked: DEFAULT_SECRET_ID },
  };
}

async function found(store: SecretsStore, id: string, source: string, region: string): Promise<LiveSecret> {
  const description = await store.describe(id);
  return description ? { id, source, description, findings: [] } : notFound(store, id, source, region);
}

async function notFound(store: SecretsStore, id: string, source: string, region: string): Promise<LiveSecret> {
  const names = await store.listNames().catch(() => [] as string[]);
  const name = secretNameOf(id);
  const wanted = name.toLowerCase();
  const close = names.filter((n) => n.toLowerCase().includes(wanted) || wanted.includes(n.toLowerCase()) || editDistance(n.toLowerCase(), wanted) <= 3).slice(0, 5);
  const arnRegion = SECRET_ARN.test(id) ? id.split(':')[3] : undefined;
  return {
    id,
    source,
    findings: [{
      code: 'secret-not-found',
      severity: 'error',
      message: `No secret "${id}" (from ${source}) exists in ${arnRegion ?? region}.${close.length ? ` Close names there: ${close.join(', ')}.` : ''}`,
      fix: close.length ? `Point ${source} at ${close[0]}, or create the secret: weather-secrets put --secret-id ${name}` : `Create it: weather-secrets put --secret-id ${name} --region ${arnRegion ?? region}`,
      detail: { looked_for: id, region: arnRegion ?? region, close },
    }],
  };
}
