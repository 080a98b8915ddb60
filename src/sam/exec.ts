/**
 * The one seam between the sam adapter and child processes: run a command once and report how it ended.
 * Production uses {@link execaExec}; tests pass their own to simulate outcomes (a missing binary, a
 * timeout) without touching PATH.
 */
import { execa } from 'execa';

export interface ExecRequest {
  cwd: string;
  /** Added to (and overriding) the parent's environment; `undefined` removes a variable. */
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** Aborting it sends SIGINT, then SIGTERM after `killGraceMs`, then SIGKILL after as long again. */
  signal?: AbortSignal;
  killGraceMs: number;
  /** Called with each line of stderr (newline included) as it arrives. */
  onStderrLine?: (line: string) => void;
}

export interface ExecOutcome {
  /** Undefined when the process never started or was ended by a signal. */
  exitCode?: number;
  stdout: string;
  timedOut: boolean;
  /** Ended because `signal` was aborted. */
  canceled: boolean;
  /** The spawn error's code (`ENOENT`, `EACCES`) when the command could not be started. */
  spawnErrorCode?: string;
  /** How it failed, kept for `{ cause }`: facts only, see {@link ExecFailure}. */
  failure?: ExecFailure;
}

export interface ExecFacts {
  command: string;
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  canceled: boolean;
  spawnErrorCode?: string;
}

/**
 * Why a child process failed, as facts that hold no output. Never execa's result or error in its place:
 * their messages quote the command's stdout and stderr, where a function may have printed a secret, and
 * `--verbose` prints every cause's message and stack.
 */
export class ExecFailure extends Error {
  override readonly name = 'ExecFailure';
  constructor(readonly facts: ExecFacts) {
    super(describeFacts(facts));
  }
}

function describeFacts({ command, exitCode, signal, timedOut, canceled, spawnErrorCode }: ExecFacts): string {
  if (spawnErrorCode !== undefined) return `${command} could not be started (${spawnErrorCode})`;
  const why = timedOut ? ' after it timed out' : canceled ? ' after it was canceled' : '';
  if (signal !== undefined) return `${command} was ended by ${signal}${why}`;
  return `${command} exited with code ${exitCode ?? 'unknown'}${why}`;
}

export type ExecFn = (command: string, args: readonly string[], request: ExecRequest) => Promise<ExecOutcome>;

export const execaExec: ExecFn = async (command, args, request) => {
  const onLine = request.onStderrLine;
  const subprocess = execa(command, args, {
    cwd: request.cwd,
    env: request.env,
    extendEnv: true,
    stdin: 'ignore',
    // Stopping is ours (see stopEscalating): execa's own would go straight from SIGINT to SIGKILL.
    forceKillAfterDelay: false,
    // Stream stderr line by line to the caller. The transform yields nothing, so execa still drains
    // the pipe but keeps none of it: a long container log does not pile up in memory.
    stderr: onLine ? [{ transform: forwardLine(onLine), preserveNewlines: true }] : 'ignore',
    reject: false,
  });
  let timedOut = false;
  let canceled = false;
  const stop = stopEscalating(subprocess, request.killGraceMs);
  const timer = setTimeout(() => ((timedOut = true), stop.start()), request.timeoutMs);
  const onAbort = () => ((canceled = true), stop.start());
  if (request.signal?.aborted) onAbort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const result = await subprocess;
  clearTimeout(timer);
  stop.cancel();
  request.signal?.removeEventListener('abort', onAbort);
  return outcomeOf(command, result, timedOut, canceled);
};

/**
 * SIGINT first: it is what Ctrl-C sends, and sam (click) then stops the function's container before
 * exiting. SIGTERM if it has not gone after the grace period, SIGKILL after as long again.
 */
function stopEscalating(subprocess: { kill(signal: NodeJS.Signals): boolean }, graceMs: number) {
  const timers: NodeJS.Timeout[] = [];
  let started = false;
  return {
    start() {
      if (started) return;
      started = true;
      subprocess.kill('SIGINT');
      timers.push(setTimeout(() => subprocess.kill('SIGTERM'), graceMs));
      timers.push(setTimeout(() => subprocess.kill('SIGKILL'), 2 * graceMs));
    },
    cancel: () => timers.forEach(clearTimeout),
  };
}

function outcomeOf(command: string, result: Awaited<ReturnType<typeof execa>>, timedOut: boolean, canceled: boolean): ExecOutcome {
  const started = result.exitCode !== undefined || result.signal !== undefined;
  const spawnErrorCode = result.failed && !started ? result.code : undefined;
  const facts: ExecFacts = {
    command,
    ...(result.exitCode !== undefined && { exitCode: result.exitCode }),
    ...(result.signal !== undefined && { signal: result.signal }),
    timedOut,
    canceled,
    ...(spawnErrorCode !== undefined && { spawnErrorCode }),
  };
  return {
    exitCode: result.exitCode,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    timedOut,
    canceled,
    spawnErrorCode,
    failure: result.failed ? new ExecFailure(facts) : undefined,
  };
};

function forwardLine(onLine: (line: string) => void) {
  // eslint-disable-next-line require-yield -- consumes lines on purpose
  return function* (line: unknown): Generator<never> {
    onLine(String(line));
  };
}
