/**
 * Which secret a deployed function reads: --secret-id, else what the template says (a dynamic reference
 * puts the *value* in the deployed variable, so only the template knows the secret), else an environment
 * variable that names a secret that exists (target/secret-names.ts decides which may be looked up), else
 * the default. A secret named but missing is itself a finding.
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
  return found(store, DEFAULT_SECRET_ID, 'default', region);
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
