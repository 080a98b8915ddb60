/**
 * The AWS SAM CLI behind one small module: one function per sam invocation, each around one child
 * process with an explicit cwd and timeout. Failures that mean "your machine lacks something" become
 * EnvironmentErrors here, with `{ cause }`, so callers never read sam's stderr themselves.
 *
 * `sam local invoke` exits 0 even when the function threw or timed out (aws-sam-cli issue 1081): the
 * caller reads the payload (src/invoke/payload.ts) and logs (src/invoke/logs.ts) to know how it went.
 */
import { EnvironmentError, InterruptedError, UsageError } from '../core/errors.js';
import { buildLocalInvokeArgv, type LocalInvokeArgs } from './args.js';
import { execaExec, type ExecFn, type ExecOutcome } from './exec.js';
import { TextTail } from '../core/text-tail.js';

export { buildLocalInvokeArgv, formatParameterOverride, type LocalInvokeArgs } from './args.js';
export { ExecFailure, type ExecFacts, type ExecFn, type ExecOutcome, type ExecRequest } from './exec.js';

/** How to reach sam. Tests inject `exec`; `command` can point at a specific binary (e.g. .venv/bin/sam). */
export interface SamDeps {
  command?: string;
  exec?: ExecFn;
}

export interface SamLocalInvokeOptions extends LocalInvokeArgs {
  cwd: string;
  /** Extra environment for sam, e.g. temporary credentials. The only way credentials reach sam. */
  env?: Record<string, string>;
  onStderr: (chunk: string) => void;
  /**
   * Masks secret values in everything sam's output leaves here through: the lines given to onStderr,
   * the returned stdout and stderr tail, and the hints of errors. Unmasked when absent.
   */
  redact?: (text: string) => string;
  signal?: AbortSignal;
  /** Image pulls can take minutes on a first run. Default 10 minutes. */
  timeoutMs?: number;
  /** Between SIGINT, SIGTERM and SIGKILL after an abort or timeout. Default 2 s. */
  killGraceMs?: number;
}

export interface SamLocalInvokeResult {
  exitCode: number;
  /** The function's result payload (sam prints only that on stdout). */
  stdout: string;
  /** The last lines of sam's stderr (container logs, REPORT line, sam's own errors). */
  stderrTail: string;
}

export const LOCAL_INVOKE_TIMEOUT_MS = 10 * 60_000;
// SIGINT, then SIGTERM after this, then SIGKILL after as long again: all well inside main.ts's 10 s backstop.
const KILL_GRACE_MS = 2_000;
const STDERR_TAIL_CHARS = 16_000;

export async function samLocalInvoke(options: SamLocalInvokeOptions, deps: SamDeps = {}): Promise<SamLocalInvokeResult> {
  assertCredentialsNotShadowed(options);
  const argv = buildLocalInvokeArgv(options);
  const redact = options.redact ?? ((text: string) => text);
  const tail = new TextTail(STDERR_TAIL_CHARS);
  const outcome = await (deps.exec ?? execaExec)(deps.command ?? 'sam', argv, {
    cwd: options.cwd,
    env: credentialEnv(options.env),
    timeoutMs: options.timeoutMs ?? LOCAL_INVOKE_TIMEOUT_MS,
    signal: options.signal,
    killGraceMs: options.killGraceMs ?? KILL_GRACE_MS,
    onStderrLine: (line) => {
      tail.push(line);
      options.onStderr(redact(line));
    },
  });
  // Masked as a whole, not line by line: a multi-line value is then masked too.
  const stderrTail = redact(tail.text());
  throwIfNotRun(outcome, stderrTail, options.timeoutMs ?? LOCAL_INVOKE_TIMEOUT_MS);
  const exitCode = outcome.exitCode ?? 1;
  if (exitCode !== 0) throwIfEnvironmentProblem(stderrTail, outcome);
  return { exitCode, stdout: redact(outcome.stdout), stderrTail };
}

export interface SamVersion {
  /** e.g. `1.170.0`; undefined when the output had no version in it. */
  version?: string;
  raw: string;
}

/** `sam --version`, for diagnostics ("SAM CLI, version 1.170.0"). */
export async function samVersion(cwd: string = process.cwd(), deps: SamDeps = {}): Promise<SamVersion> {
  const outcome = await (deps.exec ?? execaExec)(deps.command ?? 'sam', ['--version'], {
    cwd,
    env: {},
    timeoutMs: 30_000,
    killGraceMs: KILL_GRACE_MS,
  });
  throwIfNotRun(outcome, '', 30_000);
  const raw = outcome.stdout.trim();
  const version = /version\s+(\d+\.\d+\.\d+\S*)/i.exec(raw)?.[1];
  return version === undefined ? { raw } : { version, raw };
}

/** The ways sam can fail to run at all: not installed, interrupted, timed out. `stderrTail` is masked already. */
function throwIfNotRun(outcome: ExecOutcome, stderrTail: string, timeoutMs: number): void {
  if (outcome.spawnErrorCode === 'ENOENT') {
    throw new EnvironmentError('The AWS SAM CLI (`sam`) is not installed or not on PATH.', {
      code: 'sam-missing',
      hint: 'Install it: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html (or `pip install aws-sam-cli`, or `brew install aws-sam-cli`), then check with `sam --version`.',
      cause: outcome.failure,
    });
  }
  if (outcome.spawnErrorCode !== undefined) {
    throw new EnvironmentError(`Could not start \`sam\` (${outcome.spawnErrorCode}).`, {
      code: 'sam-not-runnable',
      hint: 'Check that the `sam` found on PATH is an executable file.',
      cause: outcome.failure,
    });
  }
  if (outcome.canceled) throw new InterruptedError('Interrupted: sam was stopped.');
  if (outcome.timedOut) {
    throw new EnvironmentError(`sam did not finish within ${Math.round(timeoutMs / 1000)} seconds and was stopped.`, {
      code: 'sam-timeout',
      hint: lastLine(stderrTail)
        ? `Its last words: ${lastLine(stderrTail)}`
        : 'A first run pulls the Lambda runtime image; try `sam local invoke` by hand to watch it.',
      cause: outcome.failure,
    });
  }
}

const NO_CONTAINER_RUNTIME = [
  // sam 1.14x+: "... requires a container runtime. Do you have Docker or Finch installed and running?",
  // or, with an admin preference, "... requires Docker. Do you have Docker installed and running?" / Finch.
  /Running AWS SAM projects locally requires (?:a container runtime|Docker|Finch)/,
  // Older sam: "Error: Running AWS SAM projects locally requires Docker. Have you got it installed and running?"
  /requires Docker\. Have you got it installed and running\?/,
  /Do you have Docker or Finch installed and running\?/,
];

function throwIfEnvironmentProblem(stderrTail: string, outcome: ExecOutcome): void {
  if (NO_CONTAINER_RUNTIME.some((pattern) => pattern.test(stderrTail))) {
    throw new EnvironmentError('sam local invoke needs a container runtime (Docker or Finch), and none is running.', {
      code: 'no-container-runtime',
      hint: 'Run the handler without a container: `weather-secrets invoke --runtime host` (Python and Node.js). Or start Docker (or Finch) and check with `docker ps`; or skip the local run and use `weather-secrets invoke --remote`.',
      cause: outcome.failure,
    });
  }
}

/** With credentials in `env`, a `--profile` would make sam ignore them (botocore drops env credentials). */
function assertCredentialsNotShadowed(options: SamLocalInvokeOptions): void {
  if (options.profile !== undefined && options.env?.AWS_ACCESS_KEY_ID !== undefined) {
    throw new UsageError('Temporary credentials and a profile were both given for sam local invoke.', {
      code: 'credentials-and-profile',
      hint: 'Pass one of them: the profile would make sam ignore the credentials.',
    });
  }
}

/** The caller's extra environment; when it carries credentials, inherited profile choices are removed. */
function credentialEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  if (extra.AWS_ACCESS_KEY_ID === undefined) return { ...extra };
  return { AWS_PROFILE: undefined, AWS_DEFAULT_PROFILE: undefined, AWS_SESSION_TOKEN: undefined, ...extra };
}

/** The last line sam printed before we stopped it (click's own "Aborted!" on SIGINT says nothing). */
function lastLine(text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.trim());
  return lines.filter((line) => line !== '' && line !== 'Aborted!').at(-1);
}

