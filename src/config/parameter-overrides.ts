/**
 * parameter_overrides exactly as the SAM CLI reads them (samcli/cli/types.py CfnParameterOverridesType,
 * SAM CLI 1.170): strings in the `Key=Value` or `ParameterKey=K,ParameterValue=V` forms, lists (flattened),
 * maps (YAML/TOML tables; null unsets to "", lists join with commas, `$include` nests), and `file://PATH`
 * references to .toml/.yaml/.yml files, resolved against the including file's folder.
 *
 * Written by hand because no library implements SAM's format: the two regular expressions below are
 * SAM's own patterns, transcribed, and test/config/parameter-overrides.test.ts checks them against the
 * real SAM CLI's parser on the same inputs.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../core/errors.js';

/** SAM's key pattern: letters, digits and quotes. */
const KEY = `([A-Za-z0-9"']+)`;
/** SAM's value pattern with a space delimiter: a double- or single-quoted string, or a run of non-spaces with `\x` escapes. */
// SAM writes `[^"\\]+` inside the repetition; one character at a time matches the same strings without
// the nested quantifier that backtracks exponentially on an unterminated quote.
const VALUE = `("(?:\\\\.|[^"\\\\])*"|'(?:\\\\.|[^'\\\\])*'|(?:\\\\.|[^ "\\\\])+)`;
const LONG_FORM = new RegExp(`(?:ParameterKey=${KEY},ParameterValue=${VALUE})`, 'g');
const SHORT_FORM = new RegExp(`(?: )${KEY}=${VALUE}`, 'g');

export interface OverrideReader {
  /** The parsed content of a .toml/.yaml/.yml file. */
  readData(path: string): unknown;
  isFile(path: string): boolean;
}

export interface ParsedOverrides {
  values: Record<string, string>;
  /** Files read through `file://`, in order. */
  files: string[];
}

/**
 * `value` as samconfig or `--parameter-overrides` holds it. `baseDir` resolves a top-level relative
 * `file://` (SAM resolves it against the working folder). Bad input is a usage error, as in SAM.
 */
export function parseParameterOverrides(value: unknown, baseDir: string = process.cwd(), reader: OverrideReader = fileReader): ParsedOverrides {
  const files: string[] = [];
  const values = convert(value, { baseDir, reader, files, seen: new Set() });
  return { values, files };
}

interface ConvertState {
  baseDir: string;
  reader: OverrideReader;
  files: string[];
  seen: Set<string>;
}

function convert(value: unknown, state: ConvertState): Record<string, string> {
  if (value === undefined || value === null || value === '' || (isRecord(value) && Object.keys(value).length === 0)) return {};
  const parameters: Record<string, string> = {};
  for (const item of flatten([value])) {
    if (typeof item === 'string') Object.assign(parameters, item.startsWith('file://') ? fromFile(item, state) : fromString(item));
    else if (isRecord(item)) Object.assign(parameters, fromMap(item, state));
    else if (item === null || item === undefined) continue;
    else throw invalid(`${String(item)} is not a parameter override SAM accepts`);
  }
  return Object.fromEntries(Object.entries(parameters).map(([k, v]) => [unquote(k), unquote(v)]));
}

function fromString(text: string): Record<string, string> {
  const normalised = ` ${text.trim()}`;
  for (const pattern of [LONG_FORM, SHORT_FORM]) {
    const pairs = [...normalised.matchAll(pattern)].map((m) => [m[1]!, m[2]!] as const);
    if (pairs.length > 0) return Object.fromEntries(pairs);
  }
  throw invalid(`"${clip(text)}" is not a valid parameter override; write Key=Value, ParameterKey=K,ParameterValue=V, or file://params.yaml`);
}

function fromMap(map: Record<string, unknown>, state: ConvertState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(map)) {
    if (v === null || v === undefined) out[key] = '';
    else if (key === '$include') {
      if (typeof v !== 'string' && !Array.isArray(v)) throw invalid(`$include must be a string or a list of strings`);
      Object.assign(out, convert(v, state));
    } else if (Array.isArray(v)) out[key] = v.filter((x) => x !== null && x !== '').map((x) => pythonString(x).trim()).join(',');
    else out[key] = pythonString(v);
  }
  return out;
}

function fromFile(reference: string, state: ConvertState): Record<string, string> {
  const given = reference.slice('file://'.length);
  const path = resolve(isAbsolute(given) ? given : resolve(state.baseDir, given));
  if (!state.reader.isFile(path)) throw invalid(`${reference} was not found or is a directory`);
  if (!['.toml', '.yaml', '.yml'].includes(extname(path))) throw invalid(`${reference} uses an unsupported extension (SAM reads .toml, .yaml and .yml)`);
  if (state.seen.has(path)) throw invalid(`infinite recursion in file references: ${path}`);
  state.seen.add(path);
  state.files.push(path);
  try {
    return convert(state.reader.readData(path), { ...state, baseDir: dirname(path) });
  } finally {
    state.seen.delete(path);
  }
}

function flatten(items: unknown[]): unknown[] {
  return items.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}

/** SAM strips one pair of wrapping quotes, then unescapes `\ `, `\"` and `\'`. */
function unquote(value: string): string {
  let v = value;
  if (v.length > 0 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'")) v = v.slice(1, -1);
  return v.replaceAll('\\ ', ' ').replaceAll('\\"', '"').replaceAll("\\'", "'");
}

/** Python's str() of a YAML/TOML scalar, as SAM applies it: booleans are True/False. */
function pythonString(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return value.toFixed(0);
  return String(value);
}

function invalid(message: string): UsageError {
  return new UsageError(`parameter_overrides: ${message}.`, { code: 'parameter-overrides-invalid' });
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const fileReader: OverrideReader = {
  isFile: (path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  readData: (path) => {
    const text = readFileSync(path, 'utf8');
    try {
      return extname(path) === '.toml' ? parseToml(text) : parseYaml(text);
    } catch (error) {
      throw new UsageError(`parameter_overrides: ${path} is not valid ${extname(path).slice(1).toUpperCase()}: ${firstLine((error as Error).message)}`, { code: 'parameter-overrides-invalid', cause: error });
    }
  },
};

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
