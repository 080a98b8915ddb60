/**
 * A result's exit code, decided here and nowhere else (errors carry theirs: see core/errors.ts).
 *   0 ok; 1 a check found a problem, or the invoked function failed; 3 something could not be checked
 *   or run (AWS or the environment). 2 (usage) and 130 (interrupted) come from errors, never results.
 * Pure: it reads only the result data, so `--json` consumers can derive the same code from the document.
 */
import type { CheckPolicyResult } from '../check/types.js';
import type { ScanResult } from '../check/scan.js';
import type { DoctorResult } from '../commands/doctor.js';
import type { FixResult } from '../commands/fix.js';
import type { InvokeResult } from '../commands/invoke.js';
import type { PutResult } from '../commands/put.js';
import { EXIT, type ExitCode } from '../core/errors.js';

export type CommandResult = CheckPolicyResult | ScanResult | DoctorResult | InvokeResult | FixResult | PutResult;

export function exitCodeOf(result: CommandResult): ExitCode {
  switch (result.command) {
    case 'check-policy':
      if ('scope' in result) return result.summary.failing > 0 ? EXIT.problem : EXIT.ok;
      // "Undetermined" is "could not check", never a pass.
      return result.verdict === 'allowed' ? EXIT.ok : result.verdict === 'denied' ? EXIT.problem : EXIT.environment;
    case 'doctor':
      if (result.checks.some((c) => c.status === 'fail')) return EXIT.problem;
      return result.checks.some((c) => c.status === 'error') ? EXIT.environment : EXIT.ok;
    case 'invoke': {
      // In --compare a side that could not run makes it 3 even when the other failed: the comparison
      // the user asked for did not happen.
      const runs = result.mode === 'compare' ? [result.local, result.remote] : [result];
      if (runs.some((r) => r.status === 'not-run')) return EXIT.environment;
      return runs.some((r) => r.status === 'failed') ? EXIT.problem : EXIT.ok;
    }
    case 'fix':
    case 'put':
      // Their problems are errors (exit 2 or 3); a result means it worked, or there was nothing to do.
      return EXIT.ok;
  }
}
