/** Checks on the template and the deployed function: parsed, static verdict, deployed, env parity, network. */
import type { FunctionConfiguration } from '../aws/lambda.js';
import type { CheckPolicyResult } from '../check/types.js';
import { hasSymbolicTokens, isUnresolved, type FunctionAnalysis } from '../template/index.js';
import { check, type DoctorCheck } from './types.js';

export function staticPolicyCheck(result: CheckPolicyResult | undefined, why?: string): DoctorCheck {
  if (!result) return check('static-policy', 'Template grants read access', 'skipped', why ?? 'no template');
  const first = result.findings.find((f) => f.severity === 'error') ?? result.findings.find((f) => f.severity === 'warning');
  if (result.verdict === 'allowed') return check('static-policy', 'Template grants read access', 'pass', `the template grants ${result.function.logicalId} GetSecretValue on ${result.secret.id}`);
  const status = result.verdict === 'denied' ? 'fail' : 'warn';
  return check('static-policy', 'Template grants read access', status, first?.message ?? `static verdict: ${result.verdict}`, { fix: first?.fix, detail: { code: first?.code } });
}

export function functionCheck(fn: FunctionConfiguration, source: string, region: string): DoctorCheck {
  return check('function', 'Deployed function', 'pass', `${fn.name} in ${region} (${source}), role ${fn.role.split('/').pop()}, ${fn.runtime ?? 'unknown runtime'}`, {
    detail: { name: fn.name, role: fn.role, runtime: fn.runtime, state: fn.state },
  });
}

/**
 * Template variables missing from the deployed function, or with another literal value there, mean the
 * template's current version is not deployed. Values from intrinsics (`!Ref`) are compared by name only.
 */
export function environmentCheck(analysis: FunctionAnalysis | undefined, fn: FunctionConfiguration): DoctorCheck {
  if (!analysis) return check('environment', 'Environment matches the template', 'skipped', 'no template to compare with');
  const deployed = fn.environment;
  const missing = analysis.fn.environment.filter((v) => !(v.name in deployed)).map((v) => v.name);
  const different = analysis.fn.environment
    .filter((v) => v.name in deployed && !isUnresolved(v.resolved) && !hasSymbolicTokens(v.resolved) && v.resolved !== deployed[v.name])
    .map((v) => v.name);
  const names = Object.keys(deployed).join(', ') || 'none';
  if (missing.length || different.length) {
    const parts = [missing.length ? `missing on the deployed function: ${missing.join(', ')}` : '', different.length ? `different there: ${different.join(', ')}` : ''].filter(Boolean);
    return check('environment', 'Environment matches the template', 'fail', `${parts.join('; ')}. The template's current version is not deployed yet.`, { fix: 'sam build && sam deploy', detail: { missing, different } });
  }
  return check('environment', 'Environment matches the template', 'pass', `variables ${names}`);
}

export function networkCheck(fn: FunctionConfiguration): DoctorCheck {
  if (!fn.vpc) return check('network', 'Network path to Secrets Manager', 'pass', 'not in a VPC: Secrets Manager is reached over the internet');
  return check('network', 'Network path to Secrets Manager', 'warn', `in VPC ${fn.vpc.vpcId ?? ''} (subnets ${fn.vpc.subnetIds.join(', ')}): GetSecretValue needs a NAT gateway or a Secrets Manager interface endpoint, or it hangs until the function times out.`, {
    fix: 'Add a VPC interface endpoint for com.amazonaws.REGION.secretsmanager (private DNS on), or route the subnets through a NAT gateway.',
  });
}
