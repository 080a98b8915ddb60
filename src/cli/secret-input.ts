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
  return Buffer.concat(chunks).toString('utf8');
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
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new InterruptedError());
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
  });
}
