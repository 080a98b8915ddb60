/**
 * Does the function's role already allow the read? Only the identity link matters to `fix`: the
 * boundary, the secret's resource policy and the key policy are not in the function's Policies, so
 * `fix` can neither break nor repair them (check-policy reports those).
 */
import { decideAccess, type StatementEvaluation } from '../policy/index.js';
import type { FunctionPermissions, ResolveContext } from '../template/index.js';

export type IdentityAccess =
  | { status: 'allowed' }
  | { status: 'missing' }
  | { status: 'explicit-deny'; statements: StatementEvaluation[] }
  | { status: 'unknown'; reasons: string[] };

export function identityAccess(permissions: FunctionPermissions, ctx: ResolveContext, action: string, resource: string): IdentityAccess {
  const account = String(ctx.pseudo['AWS::AccountId']);
  const decision = decideAccess({
    principalArn: `arn:${String(ctx.pseudo['AWS::Partition'])}:iam::${account}:role/${permissions.functionLogicalId}Role`,
    principalAccount: account,
    secretArn: resource,
    action,
    identityPolicies: permissions.policies,
  });
  const identity = decision.links.find((link) => link.link === 'identity');
  if (!identity || identity.status === 'pass') return { status: 'allowed' };
  if (identity.status === 'fail') {
    const denies = identity.statements.filter((s) => s.effect !== 'Allow');
    return denies.length > 0 ? { status: 'explicit-deny', statements: denies } : { status: 'missing' };
  }
  return { status: 'unknown', reasons: identity.reasons };
}
