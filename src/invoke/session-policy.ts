/**
 * Session-policy emulation of a role that does not trust the developer: the function role's policies
 * become the session policies of a session the developer may open (AssumeRole on another role, or
 * GetFederationToken for an IAM user). A session's permissions are the intersection of its own
 * identity's and the session policies, so the code sees at most what the deployed role allows.
 *
 * STS caps session policies: one inline JSON document plus up to 10 managed policy ARNs, together at
 * most 2,048 characters of plain text (and a packed size STS checks itself: PackedPolicyTooLarge).
 * Packing is pure and never drops a statement: when it does not fit, the answer is a refusal.
 */
import type { NamedPolicy, PolicyStatement } from '../policy/types.js';

export const SESSION_POLICY_PLAINTEXT_LIMIT = 2048;
export const SESSION_POLICY_ARN_LIMIT = 10;

export interface SessionPolicies {
  /** The inline session policy, compact JSON; absent when the managed ARNs carry everything. */
  policy?: string;
  policyArns: string[];
  /** Characters of inline JSON plus ARNs, as STS counts the plain text. */
  plaintextChars: number;
}

export type PackResult = { ok: true; policies: SessionPolicies } | { ok: false; reason: string; plaintextChars?: number };

/** Denies everything: a role with no policies must give a session with no permissions, never the via identity's. */
const NOTHING_ALLOWED: PolicyStatement = { Effect: 'Deny', Action: '*', Resource: '*' };

/**
 * Pure. `sessionAccount` is the account of the session's identity: a customer-managed policy may be
 * passed by ARN only within it (AWS managed policies anywhere); others are packed inline.
 */
export function packSessionPolicies(identity: readonly NamedPolicy[], sessionAccount: string): PackResult {
  const byArn = identity.filter((p) => isPassableArn(p.name, sessionAccount));
  // The largest documents stay behind their ARN: that saves the most inline characters.
  byArn.sort((a, b) => JSON.stringify(b.document).length - JSON.stringify(a.document).length);
  const arns = byArn.slice(0, SESSION_POLICY_ARN_LIMIT);
  const inlined = identity.filter((p) => !arns.includes(p));
  const statements = mergeStatements(inlined.flatMap((p) => statementsOf(p)));
  const withDefault = arns.length === 0 && statements.length === 0 ? [NOTHING_ALLOWED] : statements;
  const policy = withDefault.length > 0 ? JSON.stringify({ Version: '2012-10-17', Statement: withDefault }) : undefined;
  const policyArns = arns.map((p) => p.name);
  const plaintextChars = (policy?.length ?? 0) + policyArns.reduce((sum, arn) => sum + arn.length, 0);
  if (policy !== undefined && /[^\t\n\r\u0020-\u00ff]/.test(policy)) {
    return { ok: false, reason: 'the role\'s inline policies contain characters STS does not accept in a session policy (outside \\u0020-\\u00FF)' };
  }
  if (plaintextChars > SESSION_POLICY_PLAINTEXT_LIMIT) {
    const parts = `${policy?.length ?? 0} characters of inline policy${policyArns.length > 0 ? ` and ${plaintextChars - (policy?.length ?? 0)} of ${policyArns.length} managed policy ARN(s)` : ''}`;
    return {
      ok: false,
      plaintextChars,
      reason: `the function role's policies need ${plaintextChars} characters as session policies (${parts}); STS allows ${SESSION_POLICY_PLAINTEXT_LIMIT}`,
    };
  }
  return { ok: true, policies: { ...(policy !== undefined && { policy }), policyArns, plaintextChars } };
}

/** `arn:aws:iam::aws:policy/...` (AWS managed) or a customer-managed policy of `account`. */
function isPassableArn(name: string, account: string): boolean {
  const match = /^arn:[^:]+:iam::([^:]+):policy\//.exec(name);
  return match !== null && (match[1] === 'aws' || match[1] === account);
}

function statementsOf(policy: NamedPolicy): PolicyStatement[] {
  const statements = Array.isArray(policy.document.Statement) ? policy.document.Statement : [policy.document.Statement];
  // Sids must be unique within one policy; merged documents may repeat them, and they grant nothing.
  return statements.map(({ Sid: _sid, ...rest }) => rest);
}

/**
 * Statements that differ only in Action are one statement with the union of the actions: IAM ORs
 * statements of the same effect, so this changes no decision and saves characters.
 */
export function mergeStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const merged: PolicyStatement[] = [];
  const byShape = new Map<string, PolicyStatement>();
  for (const statement of statements) {
    if (statement.Action === undefined || statement.NotAction !== undefined) {
      pushUnique(merged, statement);
      continue;
    }
    const { Action, ...shape } = statement;
    const key = JSON.stringify(shape);
    const existing = byShape.get(key);
    if (existing) {
      existing.Action = union(existing.Action!, Action);
      continue;
    }
    const copy = { ...statement, Action: union([], Action) };
    byShape.set(key, copy);
    merged.push(copy);
  }
  return merged;
}

function union(a: string | string[], b: string | string[]): string | string[] {
  const all = [...new Set([...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])])];
  return all.length === 1 ? all[0]! : all;
}

function pushUnique(list: PolicyStatement[], statement: PolicyStatement): void {
  const text = JSON.stringify(statement);
  if (!list.some((s) => JSON.stringify(s) === text)) list.push(statement);
}

/** Pure: may any AWS principal (a user or role, as opposed to a service) assume a role with this trust policy? */
export function trustAdmitsAwsPrincipals(trust: { Statement: PolicyStatement | PolicyStatement[] } | undefined): boolean {
  if (!trust) return true; // unknown: let STS decide
  const statements = Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement];
  return statements.some((s) => s.Effect === 'Allow' && (s.Principal === '*' || (typeof s.Principal === 'object' && s.Principal.AWS !== undefined) || s.NotPrincipal !== undefined));
}

/** What session-policy emulation cannot reproduce: said with every emulated run. */
export const EMULATION_LIMITS = [
  "a resource policy or KMS key policy that names the function role's ARN (the session's principal is another one)",
  "the function role's permissions boundary",
  'service control policies and conditions on the principal (aws:PrincipalArn, aws:userid, tags)',
  "anything the session's own identity may not do (the intersection can only narrow it)",
] as const;
