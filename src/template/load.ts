/**
 * Reads a SAM/CloudFormation template (YAML with short tags, or JSON) into plain data in the long
 * form CloudFormation itself uses (`!Sub x` → `{"Fn::Sub": x}`), and keeps where every value sat in
 * the file so findings can say `template.yaml:14:3`.
 *
 * The `yaml` package does the parsing; its customTags only let the short tags through untouched.
 * The conversion to long form happens in our own walk over the node tree, because that walk is also
 * where the source positions are recorded.
 */
import { expandForEach } from './foreach.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Tags } from 'yaml';
import { UsageError } from '../core/errors.js';

export type PathSegment = string | number;

export interface SourcePosition {
  line: number;
  col: number;
}

export interface LoadedTemplate {
  /** The path as given by the caller; used verbatim in messages. */
  path: string;
  format: 'yaml' | 'json';
  /** The whole template in long form: `Resources`, `Parameters`, `Globals`, ... */
  body: Record<string, unknown>;
  /** Position of the value at `path`, or of its nearest ancestor that has one. */
  positionOf(path: readonly PathSegment[]): SourcePosition | undefined;
  /** `template.yaml:14:3` for the value at `path` (the file path as given, so callers choose relative or absolute). */
  where(path: readonly PathSegment[]): string;
}

/** Short tag → long-form key. `!Ref` and `!Condition` are not `Fn::` functions in the long form. */
const SHORT_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!If': 'Fn::If',
  '!Select': 'Fn::Select',
  '!FindInMap': 'Fn::FindInMap',
  '!Split': 'Fn::Split',
  '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!Cidr': 'Fn::Cidr',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
};

/** Every short tag may be written on a scalar, a sequence or a mapping: register all three, unchanged. */
const CUSTOM_TAGS: Tags = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, resolve: (value: unknown) => value },
]);

/**
 * CloudFormation takes at most 1 MB of template (from S3; 51,200 bytes inline). Twice that is refused
 * before parsing: nothing real is that large, and parsing YAML costs seconds per megabyte.
 */
export const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;
/** Nodes the walk may produce, aliases expanded: a "billion laughs" alias bomb stops here. */
export const MAX_TEMPLATE_NODES = 1_000_000;

export async function loadTemplate(path: string): Promise<LoadedTemplate> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(`Cannot read template ${path}: ${(error as Error).message}`, {
      code: 'template-unreadable',
      cause: error,
    });
  }
  return parseTemplate(decodeTemplate(bytes, path), path);
}

/** Pure: the template's text, or a UsageError for a file that is too large, not UTF-8, or holds NUL. */
export function decodeTemplate(bytes: Uint8Array, path: string): string {
  if (bytes.byteLength > MAX_TEMPLATE_BYTES) {
    throw new UsageError(`${path} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; CloudFormation accepts at most 1 MB, and weather-secrets reads at most 2 MB.`, {
      code: 'template-too-large',
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${path} is not valid UTF-8 text.`, { code: 'template-malformed', hint: 'CloudFormation templates are UTF-8; save the file as UTF-8.' });
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new UsageError(`${path}: byte ${nul}: the template contains a NUL character.`, { code: 'template-malformed' });
  return text;
}

export function parseTemplate(text: string, path: string): LoadedTemplate {
  if (text.length > MAX_TEMPLATE_BYTES) decodeTemplate(Buffer.from(text), path);
  const format = /\.json$/i.test(path) || text.trimStart().startsWith('{') ? 'json' : 'yaml';
  const lineCounter = new LineCounter();
  // JSON is parsed by the YAML parser too (JSON is YAML 1.2 flow style): one code path, positions for free.
  // uniqueKeys is off: the library compares each key with every earlier one (quadratic on a large
  // Resources map; 4 MB took 27 s). The walk below finds duplicates with a hash lookup instead.
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter, prettyErrors: false, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0] ?? first.message;
    throw new UsageError(`${path}:${line}:${col}: malformed ${format === 'json' ? 'JSON' : 'YAML'}: ${reason}`, {
      code: 'template-malformed',
    });
  }
  if (format === 'json') assertStrictJson(text, path);
  refuseAliasBombs(doc, path);
  const positions = new Map<string, SourcePosition>();
  const body = toPlain(doc.contents, { doc, path, positions, lines: lineCounter, budget: { nodes: MAX_TEMPLATE_NODES } }, []);
  if (!isRecord(body)) {
    throw new UsageError(`${path}:1:1: a template must be a mapping with a Resources section`, {
      code: 'template-malformed',
    });
  }
  const template = makeTemplate(path, format, expandForEach(body), positions);
  validateShape(template);
  return template;
}

function makeTemplate(
  path: string,
  format: 'yaml' | 'json',
  body: Record<string, unknown>,
  positions: Map<string, SourcePosition>,
): LoadedTemplate {
  const positionOf = (segments: readonly PathSegment[]): SourcePosition | undefined => {
    for (let n = segments.length; n >= 0; n--) {
      const found = positions.get(pointer(segments.slice(0, n)));
      if (found) return found;
    }
    return undefined;
  };
  const where = (segments: readonly PathSegment[]): string => {
    const pos = positionOf(segments);
    return pos ? `${path}:${pos.line}:${pos.col}` : path;
  };
  return { path, format, body, positionOf, where };
}

/** JSON-pointer-ish key for the position map: `/Resources/Fn/Properties/Policies/0`. */
export function pointer(segments: readonly PathSegment[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * YAML's flow style accepts what JSON does not (trailing commas, comments, unquoted keys), and so does
 * the parser above; CloudFormation does not, and `fix --write` re-serialises with JSON.parse.
 */
function assertStrictJson(text: string, path: string): void {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${path}: malformed JSON: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`, { code: 'template-malformed', cause: error });
  }
}

/**
 * The yaml library guards its own conversion against alias bombs (maxAliasCount); our walk expands
 * aliases itself, so ask the library first, and only when the document has aliases at all.
 */
function refuseAliasBombs(doc: Document, path: string): void {
  let aliases = 0;
  visit(doc, { Alias: () => void aliases++ });
  if (aliases === 0) return;
  try {
    doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new UsageError(`${path}: the template's YAML aliases expand too far (${(error as Error).message.split('\n')[0]}).`, {
      code: 'template-too-large',
      cause: error,
    });
  }
}

interface Walk {
  doc: Document;
  /** The file, for messages. */
  path: string;
  positions: Map<string, SourcePosition>;
  lines: LineCounter;
  /** Counts down per node produced, aliases expanded each time they are used. */
  budget: { nodes: number };
}

/** Converts a yaml node to plain data, expanding short tags and recording positions as it goes. */
function toPlain(node: unknown, walk: Walk, path: PathSegment[]): unknown {
  if (node === null || node === undefined) return null;
  if (--walk.budget.nodes < 0) {
    throw new UsageError(`${walk.path}: the template expands to more than ${MAX_TEMPLATE_NODES.toLocaleString('en')} values (a YAML alias bomb?).`, {
      code: 'template-too-large',
    });
  }
  if (isAlias(node)) return toPlain(node.resolve(walk.doc), walk, path);
  const yamlNode = node as Node;
  const key = pointer(path);
  if (yamlNode.range && !walk.positions.has(key)) walk.positions.set(key, walk.lines.linePos(yamlNode.range[0]));
  const longForm = yamlNode.tag ? SHORT_TAGS[yamlNode.tag] : undefined;
  if (yamlNode.tag && !longForm && yamlNode.tag.startsWith('!')) {
    const { line, col } = walk.lines.linePos(yamlNode.range?.[0] ?? 0);
    throw new UsageError(`${walk.path}:${line}:${col}: unknown tag ${yamlNode.tag.slice(0, 60)}; CloudFormation knows ${Object.keys(SHORT_TAGS).slice(0, 4).join(', ')}, ...`, {
      code: 'template-malformed',
    });
  }
  if (longForm) {
    const inner = [...path, longForm];
    walk.positions.set(pointer(inner), walk.lines.linePos(yamlNode.range?.[0] ?? 0));
    let value = untagged(yamlNode, walk, inner);
    // `!GetAtt Res.Attr` is the only short form whose scalar differs from its long form.
    if (longForm === 'Fn::GetAtt' && typeof value === 'string') value = splitGetAtt(value);
    return { [longForm]: value };
  }
  return untagged(yamlNode, walk, path);
}

function untagged(node: Node, walk: Walk, path: PathSegment[]): unknown {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((item, i) => toPlain(item, walk, [...path, i]));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const rawKey = isScalar(pair.key) ? pair.key.value : pair.key;
      const key = String(rawKey);
      const keyNode = pair.key as Node | null;
      const at = keyNode?.range ? walk.lines.linePos(keyNode.range[0]) : undefined;
      if (Object.hasOwn(out, key)) {
        const format = walk.doc.contents && isMap(walk.doc.contents) && walk.doc.contents.flow ? 'JSON' : 'YAML';
        throw new UsageError(`${walk.path}:${at?.line ?? 1}:${at?.col ?? 1}: malformed ${format}: duplicate key ${key.slice(0, 80)}`, { code: 'template-malformed' });
      }
      // A mapping entry is reported at its key: that is the line a reader looks for.
      if (at) walk.positions.set(pointer([...path, key]), at);
      out[key] = toPlain(pair.value, walk, [...path, key]);
    }
    return out;
  }
  return null;
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

/** The few structural rules every later step relies on; anything else is left to CloudFormation. */
function validateShape(template: LoadedTemplate): void {
  const { body } = template;
  if (!isRecord(body.Resources)) {
    throw new UsageError(`${template.where(['Resources'])}: the template has no Resources mapping`, {
      code: 'template-malformed',
    });
  }
  for (const [logicalId, resource] of Object.entries(body.Resources)) {
    if (!isRecord(resource) || typeof resource.Type !== 'string') {
      throw new UsageError(`${template.where(['Resources', logicalId])}: resource ${logicalId} has no Type`, {
        code: 'template-malformed',
      });
    }
    if (resource.Properties !== undefined && resource.Properties !== null && !isRecord(resource.Properties)) {
      throw new UsageError(`${template.where(['Resources', logicalId, 'Properties'])}: Properties of ${logicalId} must be a mapping`, {
        code: 'template-malformed',
      });
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
