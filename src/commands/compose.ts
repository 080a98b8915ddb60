/**
 * How commands compose: `invoke --compare` explains a permission failure with check-policy's verdict,
 * and `doctor --invoke` folds `invoke --compare` into one check. Handlers only wire dependencies.
 */
import type { AccessExplanation, InvokeResult } from './invoke.js';
import { checkPolicy, type CheckPolicyDeps, type CheckPolicyOptions } from './check-policy.js';
import { check, type DoctorCheck } from '../doctor/types.js';

interface CheckPolicyLike {
  verdict: string;
  findings?: ReadonlyArray<{ severity?: string; message: string; fix?: string }>;
}

export type AccessScope = Omit<CheckPolicyOptions, 'functionName' | 'static'>;

/** check-policy, run live for the function `--compare` ran, reduced to what the comparison prints. */
export function explainAccessWith(scope: AccessScope, deps: CheckPolicyDeps): (functionName: string) => Promise<AccessExplanation> {
  return async (functionName) => summariseCheckPolicy(await checkPolicy({ ...scope, functionName, static: false }, deps));
}

/** Pure: check-policy's result reduced to what --compare prints under the headline. */
export function summariseCheckPolicy(result: CheckPolicyLike): AccessExplanation {
  const findings = result.findings ?? [];
  const main = findings.find((f) => f.severity === 'error') ?? findings[0];
  const fix = findings.find((f) => f.fix !== undefined)?.fix;
  return { verdict: result.verdict, summary: main?.message ?? result.verdict, ...(fix !== undefined && { fix }) };
}

/** `invoke --compare`'s result as doctor's "Local and deployed runs" check. */
export function invokeCheck(outcome: InvokeResult | Error): DoctorCheck {
  const title = 'Local and deployed runs';
  if (outcome instanceof Error) return check('invoke', title, 'error', outcome.message);
  if (outcome.mode !== 'compare') return check('invoke', title, 'error', 'expected a comparison');
  const failed = outcome.local.status === 'failed' || outcome.remote.status === 'failed';
  const notRun = outcome.local.status === 'not-run' || outcome.remote.status === 'not-run';
  return check('invoke', title, failed ? 'fail' : notRun ? 'warn' : 'pass', outcome.headline, {
    ...(outcome.access?.fix !== undefined && { fix: outcome.access.fix }),
    detail: { local: outcome.local.status, remote: outcome.remote.status, localCause: outcome.local.classification?.code ?? outcome.local.error?.code, remoteCause: outcome.remote.classification?.code ?? outcome.remote.error?.code },
  });
}
