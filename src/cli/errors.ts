/** The one place that turns a thrown error into an exit code and the words the user sees. */
import { EXIT, InterruptedError, isWeatherSecretsError, type ExitCode } from '../core/errors.js';

export interface RenderedError {
  exitCode: ExitCode;
  text: string;
  json: { code: string; message: string; hint?: string };
}

const BUG_HINT = 'This is a bug in weather-secrets. Please report it with the command you ran and this output (with --verbose).';

export function renderError(error: unknown, verbose: boolean): RenderedError {
  if (isWeatherSecretsError(error)) {
    const message = shortenLongWords(error.message);
    const hint = error.hint === undefined ? undefined : shortenLongWords(error.hint);
    const lines = [`error: ${message}`];
    if (hint) lines.push(`  ${hint}`);
    if (verbose) lines.push(stackChain(error));
    return { exitCode: error.exitCode, text: lines.join('\n'), json: { code: error.code, message, ...(hint !== undefined && { hint }) } };
  }
  if (isAbort(error)) {
    const interrupted = new InterruptedError();
    return { exitCode: EXIT.interrupted, text: interrupted.message, json: { code: interrupted.code, message: interrupted.message } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: EXIT.environment,
    text: [`error: unexpected failure: ${message}`, stackChain(error), BUG_HINT].join('\n'),
    json: { code: 'internal-error', message },
  };
}

const LONG_WORD = 200;

/** A 5,000-character name given by the user is echoed as its start, its end and its length. */
export function shortenLongWords(text: string): string {
  return text.replace(new RegExp(`\\S{${LONG_WORD + 1},}`, 'gu'), (word) => {
    const chars = [...word];
    return `${chars.slice(0, 60).join('')}…${chars.slice(-20).join('')} (${chars.length} characters)`;
  });
}

/** Stacks of the error and its causes. Only names, messages and frames: never whole objects. */
function stackChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    parts.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
    e = e instanceof Error ? e.cause : undefined;
    if (e) parts.push('caused by:');
  }
  return parts.join('\n');
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'InterruptedError');
}
