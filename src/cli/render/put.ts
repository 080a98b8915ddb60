import type { ChalkInstance } from 'chalk';
import type { PutResult } from '../../commands/put.js';

const MARK: Record<string, string> = { added: '+', changed: '~', unchanged: '=', kept: ' ', removed: '-' };

/** Pure: the human form of a put result. Holds key names only, never values. */
export function renderPut(result: PutResult, style: ChalkInstance): string {
  const verb = result.dryRun
    ? { created: 'Would create', updated: 'Would update', unchanged: 'Unchanged (nothing would be written):' }[result.action]
    : { created: 'Created', updated: 'Updated', unchanged: 'Unchanged (no new version):' }[result.action];
  const lines = [`${style.bold(verb)} ${result.secret.name}`];
  if (result.secret.arn) lines.push(`  arn      ${result.secret.arn}`);
  if (result.versionId) lines.push(`  version  ${result.versionId}${result.action === 'unchanged' ? ' (current)' : ''}`);
  if (result.restored) lines.push(`  ${style.yellow('restored')} (was scheduled for deletion)`);
  if (result.replaced) lines.push(`  ${style.yellow('replaced')} the previous non-JSON value`);
  if (result.verified !== 'skipped') lines.push(`  verified with OpenWeather: ${result.verified}`);
  lines.push('  keys');
  for (const key of result.keys) lines.push(`    ${MARK[key.change]} ${key.name} (${key.change})`);
  return lines.join('\n');
}
