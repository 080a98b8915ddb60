/**
 * One host invocation as a child process (execa): the project's runtime shim (data/host-runtime/)
 * loads the handler and speaks a line protocol on file descriptor 3, while the handler's stdout and
 * stderr stream out as its log. The function's Timeout is enforced here, from the moment the shim says
 * the handler starts, by killing the process: a handler stuck in a busy loop cannot stop that.
 */
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, InterruptedError } from '../../core/errors.js';
import type { HostFunctionSpec } from './spec.js';

const SHIMS = {
  python: fileURLToPath(new URL('../../../data/host-runtime/lambda_shim.py', import.meta.url)),
  nodejs: fileURLToPath(new URL('../../../data/host-runtime/lambda-shim.mjs', import.meta.url)),
} as const;

/** Lambda gives a function's init phase 10 seconds. */
const INIT_LIMIT_MS = 10_000;

export interface HostProcessRequest {
  spec: HostFunctionSpec;
  command: string;
  env: Record<string, string>;
  eventText: string;
  /** Each log line (newline included) as it arrives, not yet masked. */
  onLog: (line: string) => void;
  /** Called once the shim has said which version runs the handler. */
  onRuntime?: (version: string) => void;
  signal?: AbortSignal;
}

export interface HostProcessOutcome {
  requestId: string;
  /** The result payload, or Lambda's error object, as JSON text; '' when the run timed out. */
  payloadText: string;
  failed: boolean;
  timedOut: boolean;
  runtimeVersion?: string;
  missingModule?: string;
  durationMs?: number;
  initDurationMs?: number;
  maxMemoryMb?: number;
}

interface ShimMessage {
  type: 'runtime' | 'start' | 'result' | 'error' | 'missing-module';
  version?: string;
  module?: string;
  payload?: string;
  error?: unknown;
  durationMs?: number;
  maxMemoryMb?: number;
}

export async function runHostProcess(request: HostProcessRequest): Promise<HostProcessOutcome> {
  const { spec } = request;
  const requestId = randomUUID();
  const args = [...(spec.language === 'python' ? ['-B', '-u'] : []), SHIMS[spec.language], spec.codeDir, spec.handler, requestId, String(spec.timeoutSeconds * 1000)];
  const spawnedAt = performance.now();
  request.onLog(`START RequestId: ${requestId} Version: $LATEST\n`);
  const child = execa(request.command, args, {
    cwd: spec.codeDir,
    env: request.env,
    extendEnv: false,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
    cancelSignal: request.signal,
    killSignal: 'SIGKILL',
  });
  const state: { messages: ShimMessage[]; startedAt?: number; timedOut: boolean } = { messages: [], timedOut: false };
  const kill = (why: 'timeout') => {
    state.timedOut = why === 'timeout';
    child.kill('SIGKILL');
  };
  let timer = setTimeout(() => kill('timeout'), INIT_LIMIT_MS + spec.timeoutSeconds * 1000);
  const onMessage = (message: ShimMessage) => {
    state.messages.push(message);
    if (message.type === 'runtime' && message.version) request.onRuntime?.(message.version);
    if (message.type !== 'start') return;
    state.startedAt = performance.now();
    clearTimeout(timer);
    timer = setTimeout(() => kill('timeout'), spec.timeoutSeconds * 1000);
  };
  const streams = [lines(child.stdout, request.onLog), lines(child.stderr, request.onLog), lines(child.stdio[3] as Readable, (line) => parseMessage(line, onMessage))];
  child.stdin?.end(request.eventText);
  const result = await child;
  clearTimeout(timer);
  await Promise.all(streams);
  if (result.isCanceled) throw new InterruptedError('Interrupted: the handler was stopped.');
  if (result.failed && result.exitCode === undefined && result.signal === undefined) {
    throw new EnvironmentError(`Could not start ${request.command} (${result.code ?? 'unknown error'}).`, {
      code: 'host-runtime-not-runnable',
      hint: 'Check that the interpreter exists and is executable.',
    });
  }
  return outcome(requestId, state, spawnedAt, request, result.exitCode);
}

function outcome(requestId: string, state: { messages: ShimMessage[]; startedAt?: number; timedOut: boolean }, spawnedAt: number, request: HostProcessRequest, exitCode: number | undefined): HostProcessOutcome {
  const { spec } = request;
  const find = (type: ShimMessage['type']) => state.messages.find((m) => m.type === type);
  const final = find('result') ?? find('error');
  const initDurationMs = state.startedAt === undefined ? undefined : state.startedAt - spawnedAt;
  const base = {
    requestId,
    ...(find('runtime')?.version && { runtimeVersion: find('runtime')!.version }),
    ...(find('missing-module')?.module && { missingModule: find('missing-module')!.module }),
    ...(initDurationMs !== undefined && { initDurationMs }),
  };
  if (state.timedOut || !final) {
    const seconds = spec.timeoutSeconds.toFixed(2);
    request.onLog(state.timedOut ? `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds\n` : `The runtime exited without a result (exit code ${exitCode ?? 'unknown'}).\n`);
    request.onLog(`END RequestId: ${requestId}\n`);
    const payloadText = state.timedOut ? '' : JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${exitCode ?? 'unknown'}` });
    return { ...base, payloadText, failed: true, timedOut: state.timedOut };
  }
  const durationMs = final.durationMs ?? 0;
  request.onLog(`END RequestId: ${requestId}\n`);
  request.onLog(reportLine(requestId, durationMs, spec.memoryMb, final.maxMemoryMb, initDurationMs));
  const payloadText = final.type === 'result' ? (final.payload ?? 'null') : JSON.stringify(final.error);
  return { ...base, payloadText, failed: final.type === 'error', timedOut: false, durationMs, ...(final.maxMemoryMb != null && { maxMemoryMb: final.maxMemoryMb }) };
}

/** Lambda's REPORT line, so the log reads (and parses, src/invoke/logs.ts) like a deployed one. */
export function reportLine(requestId: string, durationMs: number, memoryMb: number, maxMemoryMb?: number, initDurationMs?: number): string {
  const parts = [`REPORT RequestId: ${requestId}`, `Duration: ${durationMs.toFixed(2)} ms`, `Billed Duration: ${Math.ceil(durationMs)} ms`, `Memory Size: ${memoryMb} MB`];
  if (maxMemoryMb != null) parts.push(`Max Memory Used: ${maxMemoryMb} MB`);
  if (initDurationMs !== undefined) parts.push(`Init Duration: ${initDurationMs.toFixed(2)} ms`);
  return `${parts.join('\t')}\t\n`;
}

function parseMessage(line: string, onMessage: (message: ShimMessage) => void): void {
  try {
    onMessage(JSON.parse(line) as ShimMessage);
  } catch {
    // Not from the shim (a handler that wrote to fd 3 itself): ignored rather than trusted.
  }
}

function lines(stream: Readable | null | undefined, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    reader.on('line', (line) => onLine(`${line}\n`));
    reader.on('close', resolve);
  });
}
