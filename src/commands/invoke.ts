/**
 * `weather-secrets invoke`: run the function locally through sam, deployed through the Lambda API, or
 * both side by side, and say why they differ. Returns data; src/cli/ prints it and sets the exit code.
 */
import { EnvironmentError, UsageError } from '../core/errors.js';
import type { InvokeDiagnosisCode } from '../invoke/classify.js';
import { runLocal, type LocalDeps } from '../invoke/local.js';
import { runRemote, type RemoteDeps } from '../invoke/remote.js';
import type { InvokeRun, RunOptions } from '../invoke/run.js';

export type { InvokeRun, RunOptions } from '../invoke/run.js';

export type InvokeModeOption = 'local' | 'remote' | 'compare';

export interface InvokeOptions extends Omit<RunOptions, 'eventText'> {
  mode: InvokeModeOption;
  /** The event as given (file or stdin); `{}` when none. Checked to be JSON before anything runs. */
  eventText: string;
}

export interface AccessExplanation {
  verdict: string;
  summary: string;
  fix?: string;
}

export interface InvokeDeps extends LocalDeps, RemoteDeps {
  /** check-policy's verdict for a deployed function, when that command is available. */
  explainAccess?: (functionName: string) => Promise<AccessExplanation | undefined>;
}

export type SingleInvokeResult = { command: 'invoke' } & InvokeRun;

export interface CompareInvokeResult {
  command: 'invoke';
  mode: 'compare';
  headline: string;
  local: InvokeRun;
  remote: InvokeRun;
  access?: AccessExplanation;
}

export type InvokeResult = SingleInvokeResult | CompareInvokeResult;

/** Causes that are about permissions: there check-policy can say which statement is missing. */
const PERMISSION_CAUSES: readonly InvokeDiagnosisCode[] = ['secret-access-denied', 'kms-access-denied'];

export async function invoke(options: InvokeOptions, deps: InvokeDeps): Promise<InvokeResult> {
  assertJsonEvent(options.eventText);
  if (options.mode === 'local') return { command: 'invoke', ...(await runLocal(options, deps)) };
  if (options.mode === 'remote') return { command: 'invoke', ...(await runRemote(options, deps)) };
  // Sequential on purpose: the local run streams sam's stderr, which would interleave with progress.
  const named = options.functionId === undefined ? {} : { name: options.functionId };
  const local = await settle('local', named, () => runLocal(options, deps));
  const remote = await settle('remote', named, () => runRemote(options, deps));
  const access = await explain(remote, deps);
  return { command: 'invoke', mode: 'compare', headline: headlineOf(local, remote), local, remote, ...(access && { access }) };
}

/** Validates the event before sam or Lambda sees it: bad JSON is a usage error, exit 2. */
/** Lambda's limit for a synchronous invoke's payload (the request body). */
export const MAX_EVENT_BYTES = 6 * 1024 * 1024;

export function assertJsonEvent(text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_EVENT_BYTES) {
    throw new UsageError(`The event is ${(bytes / 1024 / 1024).toFixed(1)} MB, over Lambda's 6 MB limit for a synchronous invoke.`, {
      code: 'event-too-large',
      hint: 'Pass a smaller event; larger data belongs in S3, with its key in the event.',
    });
  }
  if (text.includes('\u0000')) throw new UsageError('The event contains a NUL byte.', { code: 'event-not-json' });
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The event is not valid JSON: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`, {
      code: 'event-not-json',
      hint: 'Pass a JSON file with --event FILE (or - for stdin); without --event the event is {}.',
    });
  }
}

/** In --compare one side that cannot run (no Docker, not deployed) must not hide the other. */
async function settle(mode: 'local' | 'remote', fn: InvokeRun['function'], run: () => Promise<InvokeRun>): Promise<InvokeRun> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    return { mode, status: 'not-run', function: fn, error: { code: error.code, message: error.message, ...(error.hint && { hint: error.hint }) } };
  }
}

async function explain(remote: InvokeRun, deps: InvokeDeps): Promise<AccessExplanation | undefined> {
  const cause = remote.classification?.code;
  if (!deps.explainAccess || remote.status !== 'failed' || !cause || !PERMISSION_CAUSES.includes(cause) || !remote.function.name) return undefined;
  try {
    return await deps.explainAccess(remote.function.name);
  } catch (error) {
    // The verdict is extra help: an invoke result must not be lost because the check failed.
    deps.reporter.debug(`check-policy could not explain the denial: ${(error as Error).message}`);
    return undefined;
  }
}

/** Pure: the one line that says how the two runs differ. */
export function headlineOf(local: InvokeRun, remote: InvokeRun): string {
  const cause = (run: InvokeRun) => run.error?.message ?? run.classification?.summary ?? 'unknown cause';
  if (local.status === 'not-run' || remote.status === 'not-run') {
    const which = [local, remote].filter((r) => r.status === 'not-run').map((r) => `${r.mode === 'local' ? 'locally' : 'deployed'}: ${cause(r)}`);
    return `could not run ${which.join('; ')}`;
  }
  if (local.status === 'succeeded' && remote.status === 'succeeded') return 'works locally and deployed';
  if (local.status === 'succeeded') return `works locally, fails deployed: ${cause(remote)}`;
  if (remote.status === 'succeeded') return `fails locally, works deployed: ${cause(local)}`;
  const same = local.classification?.code === remote.classification?.code;
  return same ? `fails locally and deployed: ${cause(remote)}` : `fails locally (${cause(local)}) and deployed (${cause(remote)})`;
}

