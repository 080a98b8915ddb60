import { UsageError } from '../../core/errors.js';
import { put, type PutOptions } from '../../commands/put.js';
import { createSecretsStore } from '../../aws/secrets-manager.js';
import { verifyOpenWeatherKey } from '../../openweather/verify.js';
import { DEFAULT_KEY, DEFAULT_SECRET_ID } from '../../secrets/document.js';
import { readSecretValue } from '../secret-input.js';
import { renderPut } from '../render/put.js';
import { resolveForCommand } from './context.js';
import type { Handler } from './types.js';

export const handle: Handler = async (_positional, options, io) => {
  if (options.value !== undefined) {
    throw new UsageError('put does not take the value on the command line (--value): it would be kept in your shell history and shown in the process list.', {
      code: 'value-on-command-line',
      hint: 'Pipe it (`printf %s "$KEY" | weather-secrets put`), type it at the hidden prompt, or use --from-env VAR.',
    });
  }
  const putOptions = normalisePutOptions(options);
  const value = await readSecretValue({
    fromEnv: options.fromEnv as string | undefined,
    env: io.env,
    stdin: io.stdin,
    stderr: io.stderr,
    prompt: `Value for ${putOptions.key} in ${putOptions.secretId} (input hidden): `,
  });
  const { aws } = await resolveForCommand(io, { samCommands: ['deploy'] });
  const store = await createSecretsStore(aws);
  const result = await put(putOptions, value, {
    store,
    reporter: io.reporter,
    signal: io.signal,
    verifyKey: (key) => verifyOpenWeatherKey(key, { baseUrl: io.env.OPENWEATHER_BASE_URL }),
  });
  return { result, human: (style) => renderPut(result, style) };
};

/** Pure: commander's options to PutOptions. */
export function normalisePutOptions(options: Record<string, unknown>): PutOptions {
  return {
    secretId: (options.secretId as string | undefined) ?? DEFAULT_SECRET_ID,
    key: (options.key as string | undefined) ?? DEFAULT_KEY,
    description: options.description as string | undefined,
    kmsKeyId: options.kmsKeyId as string | undefined,
    tags: ((options.tag as string[] | undefined) ?? []).map(parseTag),
    replace: Boolean(options.replace),
    restore: Boolean(options.restore),
    dryRun: Boolean(options.dryRun),
    verify: Boolean(options.verify),
  };
}

export function parseTag(text: string): { Key: string; Value: string } {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--tag "${text}" must look like key=value.`, { code: 'invalid-tag' });
  return { Key: text.slice(0, at), Value: text.slice(at + 1) };
}
