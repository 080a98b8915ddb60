/**
 * Reads samconfig the way the SAM CLI does: samconfig.toml, then .yaml, then .yml in one folder;
 * `version` required; tables `[ENV.COMMAND.parameters]` with `[ENV.global.parameters]` under them.
 */
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { UsageError } from '../core/errors.js';

export const SAMCONFIG_FILES = ['samconfig.toml', 'samconfig.yaml', 'samconfig.yml'] as const;

export type SamconfigValue = string | number | boolean | string[] | Record<string, unknown>;
export type SamconfigParameters = Record<string, SamconfigValue>;

export interface Samconfig {
  path: string;
  /** env name -> command key (`deploy`, `local_invoke`, `global`, ...) -> parameters */
  envs: Record<string, Record<string, SamconfigParameters>>;
}

/**
 * The samconfig sam reads: `configFile` (`--config-file`; relative to `dir`, as sam resolves it), else the
 * first of samconfig.toml/.yaml/.yml in `dir`. undefined when there is none; a named file that is missing
 * is a usage error, as in sam.
 */
export async function loadSamconfig(dir: string, configFile?: string): Promise<Samconfig | undefined> {
  const names = configFile ? [configFile] : SAMCONFIG_FILES;
  for (const name of names) {
    const path = isAbsolute(name) ? name : join(dir, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !configFile) continue;
      if (code === 'ENOENT' || code === 'EISDIR') {
        throw new UsageError(`Config file ${configFile} does not exist (looked for ${path}).`, { code: 'samconfig-not-found', hint: 'A relative --config-file is read from the template\'s folder, as sam does.' });
      }
      throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`, { code: 'samconfig-unreadable', cause: error });
    }
    return parseSamconfig(path, text, /\.toml$/i.test(path) ? 'toml' : 'yaml');
  }
  return undefined;
}

export async function parseSamconfig(path: string, text: string, format: 'toml' | 'yaml'): Promise<Samconfig> {
  let doc: unknown;
  try {
    doc = format === 'toml' ? (await import('smol-toml')).parse(text) : (await import('yaml')).parse(text);
  } catch (error) {
    // Both parsers put a multi-line code frame in the message: one line, with the position, is enough.
    const e = error as { message?: string; line?: number; column?: number; linePos?: Array<{ line: number; col: number }> };
    const line = e.line ?? e.linePos?.[0]?.line;
    const col = e.column ?? e.linePos?.[0]?.col;
    const where = line === undefined ? '' : ` (line ${line}${col === undefined ? '' : `, column ${col}`})`;
    const reason = (e.message ?? '').split('\n')[0]!.replace(/\s*at line \d+.*$/i, '').slice(0, 200);
    throw new UsageError(`${path} is not valid ${format.toUpperCase()}${where}: ${reason}`, {
      code: 'samconfig-malformed',
      hint: 'Fix the file, or pass --region/--profile so it is not needed.',
      cause: error,
    });
  }
  if (!isRecord(doc)) {
    throw new UsageError(`${path} must hold a table of environments.`, { code: 'samconfig-malformed' });
  }
  // SAM CLI refuses a samconfig without a numeric `version` (samcli/lib/config/samconfig.py sanity_check).
  if (typeof doc.version !== 'number') {
    throw new UsageError(`${path} has no ${doc.version === undefined ? '' : 'numeric '}version; SAM CLI requires \`version = 0.1\` at the top.`, {
      code: 'samconfig-malformed',
      hint: 'Add `version = 0.1` as the first line (samconfig.yaml: `version: 0.1`).',
    });
  }
  const envs: Samconfig['envs'] = {};
  for (const [envName, commands] of Object.entries(doc)) {
    if (envName === 'version' || !isRecord(commands)) continue;
    envs[envName] = {};
    for (const [command, table] of Object.entries(commands)) {
      const parameters = isRecord(table) ? table.parameters : undefined;
      if (isRecord(parameters)) envs[envName]![command] = parameters as SamconfigParameters;
    }
  }
  return { path, envs };
}

/**
 * The parameters in force for `commands` (highest priority first, e.g. ['local_invoke', 'deploy']) in
 * environment `env`: `global` overlaid by each command's own table, the first command winning.
 */
export function samconfigParameters(config: Samconfig | undefined, env: string, commands: readonly string[]): {
  parameters: SamconfigParameters;
  origin: Record<string, string>;
} {
  const parameters: SamconfigParameters = {};
  const origin: Record<string, string> = {};
  const tables = config?.envs[env];
  if (!config || !tables) return { parameters, origin };
  for (const command of ['global', ...[...commands].reverse()]) {
    for (const [key, value] of Object.entries(tables[command] ?? {})) {
      parameters[key] = value;
      origin[key] = `${basename(config.path)} [${env}.${command}.parameters]`;
    }
  }
  return { parameters, origin };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
