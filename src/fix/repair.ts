/**
 * Finds a hand-written secret ARN that was clearly meant for this secret but does not match it (no
 * suffix, the `[xxxxxx]` placeholder, another region, a near-miss name), so `fix` corrects that value
 * in place instead of adding a second grant beside a broken one.
 */
import { analyseSecretArnPattern, editDistance, parseArn } from '../policy/index.js';
import { isUnresolved, resolveString, type ResolveContext, type PathSegment } from '../template/index.js';
import { isRecord } from '../template/load.js';

export interface ArnCandidate {
  path: PathSegment[];
  raw: unknown;
}

export interface Repair {
  path: PathSegment[];
  written: string;
  why: string;
}

const GET_SECRET_VALUE = 'secretsmanager:getsecretvalue';

/** SecretArn of AWSSecretsManagerGetSecretValuePolicy entries and Resources of inline GetSecretValue statements. */
export function samPolicyCandidates(policies: unknown, base: PathSegment[]): ArnCandidate[] {
  const entries = Array.isArray(policies) ? policies.map((e, i) => [e, [...base, i]] as const) : [[policies, base] as const];
  return entries.flatMap(([entry, path]) => {
    if (!isRecord(entry)) return [];
    const template = entry.AWSSecretsManagerGetSecretValuePolicy;
    if (isRecord(template) && 'SecretArn' in template) {
      return [{ path: [...path, 'AWSSecretsManagerGetSecretValuePolicy', 'SecretArn'], raw: template.SecretArn }];
    }
    return 'Statement' in entry ? statementCandidates(entry.Statement, [...path, 'Statement']) : [];
  });
}

/** Resources of GetSecretValue statements in an AWS::IAM::Role's inline policies. */
export function rolePolicyCandidates(policies: unknown, base: PathSegment[]): ArnCandidate[] {
  if (!Array.isArray(policies)) return [];
  return policies.flatMap((policy, i) => {
    const document = isRecord(policy) ? policy.PolicyDocument : undefined;
    return isRecord(document) ? statementCandidates(document.Statement, [...base, i, 'PolicyDocument', 'Statement']) : [];
  });
}

function statementCandidates(statements: unknown, base: PathSegment[]): ArnCandidate[] {
  const list = Array.isArray(statements) ? statements.map((s, j) => [s, [...base, j]] as const) : [[statements, base] as const];
  return list.flatMap(([statement, path]) => {
    if (!isRecord(statement) || statement.Effect !== 'Allow') return [];
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    if (!actions.some((a) => typeof a === 'string' && a.toLowerCase() === GET_SECRET_VALUE)) return [];
    const resource = statement.Resource;
    if (Array.isArray(resource)) return resource.map((raw, k) => ({ path: [...path, 'Resource', k], raw }));
    return resource === undefined ? [] : [{ path: [...path, 'Resource'], raw: resource }];
  });
}

/** Mistakes worth correcting in place; anything else is left alone and a new grant is added. */
const REPAIRABLE = new Set(['missing-suffix', 'placeholder-suffix', 'wrong-suffix', 'wrong-region', 'wrong-partition', 'wrong-account', 'wrong-name']);

/** The first candidate that aims at `nameArn`'s secret and misses it; only plain strings and `!Sub` strings are rewritten. */
export function findRepair(candidates: ArnCandidate[], nameArn: string | undefined, ctx: ResolveContext): Repair | undefined {
  if (nameArn === undefined) return undefined;
  const expected = colonFree(nameArn);
  const name = parseArn(expected)?.resource.replace(/^secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '');
  for (const candidate of candidates) {
    if (!isRewritable(candidate.raw)) continue;
    const resolved = resolveString(candidate.raw, ctx);
    if (isUnresolved(resolved) || name === undefined) continue;
    const written = colonFree(resolved);
    const verdict = analyseSecretArnPattern(written, expected);
    if (!REPAIRABLE.has(verdict.code) || !aimsAt(written, name)) continue;
    return { path: candidate.path, written: resolved, why: describeMistake(verdict.code, written, name) };
  }
  return undefined;
}

/**
 * `{{AWS::Region}}` and friends hold colons, which would split an ARN in the wrong places; inside the
 * tokens they become `_` for the comparison only (both sides alike, so equal tokens still match).
 */
function colonFree(arn: string): string {
  return arn.replace(/\{\{[^}]*\}\}/g, (token) => token.replace(/:/g, '_'));
}

/** Our own words: the evaluator's message would quote the stand-in suffix and the colon-free tokens. */
function describeMistake(code: string, written: string, name: string): string {
  const arn = parseArn(written);
  const tokenFree = (text: string) => text.replace(/\{\{AWS__(\w+)\}\}/g, '$${AWS::$1}');
  switch (code) {
    case 'missing-suffix': return `${name} has no -?????? for the six characters AWS appends to every secret ARN`;
    case 'placeholder-suffix': return `the placeholder suffix in ${tokenFree(arn?.resource ?? written)} matches no real secret ARN`;
    case 'wrong-suffix': return 'a fixed suffix stops matching when the secret is re-created; -?????? matches any';
    case 'wrong-name': return `it names ${tokenFree(arn?.resource ?? written)}, but the function reads ${name}`;
    default: return `the ${code.replace('wrong-', '')} is hard-coded as ${tokenFree(fieldOf(arn, code))}; the pseudo parameter follows the stack`;
  }
}

function fieldOf(arn: ReturnType<typeof parseArn>, code: string): string {
  if (!arn) return '(unknown)';
  return code === 'wrong-region' ? arn.region : code === 'wrong-account' ? arn.account : arn.partition;
}

function isRewritable(raw: unknown): boolean {
  if (typeof raw === 'string') return true;
  return isRecord(raw) && Object.keys(raw).length === 1 && typeof raw['Fn::Sub'] === 'string';
}

/** The written secret name, less whatever suffix it carries, is the name or a near miss of it. */
export function aimsAt(written: string, name: string): boolean {
  const arn = parseArn(written);
  if (!arn || arn.service !== 'secretsmanager' || !arn.resource.startsWith('secret:')) return false;
  const full = arn.resource.slice('secret:'.length);
  const base = full.replace(/-(?:\?{6}|\*|\[[^\]]*\]|<[^>]*>|\{[^}]*\}|[A-Za-z0-9]{6})$/, '');
  if (base === name || full === name) return true;
  if (base.startsWith(`${name}-`) || name.startsWith(`${base}-`)) return true;
  return editDistance(base.toLowerCase(), name.toLowerCase()) <= Math.max(2, Math.floor(name.length / 4));
}
