/**
 * IAM wildcard matching. `*` matches any run of characters (including none), `?` exactly one.
 * Matching is done by hand rather than by building a RegExp, so characters such as `.`, `+`,
 * `(` or `[` in a secret name can never be read as regex syntax.
 */
import { type Judgement, no, unknown, yes } from './tristate.js';

export interface WildcardOptions {
  /** Actions and IgnoreCase operators compare case-insensitively; ARNs and resources do not. */
  ignoreCase?: boolean;
}

/**
 * Classic two-pointer glob match with backtracking to the last `*`; linear-ish and
 * immune to the catastrophic backtracking a naive regex would show on `*a*a*a*`.
 */
export function matchWildcard(pattern: string, value: string, options: WildcardOptions = {}): boolean {
  const p = options.ignoreCase ? pattern.toLowerCase() : pattern;
  const v = options.ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let starPi = -1;
  let starVi = 0;
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === '*') {
      starPi = pi++;
      starVi = vi;
    } else if (pc !== undefined && (pc === '?' || pc === v[vi])) {
      pi++;
      vi++;
    } else if (starPi >= 0) {
      pi = starPi + 1;
      vi = ++starVi;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** Values a policy variable such as `${aws:username}` can be resolved from (keys case-insensitive). */
export type VariableLookup = (key: string) => string | undefined;

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * The three escape variables AWS defines so a policy can say a literal `*`, `?` or `$`.
 * (IAM user guide, reference_policies_variables.html, "Special characters".)
 */
const LITERAL_ESCAPES: Record<string, string> = { '*': '\u0000STAR', '?': '\u0000QUESTION', $: '$' };

export interface ResolvedPattern {
  ok: boolean;
  pattern: string;
  unresolved: string[];
}

/**
 * Substitute policy variables. A variable we cannot resolve leaves the whole pattern undecidable:
 * we report it instead of guessing, because the real value could make the statement apply or not.
 */
export function resolvePolicyVariables(pattern: string, lookup: VariableLookup): ResolvedPattern {
  const unresolved: string[] = [];
  const out = pattern.replace(VARIABLE, (whole, inner: string) => {
    const key = inner.trim();
    const escape = LITERAL_ESCAPES[key];
    if (escape !== undefined) return escape;
    const value = lookup(key);
    if (value === undefined) {
      unresolved.push(whole);
      return whole;
    }
    // A substituted value is data, not pattern: its own `*`/`?` must stay literal.
    return value.replace(/\*/g, LITERAL_ESCAPES['*']!).replace(/\?/g, LITERAL_ESCAPES['?']!);
  });
  return { ok: unresolved.length === 0, pattern: out, unresolved };
}

/** Pattern matching with policy variables and escaped literals. */
export function matchPolicyPattern(
  pattern: string,
  value: string,
  options: WildcardOptions & { lookup?: VariableLookup } = {},
): Judgement {
  if (!pattern.includes('${')) return matchWildcard(pattern, value, options) ? yes() : no();
  const resolved = resolvePolicyVariables(pattern, options.lookup ?? (() => undefined));
  if (!resolved.ok) {
    return unknown(`pattern ${pattern} uses policy variable(s) ${resolved.unresolved.join(', ')} whose value is not known`);
  }
  return matchWithLiteralMarkers(resolved.pattern, value, options) ? yes() : no();
}

/**
 * After substitution, literal `*`/`?` are carried as marker tokens. Split on them and match the
 * pieces in sequence so a marker only ever matches the literal character.
 */
function matchWithLiteralMarkers(pattern: string, value: string, options: WildcardOptions): boolean {
  if (!pattern.includes('\u0000')) return matchWildcard(pattern, value, options);
  // Rare path (variables that contain `*`/`?`, or ${*} escapes): fall back to a DP over tokens.
  const tokens = tokenize(pattern);
  const v = options.ignoreCase ? value.toLowerCase() : value;
  const norm = (c: string): string => (options.ignoreCase ? c.toLowerCase() : c);
  let states = new Set<number>([0]);
  for (const token of tokens) {
    const next = new Set<number>();
    for (const at of states) {
      if (token.kind === 'star') for (let k = at; k <= v.length; k++) next.add(k);
      else if (token.kind === 'any') { if (at < v.length) next.add(at + 1); }
      else if (v[at] === norm(token.char)) next.add(at + 1);
    }
    states = next;
  }
  return states.has(v.length);
}

type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; char: string };

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith('\u0000STAR', i)) { tokens.push({ kind: 'char', char: '*' }); i += 4; }
    else if (pattern.startsWith('\u0000QUESTION', i)) { tokens.push({ kind: 'char', char: '?' }); i += 8; }
    else if (pattern[i] === '*') tokens.push({ kind: 'star' });
    else if (pattern[i] === '?') tokens.push({ kind: 'any' });
    else tokens.push({ kind: 'char', char: pattern[i]! });
  }
  return tokens;
}

/** True when a pattern contains a wildcard, i.e. is not a literal. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
