/**
 * `invoke --env-vars FILE` (or samconfig `env_vars`), read as `sam local invoke --env-vars` reads it, and
 * the values a local run's function sees, in sam's order (samcli/commands/local/lib/local_lambda.py
 * `_make_env_vars`, samcli/local/lambdafn/env_vars.py `resolve`), for the variables the template
 * declares and only those:
 *   1. the file's section for the function (its logical ID, else its FunctionName),
 *   2. the file's "Parameters" section (every function),
 *   3. the developer's shell, for a variable of the same name,
 *   4. the template's value (with the deployed stack's values where the template has intrinsics).
 * Values are stringified as sam does: true/false in lower case, lists, objects and null as "".
 * The file may hold secrets: its values are never printed, and reach sam only through the private
 * env-vars file of the run. Pure, but for reading the file.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';

const SHAPE = 'Its shape is {"Parameters": {"VAR": "value"}, "FunctionLogicalId": {"VAR": "value"}}, as for sam local invoke --env-vars.';

export interface EnvVarsFile {
  path: string;
  sections: Record<string, Record<string, unknown>>;
}

/** `display` is the path as the user gave it, for messages. */
export async function readEnvVarsFile(path: string, display: string = path): Promise<EnvVarsFile> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read the --env-vars file ${display}: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a folder' : error.message}.`, { code: 'env-vars-unreadable', cause: error });
  });
  return parseEnvVarsFile(text, display);
}

export function parseEnvVarsFile(text: string, path: string): EnvVarsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // The parser's message quotes the text it choked on, which may be a secret: say where, not what,
    // and keep it out of the cause too (--verbose prints causes).
    throw new UsageError(`The --env-vars file ${path} is not valid JSON.`, { code: 'env-vars-invalid', hint: SHAPE });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`The --env-vars file ${path} must hold a JSON object.`, { code: 'env-vars-invalid', hint: SHAPE });
  }
  const sections: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    // As sam: every top-level value must be an object of variables.
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new UsageError(`The --env-vars file ${path}: "${key.slice(0, 100)}" must be an object of variables.`, { code: 'env-vars-invalid', hint: SHAPE });
    }
    sections[key] = value as Record<string, unknown>;
  }
  return { path, sections };
}

/** sam's `_stringify_value`. */
export function samStringify(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'object') return '';
  if (value === true) return 'true';
  if (value === false) return 'false';
  return String(value);
}

export interface LocalVariableSources {
  /** The template's declared variables with their values (template or deployed). */
  declared: Record<string, string>;
  /** The function's logical ID and, when literal, its FunctionName. */
  ids: string[];
  shell: NodeJS.ProcessEnv;
  file?: EnvVarsFile;
}

export interface LocalVariables {
  /** What the function sees for each declared variable. */
  values: Record<string, string>;
  /** The declared variables the file sets (names only: for the report). */
  fromFile: string[];
  /** The declared variables the shell sets. */
  fromShell: string[];
}

export function resolveLocalVariables(input: LocalVariableSources): LocalVariables {
  const fileValues: Record<string, unknown> = { ...(input.file?.sections.Parameters ?? {}) };
  const own = input.ids.map((id) => input.file?.sections[id]).find((section) => section !== undefined && Object.keys(section).length > 0);
  Object.assign(fileValues, own ?? {});
  const values: Record<string, string> = {};
  const fromFile: string[] = [];
  const fromShell: string[] = [];
  for (const [name, templateValue] of Object.entries(input.declared)) {
    if (Object.hasOwn(fileValues, name)) {
      values[name] = samStringify(fileValues[name]);
      fromFile.push(name);
    } else if (input.shell[name] !== undefined) {
      values[name] = input.shell[name]!;
      fromShell.push(name);
    } else {
      values[name] = templateValue;
    }
  }
  return { values, fromFile, fromShell };
}
