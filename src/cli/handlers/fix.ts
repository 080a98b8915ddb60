import { readFile } from 'node:fs/promises';
import { EXIT, UsageError } from '../../core/errors.js';
import { fix, type FixOptions } from '../../commands/fix.js';
import { writeFileAtomic } from '../../fix/index.js';
import { decodeTemplate } from '../../template/load.js';
import { renderFix } from '../render/fix.js';
import type { Io } from '../io.js';
import type { Handler } from './types.js';

/** fix reads and writes one local file: no AWS client, no region, no credentials. */
export const handle: Handler = async (positional, options, io) => {
  const result = await fix(normaliseFixOptions(positional, options, io), {
    readFile: async (path) => {
      try {
        return decodeTemplate(await readFile(path), path);
      } catch (error) {
        throw new UsageError(`Cannot read template ${path}: ${(error as Error).message}`, { code: 'template-unreadable', cause: error });
      }
    },
    writeFile: writeFileAtomic,
    reporter: io.reporter,
  });
  return { result, exitCode: EXIT.ok, human: (style) => renderFix(result, style) };
};

/** Pure: commander's positional and options to FixOptions. */
export function normaliseFixOptions(positional: string[], options: Record<string, unknown>, io: Pick<Io, 'cwd' | 'env'>): FixOptions {
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    functionId: str(positional[0]),
    secretId: str(options.secretId),
    kmsKeyId: str(options.kmsKeyId),
    template: str(options.template),
    write: Boolean(options.write),
    cwd: io.cwd,
    envTemplateFile: str(io.env.SAM_TEMPLATE_FILE),
  };
}
