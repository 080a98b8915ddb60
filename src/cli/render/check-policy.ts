import type { ChalkInstance } from 'chalk';
import type { CheckPolicyResult } from '../../check/types.js';
import type { Finding } from '../../core/findings.js';

const STEP_LABEL: Record<string, string> = {
  function: 'function',
  role: 'role',
  identity: 'identity policies',
  boundary: 'boundary',
  'resource-policy': 'resource policy',
  'kms-key': 'KMS key',
  secret: 'secret',
};

/** Pure: the permission chain with ✓ ✗ ? at each link, then the verdict, the deciding statement and the fix. */
export function renderCheckPolicy(result: CheckPolicyResult, style: ChalkInstance): string {
  const mark = (status: string) =>
    status === 'pass' ? style.green('✓') : status === 'fail' ? style.red('✗') : status === 'unknown' ? style.yellow('?') : style.dim('–');
  const how = result.method === 'static' ? `static, from ${result.template}` : `live, ${result.region}, identity by ${result.identityEvaluation === 'iam-simulation' ? "IAM's policy simulator" : 'weather-secrets evaluator'}`;
  const lines = [style.bold(`Can ${result.function.name ?? result.function.logicalId} read ${result.secret.id}?`) + style.dim(`  (${how})`), ''];
  for (const step of result.chain) lines.push(`  ${mark(step.status)} ${STEP_LABEL[step.step]!.padEnd(18)} ${step.text}`);
  lines.push('', verdictLine(result, style));
  if (result.deciding) {
    const d = result.deciding;
    lines.push(`  decided by: ${d.effect} in ${d.source}, statement ${d.sid ? `"${d.sid}"` : `#${d.index}`}`);
  }
  const shown = result.findings.filter((f) => f.severity !== 'info');
  for (const finding of shown) lines.push(...renderFinding(finding, style));
  return lines.join('\n');
}

function verdictLine(result: CheckPolicyResult, style: ChalkInstance): string {
  switch (result.verdict) {
    case 'allowed':
      return style.green.bold('ALLOWED') + ' — the role can read the secret.';
    case 'denied':
      return style.red.bold('DENIED') + ` — ${result.findings.find((f) => f.severity === 'error')?.message ?? 'the role cannot read the secret.'}`;
    default:
      return style.yellow.bold('UNDETERMINED') + ' — the answer depends on something that could not be evaluated (see below).';
  }
}

function renderFinding(finding: Finding, style: ChalkInstance): string[] {
  const tag = finding.severity === 'error' ? style.red(finding.code) : style.yellow(finding.code);
  const lines = ['', `  ${tag}: ${finding.message}`];
  if (finding.fix) {
    lines.push(`  ${style.bold('fix:')}`);
    for (const line of finding.fix.split('\n')) lines.push(`    ${line}`);
  }
  return lines;
}
