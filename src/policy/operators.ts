/**
 * Condition operators: name parsing and the positive comparison of one request value with one
 * policy value. Negation, `IfExists`, set qualifiers and missing keys are handled in conditions.ts,
 * so every operator here answers only "does this value match that value".
 */
import { type Judgement, fromBoolean, no, unknown } from './tristate.js';
import { matchPolicyPattern, resolvePolicyVariables, type VariableLookup } from './wildcard.js';
import { UNKNOWN_PUBLIC_IPV4, ipCompare } from './ip.js';

export type Comparator = (requestValue: string, policyValue: string, lookup: VariableLookup) => Judgement;

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

export interface ParsedOperator {
  /** The operator as written in the policy. */
  raw: string;
  qualifier: SetQualifier | undefined;
  /** The base operator without qualifier or IfExists, e.g. `StringNotLike`. */
  base: string;
  ifExists: boolean;
  negated: boolean;
  isNull: boolean;
  /** Positive comparison (for `StringNotEquals` this is StringEquals). */
  compare: Comparator;
}

function exactString(ignoreCase: boolean): Comparator {
  return (requestValue, policyValue, lookup) => {
    // StringEquals supports policy variables but not wildcards: `*` in the value is literal.
    const resolved = resolvePolicyVariables(policyValue, lookup);
    if (!resolved.ok) return unknown(`policy variable(s) ${resolved.unresolved.join(', ')} in ${policyValue} are not known`);
    const wanted = resolved.pattern.replace(/\u0000STAR/g, '*').replace(/\u0000QUESTION/g, '?');
    return ignoreCase ? fromBoolean(wanted.toLowerCase() === requestValue.toLowerCase()) : fromBoolean(wanted === requestValue);
  };
}

/** StringLike and the ARN operators: wildcards and policy variables, case-sensitive. */
const likeString: Comparator = (requestValue, policyValue, lookup) => matchPolicyPattern(policyValue, requestValue, { lookup });

const boolCompare: Comparator = (requestValue, policyValue) => {
  const p = policyValue.toLowerCase();
  if (p !== 'true' && p !== 'false') return unknown(`Bool value ${policyValue} is neither true nor false`);
  return fromBoolean(requestValue.toLowerCase() === p);
};

function numeric(test: (r: number, p: number) => boolean): Comparator {
  return (requestValue, policyValue) => {
    const r = Number(requestValue);
    const p = Number(policyValue);
    if (requestValue.trim() === '' || Number.isNaN(r) || Number.isNaN(p)) {
      return unknown(`cannot compare ${requestValue} with ${policyValue} as numbers`);
    }
    return fromBoolean(test(r, p));
  };
}

/** AWS accepts ISO 8601 dates and epoch seconds for the Date operators. */
function parseDate(text: string): number {
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

function date(test: (r: number, p: number) => boolean): Comparator {
  return (requestValue, policyValue) => {
    const r = parseDate(requestValue);
    const p = parseDate(policyValue);
    if (Number.isNaN(r) || Number.isNaN(p)) return unknown(`cannot compare ${requestValue} with ${policyValue} as dates`);
    return fromBoolean(test(r, p));
  };
}

const eq = (r: number, p: number): boolean => r === p;
const lt = (r: number, p: number): boolean => r < p;
const le = (r: number, p: number): boolean => r <= p;
const gt = (r: number, p: number): boolean => r > p;
const ge = (r: number, p: number): boolean => r >= p;

/** Base operators in their positive form; the boolean says whether the written name is a negation. */
const OPERATORS: Record<string, [Comparator, boolean]> = {
  stringequals: [exactString(false), false],
  stringnotequals: [exactString(false), true],
  stringequalsignorecase: [exactString(true), false],
  stringnotequalsignorecase: [exactString(true), true],
  stringlike: [likeString, false],
  stringnotlike: [likeString, true],
  // AWS documents ArnEquals and ArnLike as behaving identically (wildcards allowed in both).
  arnequals: [likeString, false],
  arnlike: [likeString, false],
  arnnotequals: [likeString, true],
  arnnotlike: [likeString, true],
  bool: [boolCompare, false],
  numericequals: [numeric(eq), false],
  numericnotequals: [numeric(eq), true],
  numericlessthan: [numeric(lt), false],
  numericlessthanequals: [numeric(le), false],
  numericgreaterthan: [numeric(gt), false],
  numericgreaterthanequals: [numeric(ge), false],
  dateequals: [date(eq), false],
  datenotequals: [date(eq), true],
  datelessthan: [date(lt), false],
  datelessthanequals: [date(le), false],
  dategreaterthan: [date(gt), false],
  dategreaterthanequals: [date(ge), false],
  ipaddress: [(r, p) => ipCompare(r, p), false],
  notipaddress: [(r, p) => ipCompare(r, p), true],
};

/** Only the IP operators know what the stand-in for an unknown public address means. */
export function acceptsUnknownAddress(op: ParsedOperator): boolean {
  return op.base.toLowerCase() === 'ipaddress' || op.base.toLowerCase() === 'notipaddress';
}

export { UNKNOWN_PUBLIC_IPV4 };

const NULL_COMPARE: Comparator = () => no();

/**
 * Parse `ForAllValues:StringLikeIfExists` into its parts. Unknown names (BinaryEquals,
 * typos) return undefined so the caller can report "undetermined" instead of guessing.
 */
export function parseOperator(raw: string): ParsedOperator | undefined {
  let rest = raw;
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === 'foranyvalue') qualifier = 'ForAnyValue';
    else if (q === 'forallvalues') qualifier = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  const ifExists = /IfExists$/i.test(rest) && rest.toLowerCase() !== 'ifexists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (base.toLowerCase() === 'null') {
    // Null takes neither IfExists nor a set qualifier.
    return ifExists || qualifier ? undefined : { raw, qualifier, base, ifExists, negated: false, isNull: true, compare: NULL_COMPARE };
  }
  const entry = OPERATORS[base.toLowerCase()];
  if (!entry) return undefined;
  const [compare, negated] = entry;
  return { raw, qualifier, base, ifExists, negated, isNull: false, compare };
}
