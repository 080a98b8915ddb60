/**
 * Which secret a deployed function reads: --secret-id, else an environment variable whose value names
 * a secret that exists, else the default. A secret named but missing is itself a finding.
 */
import type { SecretDescription, SecretsStore } from '../aws/secrets-manager.js';
import type { Finding } from '../core/findings.js';
import { editDistance } from '../policy/index.js';
import { DEFAULT_SECRET_ID } from '../secrets/document.js';

export interface LiveSecret {
  id: string;
  source: string;
  description?: SecretDescription;
  findings: Finding[];
}

const CANDIDATE_NAME = /SECRET|API_?KEY/i;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:/;

export async function resolveLiveSecret(store: SecretsStore, environment: Record<string, string>, region: string, secretId?: string): Promise<LiveSecret> {
  if (secretId) return found(store, secretId, '--secret-id', region);
  const candidates = Object.entries(environment).filter(([name, value]) => value && (SECRET_ARN.test(value) || (CANDIDATE_NAME.test(name) && /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(value))));
  const described = await Promise.all(candidates.map(async ([name, value]) => ({ name, value, description: await store.describe(value) })));
  const hit = described.find((c) => c.description);
  if (hit) return { id: hit.value, source: `environment variable ${hit.name}`, description: hit.description, findings: [] };
  const named = described.find((c) => SECRET_ARN.test(c.value) || /(?:^|_)(?:SECRET_?(?:NAME|ARN|ID)|SECRET)$/i.test(c.name));
  if (named) return notFound(store, named.value, `environment variable ${named.name}`, region);
  return found(store, DEFAULT_SECRET_ID, 'default', region);
}

async function found(store: SecretsStore, id: string, source: string, region: string): Promise<LiveSecret> {
  const description = await store.describe(id);
  return description ? { id, source, description, findings: [] } : notFound(store, id, source, region);
}

async function notFound(store: SecretsStore, id: string, source: string, region: string): Promise<LiveSecret> {
  const names = await store.listNames().catch(() => [] as string[]);
  const wanted = id.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '').toLowerCase();
  const close = names.filter((n) => n.toLowerCase().includes(wanted) || wanted.includes(n.toLowerCase()) || editDistance(n.toLowerCase(), wanted) <= 3).slice(0, 5);
  const arnRegion = SECRET_ARN.test(id) ? id.split(':')[3] : undefined;
  return {
    id,
    source,
    findings: [{
      code: 'secret-not-found',
      severity: 'error',
      message: `No secret "${id}" (from ${source}) exists in ${arnRegion ?? region}.${close.length ? ` Close names there: ${close.join(', ')}.` : ''}`,
      fix: close.length ? `Point ${source} at ${close[0]}, or create the secret: weather-secrets put --secret-id ${wanted}` : `Create it: weather-secrets put --secret-id ${wanted} --region ${arnRegion ?? region}`,
      detail: { looked_for: id, region: arnRegion ?? region, close },
    }],
  };
}
