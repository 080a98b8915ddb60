/**
 * Summaries of evaluated statements and the AWS combination rules for one request
 * (IAM user guide: reference_policies_evaluation-logic_policy-eval-denyallow.html,
 * reference_policies_evaluation-logic-cross-account.html, and the KMS developer guide
 * key-policy-default.html for "Enable IAM User Permissions").
 */
import type { StatementEvaluation } from './evaluate.js';
import { type Judgement, type TriState, allOf, anyOf } from './tristate.js';

/** What one policy set says about one request. */
export interface Tally {
  /** Does some Deny apply? */
  deny: TriState;
  /** Does some Allow apply? (For resource/key policies: with any Principal match.) */
  allow: TriState;
  /** Resource/key policies: an Allow naming the role ARN (limited by a boundary). */
  allowRole: TriState;
  /**
   * Resource/key policies: an Allow naming the session ARN or `*` (not limited by a boundary).
   * `*` also matches the role session that actually makes the call, so it grants the session
   * directly; @cloud-copilot/iam-simulate reads it the same way and our differential test checks it.
   */
  allowSession: TriState;
  /** Resource/key policies: an Allow naming the account, i.e. delegating to IAM policies. */
  allowAccount: TriState;
  statements: StatementEvaluation[];
}

function tri(evals: StatementEvaluation[]): TriState {
  if (evals.some((e) => e.status === 'applies')) return 'yes';
  return evals.some((e) => e.status === 'undetermined') ? 'unknown' : 'no';
}

/** A Principal match only exists on statements that applied; undetermined ones may match any way. */
function withMatch(allows: StatementEvaluation[], kinds: string[]): StatementEvaluation[] {
  return allows.filter((e) =>
    e.principalMatch === undefined ? e.status === 'undetermined' : kinds.includes(e.principalMatch),
  );
}

export function tally(evals: StatementEvaluation[]): Tally {
  const allows = evals.filter((e) => e.effect === 'Allow');
  // A statement with an invalid Effect is undetermined; counting it as a possible Deny keeps us safe.
  const denies = evals.filter((e) => e.effect !== 'Allow');
  return {
    deny: tri(denies),
    allow: tri(allows),
    allowRole: tri(withMatch(allows, ['principal'])),
    allowSession: tri(withMatch(allows, ['session', 'anyone'])),
    allowAccount: tri(withMatch(allows, ['account'])),
    statements: evals,
  };
}

/** The tally of a policy we could not read: anything is possible. */
export const UNKNOWN_TALLY: Tally = {
  deny: 'unknown', allow: 'unknown', allowRole: 'unknown', allowSession: 'unknown', allowAccount: 'unknown', statements: [],
};

/** The tally of a policy that does not exist: grants nothing, denies nothing. */
export const ABSENT_TALLY: Tally = {
  deny: 'no', allow: 'no', allowRole: 'no', allowSession: 'no', allowAccount: 'no', statements: [],
};

const j = (state: TriState): Judgement => ({ state, reasons: [] });

export interface ChainInput {
  identity: Tally;
  /** undefined when the role has no permissions boundary. */
  boundary: Tally | undefined;
  /** The secret's resource policy or the key policy. */
  resource: Tally;
  crossAccount: boolean;
  /** KMS key policies are mandatory: IAM policies count only if the key policy delegates to IAM. */
  resourcePolicyRequired: boolean;
}

/**
 * Whether some grant path allows the request, ignoring denies.
 * Same account: identity allow (within the boundary), or a resource-policy allow naming the role
 * (a role-ARN grant is still limited by the boundary; a session-ARN or `*` grant is not — IAM user guide,
 * reference_policies_evaluation-logic_policy-eval-denyallow.html, "Resource-based policies").
 * Cross-account: both the identity side and the resource policy must allow.
 */
export function grantState(input: ChainInput): TriState {
  const withinBoundary = j(input.boundary ? input.boundary.allow : 'yes');
  const identityPath = allOf([j(input.identity.allow), withinBoundary]);
  const r = input.resource;
  if (input.crossAccount) return allOf([identityPath, j(r.allow)]).state;
  const direct = anyOf([allOf([j(r.allowRole), withinBoundary]), j(r.allowSession)]);
  if (!input.resourcePolicyRequired) return anyOf([identityPath, direct]).state;
  return anyOf([direct, allOf([j(r.allowAccount), identityPath])]).state;
}

export function denyState(input: ChainInput): TriState {
  return anyOf([j(input.identity.deny), j(input.boundary?.deny ?? 'no'), j(input.resource.deny)]).state;
}

/** Explicit deny wins; otherwise a grant is needed; an unknown on either side leaves it open. */
export function chainVerdict(input: ChainInput): 'allowed' | 'denied' | 'undetermined' {
  const deny = denyState(input);
  if (deny === 'yes') return 'denied';
  const grant = grantState(input);
  if (grant === 'no') return 'denied';
  return grant === 'yes' && deny === 'no' ? 'allowed' : 'undetermined';
}
