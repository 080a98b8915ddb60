/**
 * Reads the secret value from where a careful user puts it: an environment variable, a pipe, or a
 * hidden prompt. Never from argv. The value is returned, never echoed or logged.
 */
import { InterruptedError, UsageError } from '../core/errors.js';

export interface SecretSource {
  fromEnv?: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
  prompt: string;
}

export async function readSecretValue(source: SecretSource): Promise<string> {
  if (source.fromEnv !== undefined) {
    const value = source.env[source.fromEnv];
    if (value === undefined) {
      throw new UsageError(`The environment variable ${source.fromEnv} (--from-env) is not set.`, { code: 'from-env-unset' });
    }
    return value;
  }
  if (source.stdin.isTTY) return promptHidden(source.stdin, source.stderr, source.prompt);
  return stripOneNewline(await readAll(source.stdin));
}

/** `echo KEY |` adds one newline; a key never ends in one. Only one is stripped, deliberately. */
export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return decodeStrictUtf8(Buffer.concat(chunks));
}

/** Bytes that are not UTF-8 would be stored as U+FFFD, silently altered: refuse them instead. */
export function decodeStrictUtf8(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError('The value on stdin is not valid UTF-8; nothing was stored.', {
      code: 'value-not-utf8',
      hint: 'Pipe the key as text, e.g. `printf %s "$KEY" | weather-secrets put`.',
    });
  }
  if (text.includes('\u0000')) throw new UsageError('The value on stdin contains a NUL byte; nothing was stored.', { code: 'value-control-character' });
  return text;
}

/**
 * Terminal escape sequences: CSI (`ESC [ ... final`, arrow keys, bracketed paste), SS3 (`ESC O x`,
 * arrows in application mode) and two-character `ESC x`. Pure; the length to skip from `at`.
 */
export function escapeSequenceLength(text: readonly string[], at: number): number {
  const next = text[at + 1];
  if (next === '[') {
    for (let i = at + 2; i < text.length; i++) if (/[@-~]/.test(text[i]!)) return i - at + 1;
    return text.length - at;
  }
  if (next === 'O') return Math.min(3, text.length - at);
  return next === undefined ? 1 : 2;
}

/** One chunk of raw keyboard input applied to the value typed so far. Pure, for table tests. */
export function applyKeys(value: string, chunk: string): { value: string; done?: 'enter' | 'interrupt' | 'control'; control?: string } {
  const chars = [...chunk];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\r' || char === '\n' || char === '\u0004') return { value, done: 'enter' };
    if (char === '\u0003') return { value, done: 'interrupt' };
    if (char === '\u001b') {
      // Arrow keys and the like do nothing here: there is no cursor to move in a hidden field.
      i += escapeSequenceLength(chars, i) - 1;
      continue;
    }
    if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
    else if (char < ' ' || (char >= '\u0080' && char <= '\u009f')) return { value, done: 'control', control: char };
    else value += char;
  }
  return { value };
}

/**
 * A hidden prompt by hand: node:readline has no "don't echo" mode, and a dependency for these few
 * lines would be more to audit than to write. Raw mode, no echo; Enter ends, Backspace edits, Ctrl-C aborts.
 */
function promptHidden(stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      const step = applyKeys(value, chunk);
      value = step.value;
      if (step.done === 'enter') finish();
      else if (step.done === 'interrupt') finish(new InterruptedError());
      else if (step.done === 'control') {
        const code = step.control!.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase();
        finish(new UsageError(`A control character (U+${code}) was typed at the prompt; nothing was stored.`, { code: 'value-control-character' }));
      }
    };
    stdin.on('data', onData);
  });
}
