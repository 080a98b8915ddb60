/**
 * One place decides a result's exit code (0 ok, 1 a problem, 3 could not check or run), for every
 * command's result. The CLI tests see the same codes end to end; this table pins the rule itself.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeOf, type CommandResult } from '../../src/cli/exit-codes.js';

const policy = (verdict: string) => ({ command: 'check-policy', verdict }) as unknown as CommandResult;
const scan = (failing: number) => ({ command: 'check-policy', scope: 'all', summary: { failing } }) as unknown as CommandResult;
const doctor = (...statuses: string[]) => ({ command: 'doctor', checks: statuses.map((status) => ({ status })) }) as unknown as CommandResult;
const run = (status: string) => ({ command: 'invoke', mode: 'local', status }) as unknown as CommandResult;
const compare = (local: string, remote: string) => ({ command: 'invoke', mode: 'compare', local: { status: local }, remote: { status: remote } }) as unknown as CommandResult;

describe('exit code of a result', () => {
  it.each([
    ['check-policy allowed', policy('allowed'), 0],
    ['check-policy denied', policy('denied'), 1],
    ['check-policy undetermined (could not check)', policy('undetermined'), 3],
    ['check-policy --all, nothing failing', scan(0), 0],
    ['check-policy --all, one failing', scan(1), 1],
    ['doctor all pass, one skipped', doctor('pass', 'skipped'), 0],
    ['doctor a warning only', doctor('pass', 'warn'), 0],
    ['doctor a failure beats an error', doctor('error', 'fail'), 1],
    ['doctor an error only (could not check)', doctor('pass', 'error'), 3],
    ['invoke succeeded', run('succeeded'), 0],
    ['invoke the function failed', run('failed'), 1],
    ['invoke could not run', run('not-run'), 3],
    ['invoke --compare both ran, one failed', compare('succeeded', 'failed'), 1],
    ['invoke --compare one side could not run', compare('failed', 'not-run'), 3],
    ['fix', { command: 'fix' } as unknown as CommandResult, 0],
    ['put', { command: 'put' } as unknown as CommandResult, 0],
  ])('%s → %i', (_name, result, code) => {
    expect(exitCodeOf(result)).toBe(code);
  });
});
