import { readFile } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import { fix, type FixOptions } from '../../commands/fix.js';
import { writeFileAtomic } from '../../fix/index.js';
import { decodeTemplate } from '../../template/load.js';
import { renderFix } from '../render/fix.js';
import { resolveSamSettings } from '../../config/resolve.js';
import { locateTemplate } from '../../target/template.js';
import type { Handler } from './types.js';

/** fix reads and writes one local file: no AWS client, no region, no credentials. */
export const handle: Handler = async (positional, options, io) => {
  const fixOptions = normaliseFixOptions(positional, options);
  // The source template, and samconfig as sam finds it: fix judges what the user edits.
  const template = locateTemplate({ cwd: io.cwd, explicit: fixOptions.template, envTemplateFile: io.env.SAM_TEMPLATE_FILE || undefined, purpose: 'judge' });
  const settings = await resolveSamSettings({
    options: { configEnv: io.flags.configEnv, configFile: io.flags.configFile, parameterOverrides: io.flags.parameterOverrides },
    cwd: io.cwd,
    samconfigDir: template.samconfigDir,
    samCommands: ['deploy'],
  });
  if (template.buildNote) io.reporter.warn(template.buildNote.message);
  const result = await fix({ ...fixOptions, template, parameterOverrides: settings.parameterOverrides.values }, {
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
  return { result, human: (style) => renderFix(result, style) };
};

export type FixFlags = Omit<FixOptions, 'template' | 'parameterOverrides'> & { template?: string };

/** Pure: commander's positional and options to the fix flags. */
export function normaliseFixOptions(positional: string[], options: Record<string, unknown>): FixFlags {
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    functionId: str(positional[0]),
    secretId: str(options.secretId),
    kmsKeyId: str(options.kmsKeyId),
    template: str(options.template),
    write: Boolean(options.write),
  };
}
