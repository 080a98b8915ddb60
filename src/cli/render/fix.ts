import type { ChalkInstance } from 'chalk';
import type { FixResult } from '../../commands/fix.js';

const MARK: Record<string, string> = { 'rewrite-secret-arn': '~', 'add-secret-env': '+' };

/**
 * Pure: the human form of a fix result. The summary comes first and the diff last, so the output can
 * still be fed to `git apply` or `patch`, which skip leading text.
 */
export function renderFix(result: FixResult, style: ChalkInstance): string {
  const lines = [headline(result, style)];
  for (const change of result.changes) {
    lines.push(`  ${MARK[change.code] ?? '+'} ${change.description}${change.line ? ` (line ${change.line})` : ''}`);
  }
  for (const note of result.notes) lines.push(`  ${style.yellow('note:')} ${note.message}`);
  if (result.externalRoleStatement) lines.push('', result.externalRoleStatement);
  if (result.status === 'would-change') lines.push(`Nothing was written: run again with --write to change ${result.template}.`);
  if (result.diff) lines.push('', colourDiff(result.diff, style).trimEnd());
  return lines.join('\n');
}

function headline(result: FixResult, style: ChalkInstance): string {
  const who = `${result.function} (${result.role}) → secret ${result.secret.label}`;
  switch (result.status) {
    case 'nothing-to-do': return `${style.green('Nothing to do:')} ${who} in ${result.template} can already be read.`;
    case 'external-role': return `${style.yellow('Not changed:')} ${who}: the role is not in ${result.template}; add this statement to it:`;
    case 'changed': return `${style.bold('Wrote')} ${result.template}: ${who}`;
    case 'would-change': return `${style.bold('Would change')} ${result.template}: ${who}`;
  }
}

function colourDiff(diff: string, style: ChalkInstance): string {
  return diff
    .split('\n')
    .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? style.green(line) : line.startsWith('-') && !line.startsWith('---') ? style.red(line) : line.startsWith('@@') ? style.cyan(line) : line))
    .join('\n');
}
