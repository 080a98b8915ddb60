/**
 * ARN parsing and the "why does this Resource not match my secret" explanation.
 * Secrets Manager appends `-` and six random characters to every secret name in its ARN
 * (userguide permissions_grant-limited-resources.html); most hand-written Resource mistakes are
 * about that suffix, so we name them precisely.
 */
import { matchWildcard } from './wildcard.js';

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon; may itself contain `:` and `/`. */
  resource: string;
}

/** Parse `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; undefined when it is not an ARN. */
export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

export interface SecretArn extends Arn {
  name: string;
  /** The six characters AWS appended, without the hyphen. */
  suffix: string;
}

const SECRET_RESOURCE = /^secret:(.+)-([A-Za-z0-9]{6})$/;

/** Parse a full secret ARN into name and random suffix; undefined for partial or non-secret ARNs. */
export function parseSecretArn(text: string): SecretArn | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'secretsmanager') return undefined;
  const m = SECRET_RESOURCE.exec(arn.resource);
  if (!m) return undefined;
  return { ...arn, name: m[1]!, suffix: m[2]! };
}

/** AWS's recommended pattern: `-??????` matches exactly the six-character suffix and nothing longer. */
export function recommendedSecretArnPattern(secret: { partition?: string; region: string; account: string; name: string }): string {
  const partition = secret.partition ?? 'aws';
  return `arn:${partition}:secretsmanager:${secret.region}:${secret.account}:secret:${secret.name}-??????`;
}

export type SecretArnPatternCode =
  | 'matches'
  | 'not-an-arn'
  | 'wrong-partition'
  | 'wrong-service'
  | 'wrong-region'
  | 'wrong-account'
  | 'wrong-resource-type'
  | 'missing-suffix'
  | 'placeholder-suffix'
  | 'wrong-suffix'
  | 'wrong-name';

export interface SecretArnPatternAnalysis {
  code: SecretArnPatternCode;
  /** One sentence a user can act on. */
  message: string;
  /** A Resource value that would match, when we can build one. */
  recommended?: string;
}

/**
 * Explain why `pattern` (a Resource entry) does or does not match `actualSecretArn`.
 * Checks run from the outside in (partition → account → name → suffix) so the first
 * difference reported is the one a user should fix first.
 */
export function analyseSecretArnPattern(pattern: string, actualSecretArn: string): SecretArnPatternAnalysis {
  const secret = parseSecretArn(actualSecretArn);
  const recommended = secret ? recommendedSecretArnPattern(secret) : undefined;
  const withFix = (code: SecretArnPatternCode, message: string): SecretArnPatternAnalysis =>
    recommended === undefined ? { code, message } : { code, message, recommended };
  if (matchWildcard(pattern, actualSecretArn)) return { code: 'matches', message: `${pattern} matches ${actualSecretArn}` };
  const p = parseArn(pattern);
  if (!p) return withFix('not-an-arn', `${pattern} is not an ARN; a Resource must be a full ARN or *`);
  const a = secret ?? parseArn(actualSecretArn);
  if (!a) return { code: 'not-an-arn', message: `${actualSecretArn} is not an ARN` };
  const outer = compareOuterSegments(p, a);
  if (outer) return withFix(outer.code, outer.message);
  if (!secret) return { code: 'wrong-name', message: `${pattern} does not match ${actualSecretArn}` };
  return withFix(...analyseSecretResource(p.resource, secret));
}

const SEGMENTS = [
  ['partition', 'wrong-partition'],
  ['service', 'wrong-service'],
  ['region', 'wrong-region'],
  ['account', 'wrong-account'],
] as const;

function compareOuterSegments(p: Arn, a: Arn): { code: SecretArnPatternCode; message: string } | undefined {
  for (const [field, code] of SEGMENTS) {
    if (!matchWildcard(p[field], a[field])) {
      return { code, message: `the ${field} is ${p[field] || '(empty)'} in the policy but ${a[field]} in the secret's ARN` };
    }
  }
  return undefined;
}

/**
 * What people write instead of the real suffix: `[xxxxxx]`, `XXXXXX`, `<suffix>`, `{random}`.
 * A genuine suffix of six x's is possible but then the pattern would already have matched.
 */
const PLACEHOLDER = /^(?:x{6}|X{6}|\[[^\]]*\]|<[^>]*>|\{[^}]*\})$/;

function analyseSecretResource(resource: string, secret: SecretArn): [SecretArnPatternCode, string] {
  if (!resource.startsWith('secret:')) {
    return ['wrong-resource-type', `the policy names resource ${resource}, not a secret (secret:NAME-XXXXXX)`];
  }
  const written = resource.slice('secret:'.length);
  if (matchWildcard(written, secret.name)) {
    return ['missing-suffix', `the policy names ${written} without the six-character suffix AWS adds to secret ARNs (-${secret.suffix})`];
  }
  const dash = written.lastIndexOf('-');
  if (dash > 0 && matchWildcard(written.slice(0, dash), secret.name)) {
    const tail = written.slice(dash + 1);
    if (PLACEHOLDER.test(tail)) {
      return ['placeholder-suffix', `the policy ends in the placeholder -${tail} where the secret's real suffix is -${secret.suffix}`];
    }
    if (/^[A-Za-z0-9]{6}$/.test(tail)) {
      return ['wrong-suffix', `the policy's suffix -${tail} differs from the secret's -${secret.suffix} (was the secret deleted and re-created?)`];
    }
  }
  return ['wrong-name', describeNameMismatch(written, secret.name)];
}

function describeNameMismatch(written: string, name: string): string {
  // Compare names without whatever suffix-like tail the policy carries (`-??????`, `-*`, six chars).
  const base = written.replace(/-(?:\?{6}|\*|[^-/]{6})$/, '');
  if (base.toLowerCase() === name.toLowerCase()) {
    return `the policy's secret name ${base} differs only in letter case from ${name} (ARN matching is case-sensitive)`;
  }
  const similar = editDistance(base, name) <= Math.max(2, Math.floor(name.length / 4));
  return similar
    ? `the policy names ${written}, which is close to but not the secret's name ${name}`
    : `the policy names secret ${written}, a different secret from ${name}`;
}

/** Levenshtein distance; names are short, so the O(n·m) table is fine. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}
