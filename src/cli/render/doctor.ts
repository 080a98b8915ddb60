import type { ChalkInstance } from 'chalk';
import type { DoctorResult } from '../../commands/doctor.js';

/** Pure: one line per check with ✓ ✗ ! or "skipped", then the root cause and its fix. */
export function renderDoctor(result: DoctorResult, style: ChalkInstance): string {
  const mark: Record<string, string> = {
    pass: style.green('✓'),
    fail: style.red('✗'),
    warn: style.yellow('!'),
    error: style.red('?'),
    skipped: style.dim('-'),
  };
  const lines = result.checks.map((c) => {
    const text = c.status === 'skipped' ? style.dim(`skipped: ${c.summary}`) : c.summary;
    return `${mark[c.status]} ${c.title.padEnd(34)} ${text}`;
  });
  lines.push('');
  if (result.ok) {
    const warnings = result.checks.filter((c) => c.status === 'warn').length;
    lines.push(style.green.bold('All good.') + (warnings ? ` ${warnings} warning${warnings > 1 ? 's' : ''} above.` : ' The deployed function can read its secret.'));
    return lines.join('\n');
  }
  lines.push(`${style.red.bold('Root cause:')} ${result.rootCause!.message}`);
  if (result.fix) {
    lines.push(style.bold('Fix:'));
    for (const line of result.fix.split('\n')) lines.push(`  ${line}`);
  }
  return lines.join('\n');
}
