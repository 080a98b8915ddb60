/**
 * Applies planned edits to a YAML template through the `yaml` package's Document API: nodes are changed
 * in place, so comments, key order, quoting and short tags stay, and only the edited lines differ.
 */
import {
  isAlias, isCollection, isMap, isScalar, isSeq, parseDocument, Pair, Scalar, visit, YAMLMap, YAMLSeq,
  type Document, type Node, type Tags, type ToStringOptions,
} from 'yaml';
import { UsageError } from '../core/errors.js';
import type { PathSegment } from '../template/index.js';
import { isRecord } from '../template/load.js';
import { carryOver } from './diff.js';
import type { Edit } from './plan.js';
import { pathText, subString } from './values.js';

/** CloudFormation's short tags, kept as they are (the same set src/template/load.ts reads). */
const SHORT_TAGS = [
  '!Ref', '!Condition', '!Sub', '!GetAtt', '!Join', '!If', '!Select', '!FindInMap', '!Split', '!Base64', '!GetAZs',
  '!ImportValue', '!Equals', '!And', '!Or', '!Not', '!Cidr', '!Transform', '!Length', '!ToJsonString',
];
const CUSTOM_TAGS: Tags = SHORT_TAGS.flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, resolve: (value: unknown) => value },
]);

export function applyYamlEdits(text: string, path: string, edits: Edit[]): string {
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, keepSourceTokens: true });
  const options = styleOf(text);
  const baseline = doc.toString(options);
  for (const edit of edits) {
    refuseAnchors(doc, edit.path, path);
    if (edit.op === 'replace') replaceValue(doc, edit.path, edit.value);
    else if (edit.op === 'append') appendValue(doc, edit.path, edit.value);
    else setValue(doc, edit.path, edit.value);
  }
  const reserialise = (candidate: string) => parseDocument(candidate, { customTags: CUSTOM_TAGS }).toString(options);
  const result = carryOver(text, baseline, doc.toString(options), reserialise);
  if (result === undefined) {
    throw new UsageError(`${path}: the edit cannot be made without restyling other lines of the file.`, {
      code: 'template-style-unsafe',
      hint: 'Run fix without --write and apply the printed change by hand.',
    });
  }
  return result;
}

/** The file's own indentation and sequence style, so new lines look like their neighbours. */
export function styleOf(text: string): ToStringOptions {
  const indents = [...text.matchAll(/^( +)[^\s#-]/gm)].map((m) => m[1]!.length);
  const indent = indents.length > 0 ? Math.min(...indents) : 2;
  // `Key:\n- item` (sequence at the key's own column) versus the indented `Key:\n  - item`.
  const indentSeq = !/^( *)[^\s#][^\n]*:[ \t]*\n\1- /m.test(text);
  // `{ Service: x }` or `{Service: x}`: follow whichever the file uses more.
  const padded = (text.match(/[[{] [^\s\]}]/g) ?? []).length;
  const tight = (text.match(/(?<!\$)[[{][^\s\]}'"]/g) ?? []).length;
  return { indent, indentSeq, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: padded > tight };
}

/** An anchor or alias on the way means the edit would also change (or not change) the other copies. */
function refuseAnchors(doc: Document, path: PathSegment[], file: string): void {
  let node: unknown = doc.contents;
  const chain: unknown[] = [node];
  for (const key of path) {
    if (!isCollection(node)) break;
    node = node.get(key, true);
    chain.push(node);
  }
  let found = chain.some((n) => isAlias(n) || ((isScalar(n) || isCollection(n)) && n.anchor !== undefined));
  const last = chain[chain.length - 1];
  if (!found && isCollection(last)) visit(last, { Node: (_, n) => { if (isAlias(n) || (n as { anchor?: string }).anchor) found = true; } });
  if (found) {
    throw new UsageError(`${file}: ${pathText(path)} uses a YAML anchor or alias; editing it would change the other places that share it.`, {
      code: 'template-anchors',
      hint: 'Expand the anchor there, or make the change by hand.',
    });
  }
}

function replaceValue(doc: Document, path: PathSegment[], value: unknown): void {
  const node = doc.getIn(path, true);
  const sub = subString(value);
  if (isScalar(node) && (typeof value === 'string' || sub !== undefined)) {
    node.value = sub ?? value;
    // A plain string turned into a `${...}` pattern needs !Sub; an existing !Sub keeps its quoting.
    if (sub !== undefined && node.tag !== '!Sub') node.tag = '!Sub';
    return;
  }
  const inner = isMap(node) ? node.get('Fn::Sub', true) : undefined;
  if (sub !== undefined && isScalar(inner)) {
    inner.value = sub;
    return;
  }
  doc.setIn(path, toNode(value));
}

function appendValue(doc: Document, path: PathSegment[], value: unknown): void {
  const node = doc.getIn(path, true);
  const item = toNode(value);
  if (isSeq(node)) {
    node.items.push(item);
    return;
  }
  ensureMap(doc, path.slice(0, -1));
  const seq = new YAMLSeq();
  // `Policies: AWSLambdaBasicExecutionRole` becomes a list that keeps that entry first.
  if (node !== undefined && node !== null && !(isScalar(node) && node.value === null)) seq.items.push(node);
  seq.items.push(item);
  doc.setIn(path, seq);
}

function setValue(doc: Document, path: PathSegment[], value: unknown): void {
  ensureMap(doc, path.slice(0, -1));
  doc.setIn(path, toNode(value));
}

/** Creates the mappings along `path` that are missing or empty (`Environment:` with nothing under it). */
function ensureMap(doc: Document, path: PathSegment[]): void {
  for (let n = 1; n <= path.length; n++) {
    const prefix = path.slice(0, n);
    const node = doc.getIn(prefix, true);
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) doc.setIn(prefix, new YAMLMap());
  }
}

/** Long form to YAML nodes with short tags: `{Ref: X}` → `!Ref X`, `{"Fn::Sub": s}` → `!Sub s`. */
export function toNode(value: unknown): Node {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items.push(...value.map((v) => toNode(v)));
    return seq;
  }
  if (isRecord(value)) return mapNode(value);
  const scalar = new Scalar(value);
  // CloudFormation reads YAML 1.1, where an unquoted 2012-10-17 is a date.
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value)) scalar.type = Scalar.QUOTE_SINGLE;
  return scalar;
}

function mapNode(value: Record<string, unknown>): Node {
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0]! : undefined;
  const arg = only === undefined ? undefined : value[only];
  if (only === 'Ref' && typeof arg === 'string') return tagged(arg, '!Ref');
  if (only === 'Fn::Sub' && typeof arg === 'string') return tagged(arg, '!Sub');
  if (only === 'Fn::GetAtt' && Array.isArray(arg) && arg.every((a) => typeof a === 'string')) return tagged(arg.join('.'), '!GetAtt');
  const map = new YAMLMap();
  for (const key of keys) map.items.push(new Pair(new Scalar(key), toNode(value[key])));
  return map;
}

function tagged(text: string, tag: string): Scalar {
  const scalar = new Scalar(text);
  scalar.tag = tag;
  return scalar;
}
