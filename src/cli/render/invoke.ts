import type { ChalkInstance } from 'chalk';
import type { CompareInvokeResult, InvokeResult, InvokeRun } from '../../commands/invoke.js';

/**
 * Pure: the human form of an invoke result. Every text in the result was masked by the command already
 * (unless --no-redact), so this only lays it out.
 */
export function renderInvoke(result: InvokeResult, style: ChalkInstance): string {
  return result.mode === 'compare' ? renderCompare(result, style) : renderRun(result, style).join('\n');
}

const WHERE = { local: 'locally', remote: 'deployed' } as const;

function renderRun(run: InvokeRun, style: ChalkInstance): string[] {
  const name = run.function.name ?? run.function.logicalId ?? 'function';
  const lines = [`${style.bold(`${name} ${WHERE[run.mode]}:`)} ${outcome(run, style)}`];
  const field = (label: string, value: string | number | undefined) => value !== undefined && lines.push(`  ${label.padEnd(16)}${value}`);
  field('status', run.statusCode);
  field('function error', run.functionError);
  field('version', run.executedVersion);
  field('duration', run.durationMs === undefined ? undefined : `${run.durationMs} ms`);
  if (run.host) field('runtime', hostText(run.host));
  if (run.asDeployedRole) field('as role', roleText(run.asDeployedRole));
  for (const limit of run.asDeployedRole?.limits ?? []) lines.push(`  ${''.padEnd(16)}${style.yellow('not reproduced:')} ${limit}`);
  for (const ref of run.dynamicReferences ?? []) field('not resolved', `${ref.name} = ${ref.reference} (CloudFormation resolves it at deploy time)`);
  if (run.host && run.host.emptyVariables.length > 0) field('left empty', run.host.emptyVariables.join(', '));
  if (run.envParity) field('from stack', parityText(run.envParity));
  if (run.localVariables?.envVarsFile !== undefined) field('from file', `${run.localVariables.envVarsFile}: ${run.localVariables.fromFile.length ? run.localVariables.fromFile.join(', ') : 'none of its variables'}`);
  if (run.localVariables?.fromShell.length) field('from shell', `${run.localVariables.fromShell.join(', ')} (the deployed function gets the template's value)`);
  if (run.error) lines.push(`  ${style.red(run.error.message)}`, ...(run.error.hint ? [indent(run.error.hint, 4)] : []));
  if (run.classification && run.classification.code !== 'ok') {
    field('cause', `${run.classification.code}: ${run.classification.summary}`);
    field('next', run.classification.nextStep);
  }
  if (run.redaction?.applied) field('masked', `values of ${run.redaction.secretId}`);
  if (run.redaction?.withheld) field('withheld', `payload and logs: ${run.redaction.reason}; --no-redact shows them`);
  if (run.payloadKind !== undefined) {
    lines.push('  payload');
    lines.push(run.payload === undefined ? '    (empty)' : indent(typeof run.payload === 'string' ? run.payload : JSON.stringify(run.payload, null, 2), 4));
  }
  if (run.host?.missingPackage) lines.push(`  ${style.yellow('missing package')} ${run.host.missingPackage.name}`);
  // A local run's log already streamed to stderr as sam wrote it; a deployed run's tail is only here.
  if (run.mode === 'remote' && run.logTail) lines.push('  log tail', indent(run.logTail.trimEnd(), 4));
  return lines;
}

function renderCompare(result: CompareInvokeResult, style: ChalkInstance): string {
  const { local, remote } = result;
  const lines = [style.bold(result.headline), ''];
  const row = (label: string, a: string, b: string) => lines.push(`  ${label.padEnd(16)}${a.padEnd(28)}${b}`);
  row('', 'local', 'deployed');
  row('outcome', plainOutcome(local), plainOutcome(remote));
  row('classification', local.classification?.code ?? local.error?.code ?? '-', remote.classification?.code ?? remote.error?.code ?? '-');
  row('duration', ms(local.durationMs), ms(remote.durationMs));
  row('runs', local.host ? `here, ${local.host.runtime} host` : 'sam container', 'Lambda');
  if (result.access) {
    lines.push('', `${style.bold('check-policy:')} ${result.access.verdict}: ${result.access.summary}`);
    if (result.access.fix) lines.push('  fix:', indent(result.access.fix, 4));
  }
  for (const run of [local, remote]) lines.push('', ...renderRun(run, style));
  return lines.join('\n');
}

function hostText(host: NonNullable<InvokeRun['host']>): string {
  const version = host.hostVersion === undefined ? '' : `, version ${host.hostVersion}${host.versionMatches === false ? ' (differs)' : ''}`;
  return `${host.runtime} on this machine: ${host.interpreter} (${host.origin}${version})`;
}

function roleText(role: NonNullable<InvokeRun['asDeployedRole']>): string {
  if (role.method === undefined || role.method === 'assume-role') return role.roleArn;
  const how = role.method === 'session-policy' ? `session policies on ${role.via}` : `GetFederationToken for ${role.via}`;
  const size = role.sessionPolicies ? `, ${role.sessionPolicies.plaintextChars}/2048 characters, ${role.sessionPolicies.policyArns.length} managed ARN(s)` : '';
  return `${role.roleArn}, emulated (an approximation): its policies as ${how}${size}`;
}

function outcome(run: InvokeRun, style: ChalkInstance): string {
  if (run.status === 'succeeded') return style.green('succeeded');
  if (run.status === 'failed') return style.red('failed');
  return style.yellow('could not run');
}

function plainOutcome(run: InvokeRun): string {
  return run.status === 'not-run' ? 'could not run' : run.status;
}

function parityText(parity: NonNullable<InvokeRun['envParity']>): string {
  if (parity.warning) return `${parity.stackName} not read (${parity.warning})`;
  return parity.filled.length > 0 ? `${parity.stackName}: filled ${parity.filled.join(', ')}` : `${parity.stackName}: nothing to fill`;
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value} ms`;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((line) => pad + line).join('\n');
}
