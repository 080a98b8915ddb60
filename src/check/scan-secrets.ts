/**
 * Which secrets one template function reads, for `check-policy --all`: the secrets its environment
 * names (the same references a single check picks from), and the secrets its role's policies grant
 * GetSecretValue on. Pure: reads the analysis, never AWS.
 */
import type { PolicyStatement } from '../policy/index.js';
import { isUnresolved, type FunctionAnalysis } from '../template/index.js';

export interface SecretToCheck {
  /** What to pass to the single check as --secret-id: a template logical ID, a name or an ARN. */
  secretId: string;
  /** Where the function names it, e.g. `Environment.Variables.SECRET_ARN`, `granted by WeatherPolicy`. */
  source: string;
}

export interface UnresolvedSecret {
  source: string;
  reason: string;
}

export function secretsReadBy(analysis: FunctionAnalysis): { secrets: SecretToCheck[]; unresolved: UnresolvedSecret[] } {
  const secrets: SecretToCheck[] = [];
  const unresolved: UnresolvedSecret[] = [];
  const add = (secretId: string, source: string) => {
    const key = canonical(analysis, secretId);
    if (!secrets.some((s) => canonical(analysis, s.secretId) === key)) secrets.push({ secretId, source });
  };
  for (const ref of analysis.secretReferences) {
    if (ref.resource) add(ref.resource.logicalId, ref.source);
    else if (isUnresolved(ref.value)) unresolved.push({ source: ref.source, reason: ref.value.reason });
    else add(ref.value, ref.source);
  }
  for (const policy of analysis.permissions.policies) {
    for (const resource of grantedSecretResources(policy.document.Statement)) {
      const id = secretIdOfResource(analysis, resource);
      if (id) add(id, `granted by ${policy.name}`);
    }
  }
  return { secrets, unresolved };
}

/** The same secret named two ways (its logical ID, its Name, an ARN) counts once. */
function canonical(analysis: FunctionAnalysis, id: string): string {
  const name = id.replace(/^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '');
  const resource = analysis.secrets.find((s) => s.logicalId === id || s.name === name);
  return resource ? `resource:${resource.logicalId}` : `name:${name}`;
}

/** Resources of Allow statements whose actions cover secretsmanager:GetSecretValue. */
function grantedSecretResources(statements: PolicyStatement | PolicyStatement[] | undefined): string[] {
  const list = statements === undefined ? [] : Array.isArray(statements) ? statements : [statements];
  return list.flatMap((s) => {
    if (s.Effect !== 'Allow' || !s.Action) return [];
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (!actions.some((a) => /^(\*|secretsmanager:\*|secretsmanager:GetSecret\*|secretsmanager:GetSecretValue)$/i.test(a))) return [];
    return s.Resource === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource];
  });
}

/** `{{resource:ApiKey}}` → ApiKey; `arn:...:secret:weather/alerts-??????` → weather/alerts; `*` → none. */
function secretIdOfResource(analysis: FunctionAnalysis, resource: string): string | undefined {
  const token = /^\{\{resource:([A-Za-z0-9]+)\}\}$/.exec(resource);
  if (token) return analysis.secrets.some((s) => s.logicalId === token[1]) ? token[1] : undefined;
  const match = /:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(resource);
  if (!match) return undefined;
  const name = match[1]!.replace(/(-\?{6}|-\*|\*|\?+)$/, '');
  // A pattern that still has wildcards names many secrets, none in particular.
  return name && !/[*?{}]/.test(name) ? name : undefined;
}
