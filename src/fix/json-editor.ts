/**
 * Applies planned edits to a JSON template: the parsed object is edited and written back with the
 * file's own indentation. Where the file is not laid out the way JSON.stringify would lay it out, a
 * corrected string is swapped in place, or only the changed hunks are carried over, so hand-formatted
 * lines stay; the whole file re-indented is the last resort.
 */
import type { PathSegment } from '../template/index.js';
import { isRecord } from '../template/load.js';
import { carryOver } from './diff.js';
import type { Edit } from './plan.js';
import { subString } from './values.js';

type Json = Record<string, unknown> | unknown[];

export function applyJsonEdits(file: string, edits: Edit[]): string {
  // A byte-order mark is kept as it was, but JSON.parse refuses it: edit the text after it.
  const bom = file.startsWith('\uFEFF') ? '\uFEFF' : '';
  return bom + applyToJson(file.slice(bom.length), edits);
}

function applyToJson(text: string, edits: Edit[]): string {
  const indent = detectIndent(text);
  const newline = text.endsWith('\n') ? '\n' : '';
  const serialise = (value: unknown) => JSON.stringify(value, null, indent) + newline;
  const reserialise = (candidate: string) => serialise(JSON.parse(candidate));
  const body = JSON.parse(text) as Record<string, unknown>;
  const baseline = serialise(body);
  let swapped: string | undefined = text;
  for (const edit of edits) {
    const parent = containerAt(body, edit.path.slice(0, -1));
    const key = edit.path[edit.path.length - 1]!;
    const current = get(parent, key);
    if (edit.op === 'replace') swapped = swapped === undefined ? undefined : swapString(swapped, current, edit.value);
    else swapped = undefined;
    if (edit.op === 'append') put(parent, key, Array.isArray(current) ? [...current, edit.value] : current == null ? [edit.value] : [current, edit.value]);
    else put(parent, key, edit.value);
  }
  const edited = serialise(body);
  if (swapped !== undefined && reserialise(swapped) === edited) return swapped;
  return carryOver(text, baseline, edited, reserialise) ?? edited;
}

/** `"…:secret:name"` → `"…:secret:name-??????"` in place, when the old string occurs exactly once. */
function swapString(text: string, current: unknown, value: unknown): string | undefined {
  const before = typeof current === 'string' ? current : subString(current);
  const after = typeof value === 'string' ? value : subString(value);
  const sameShape = (typeof current === 'string') === (typeof value === 'string');
  if (before === undefined || after === undefined || !sameShape) return undefined;
  const parts = text.split(JSON.stringify(before));
  return parts.length === 2 ? parts.join(JSON.stringify(after)) : undefined;
}

/** The first indented line's leading whitespace: two or four spaces, or a tab. */
export function detectIndent(text: string): string | number {
  const match = /^\{[ \t]*\r?\n([ \t]+)\S/.exec(text) ?? /\n([ \t]+)\S/.exec(text);
  return match ? match[1]! : 2;
}

function containerAt(body: Json, path: PathSegment[]): Json {
  let node: Json = body;
  for (const key of path) {
    let next = get(node, key);
    if (!isRecord(next) && !Array.isArray(next)) {
      next = {};
      put(node, key, next);
    }
    node = next as Json;
  }
  return node;
}

function get(node: Json, key: PathSegment): unknown {
  return Array.isArray(node) ? node[Number(key)] : node[String(key)];
}

function put(node: Json, key: PathSegment, value: unknown): void {
  if (Array.isArray(node)) node[Number(key)] = value;
  else node[String(key)] = value;
}
