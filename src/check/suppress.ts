/**
 * Suppressions written in a resource's Metadata, for `check-policy --all`:
 *
 *   Metadata:
 *     weather-secrets:
 *       suppress:
 *         - reason: reads the key through the alerts service (WX-142)
 *           secret: weather/alerts        # optional: only this secret
 *           code: no-grant                # optional: only this finding
 *
 * A suppressed check is still reported (as suppressed, with its reason); it only stops failing the run.
 * An entry without a reason suppresses nothing: silence needs a written why.
 */
import type { Finding } from '../core/findings.js';
import { isRecord } from '../template/load.js';

export interface Suppression {
  reason: string;
  secret?: string;
  code?: string;
}

export function suppressionsOf(resource: unknown): { entries: Suppression[]; problems: Finding[] } {
  const meta = isRecord(resource) && isRecord(resource.Metadata) ? resource.Metadata['weather-secrets'] : undefined;
  const raw = isRecord(meta) ? meta.suppress : undefined;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const entries: Suppression[] = [];
  const problems: Finding[] = [];
  for (const entry of list) {
    const reason = isRecord(entry) && typeof entry.reason === 'string' ? entry.reason.trim() : '';
    if (!reason) {
      problems.push({ code: 'suppression-without-reason', severity: 'warning', message: 'A weather-secrets suppress entry in Metadata has no reason, so it suppresses nothing.', fix: 'Add `reason: <why this function may not read the secret>`.' });
      continue;
    }
    const e = entry as Record<string, unknown>;
    entries.push({ reason, ...(typeof e.secret === 'string' ? { secret: e.secret } : {}), ...(typeof e.code === 'string' ? { code: e.code } : {}) });
  }
  return { entries, problems };
}

/** The first entry that covers this check: its secret (by id, name or logical ID) and one of its finding codes. */
export function matchSuppression(entries: Suppression[], secretNames: string[], codes: string[]): Suppression | undefined {
  return entries.find((e) => (e.secret === undefined || secretNames.includes(e.secret)) && (e.code === undefined || codes.includes(e.code)));
}
