/**
 * Per-statement evaluation: does each statement of each policy apply to one request?
 * No combining happens here (that is decide.ts); the output keeps provenance so a finding can
 * say "statement 2 (Sid ReadSecret) of policy X in template.yaml line 23".
 */
import type { NamedPolicy, PolicyDocument, PolicyKind, PolicyStatement, StringOrList } from './types.js';
import { type ContextValue, RequestContext } from './context.js';
import { evaluateConditionBlock } from './conditions.js';
import { type PrincipalMatch, matchNotPrincipal, matchPrincipal } from './principal.js';
import { type Judgement, allOf, anyOf, negate, no, unknown, yes } from './tristate.js';
import { matchPolicyPattern, matchWildcard } from './wildcard.js';

export interface PolicyRequest {
  /** e.g. `secretsmanager:GetSecretValue`. */
  action: string;
  /** The full ARN of the resource acted on. */
  resource: string;
  /** `aws:PrincipalArn`: for a Lambda this is the execution role ARN, not the session ARN. */
  principalArn: string;
  principalAccount: string;
  /** STS assumed-role session ARN, if known; resource policies may name it. */
  sessionArn?: string;
  /** Known request-context values. `aws:PrincipalArn`/`aws:PrincipalAccount` are added if missing. */
  context: Record<string, ContextValue>;
  /** Keys known to be absent from the real request; all other missing keys are "unknown". */
  absentContextKeys?: string[];
}

export type StatementStatus = 'applies' | 'does-not-apply' | 'undetermined';

export interface StatementProvenance {
  policyName: string;
  kind: PolicyKind;
  source: string;
  /** Zero-based position in the Statement list (0 when Statement is a single object). */
  index: number;
  sid: string | undefined;
  effect: string;
}

export interface StatementEvaluation extends StatementProvenance {
  status: StatementStatus;
  /** Why it does not apply, or why it could not be decided. */
  reasons: string[];
  /** For resource and key policies: how the Principal element names the caller. */
  principalMatch?: PrincipalMatch;
  /** Set when the statement selected the caller through NotPrincipal. */
  viaNotPrincipal?: boolean;
}

/** Statement may be a single object or a list (both are valid JSON policy grammar). */
export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  const s = document.Statement as PolicyStatement | PolicyStatement[] | undefined;
  if (s === undefined) return [];
  return Array.isArray(s) ? s : [s];
}

function listOf(value: StringOrList | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function buildRequestContext(request: PolicyRequest): RequestContext {
  return new RequestContext({
    values: { 'aws:PrincipalArn': request.principalArn, 'aws:PrincipalAccount': request.principalAccount, ...request.context },
    absentKeys: request.absentContextKeys ?? [],
  });
}

/** Evaluate every statement of every policy against one request. */
export function evaluatePolicies(policies: readonly NamedPolicy[], request: PolicyRequest): StatementEvaluation[] {
  const context = buildRequestContext(request);
  return policies.flatMap((policy) =>
    statementsOf(policy.document).map((statement, index) => evaluateStatement(policy, statement, index, request, context)),
  );
}

export function evaluateStatement(
  policy: NamedPolicy,
  statement: PolicyStatement,
  index: number,
  request: PolicyRequest,
  context: RequestContext,
): StatementEvaluation {
  const provenance: StatementProvenance = {
    policyName: policy.name, kind: policy.kind, source: policy.source, index, sid: statement.Sid, effect: statement.Effect,
  };
  const principal = principalPart(policy.kind, statement, request);
  const verdict = allOf([
    effectPart(statement),
    actionPart(statement, request.action),
    resourcePart(policy.kind, statement, request.resource, context),
    principal.judgement,
    evaluateConditionBlock(statement.Condition, context),
  ]);
  const status: StatementStatus = verdict.state === 'yes' ? 'applies' : verdict.state === 'no' ? 'does-not-apply' : 'undetermined';
  const result: StatementEvaluation = { ...provenance, status, reasons: verdict.reasons };
  if (principal.match !== undefined) result.principalMatch = principal.match;
  if (principal.viaNotPrincipal) result.viaNotPrincipal = true;
  return result;
}

function effectPart(statement: PolicyStatement): Judgement {
  // AWS accepts exactly `Allow` and `Deny`; anything else would have been rejected on upload.
  return statement.Effect === 'Allow' || statement.Effect === 'Deny' ? yes() : unknown(`Effect ${statement.Effect} is neither Allow nor Deny`);
}

function actionPart(statement: PolicyStatement, action: string): Judgement {
  const matches = (patterns: string[]): boolean => patterns.some((p) => matchWildcard(p, action, { ignoreCase: true }));
  if (statement.Action !== undefined) {
    return matches(listOf(statement.Action)) ? yes() : no(`Action ${listOf(statement.Action).join(', ')} does not cover ${action}`);
  }
  if (statement.NotAction !== undefined) {
    return matches(listOf(statement.NotAction)) ? no(`NotAction excludes ${action}`) : yes();
  }
  return unknown('statement has neither Action nor NotAction');
}

function resourcePart(kind: PolicyKind, statement: PolicyStatement, resource: string, context: RequestContext): Judgement {
  const lookup = (k: string): string | undefined => context.variable(k);
  const any = (patterns: string[]): Judgement => anyOf(patterns.map((p) => matchPolicyPattern(p, resource, { lookup })));
  if (statement.Resource !== undefined) {
    const m = any(listOf(statement.Resource));
    return m.state === 'no' ? no(`Resource ${listOf(statement.Resource).join(', ')} does not match ${resource}`) : m;
  }
  if (statement.NotResource !== undefined) {
    const m = any(listOf(statement.NotResource));
    return m.state === 'yes' ? no(`NotResource excludes ${resource}`) : negate(m);
  }
  // A policy attached to the resource itself (secret or key policy) is about that resource.
  if (kind === 'resource' || kind === 'key') return yes();
  return unknown('statement has neither Resource nor NotResource');
}

function principalPart(
  kind: PolicyKind,
  statement: PolicyStatement,
  request: PolicyRequest,
): { judgement: Judgement; match?: PrincipalMatch; viaNotPrincipal?: boolean } {
  // Identity policies and boundaries apply to the principal they are attached to; no Principal element.
  if (kind === 'identity' || kind === 'boundary') return { judgement: yes() };
  const who = { principalArn: request.principalArn, principalAccount: request.principalAccount, sessionArn: request.sessionArn };
  if (statement.Principal !== undefined) return matchPrincipal(statement.Principal, who);
  if (statement.NotPrincipal !== undefined) return { ...matchNotPrincipal(statement.NotPrincipal, who), viaNotPrincipal: true };
  return { judgement: unknown('resource-based statement has neither Principal nor NotPrincipal') };
}
