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
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Tags } from 'yaml';
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

export async function loadTemplate(path: string): Promise<LoadedTemplate> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read template ${path}: ${(error as Error).message}`, {
      code: 'template-unreadable',
      cause: error,
    });
  }
  return parseTemplate(text, path);
}

export function parseTemplate(text: string, path: string): LoadedTemplate {
  const format = /\.json$/i.test(path) || text.trimStart().startsWith('{') ? 'json' : 'yaml';
  const lineCounter = new LineCounter();
  // JSON is parsed by the YAML parser too (JSON is YAML 1.2 flow style): one code path, positions for free.
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0] ?? first.message;
    throw new UsageError(`${path}:${line}:${col}: malformed ${format === 'json' ? 'JSON' : 'YAML'}: ${reason}`, {
      code: 'template-malformed',
    });
  }
  const positions = new Map<string, SourcePosition>();
  const body = toPlain(doc.contents, doc, [], positions, lineCounter);
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

/** Converts a yaml node to plain data, expanding short tags and recording positions as it goes. */
function toPlain(
  node: unknown,
  doc: Document,
  path: PathSegment[],
  positions: Map<string, SourcePosition>,
  lines: LineCounter,
): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toPlain(node.resolve(doc), doc, path, positions, lines);
  const yamlNode = node as Node;
  const key = pointer(path);
  if (yamlNode.range && !positions.has(key)) positions.set(key, lines.linePos(yamlNode.range[0]));
  const longForm = yamlNode.tag ? SHORT_TAGS[yamlNode.tag] : undefined;
  if (longForm) {
    const inner = [...path, longForm];
    positions.set(pointer(inner), lines.linePos(yamlNode.range?.[0] ?? 0));
    let value = untagged(yamlNode, doc, inner, positions, lines);
    // `!GetAtt Res.Attr` is the only short form whose scalar differs from its long form.
    if (longForm === 'Fn::GetAtt' && typeof value === 'string') value = splitGetAtt(value);
    return { [longForm]: value };
  }
  return untagged(yamlNode, doc, path, positions, lines);
}

function untagged(
  node: Node,
  doc: Document,
  path: PathSegment[],
  positions: Map<string, SourcePosition>,
  lines: LineCounter,
): unknown {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((item, i) => toPlain(item, doc, [...path, i], positions, lines));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const rawKey = isScalar(pair.key) ? pair.key.value : pair.key;
      const key = String(rawKey);
      const keyNode = pair.key as Node | null;
      // A mapping entry is reported at its key: that is the line a reader looks for.
      if (keyNode?.range) positions.set(pointer([...path, key]), lines.linePos(keyNode.range[0]));
      out[key] = toPlain(pair.value, doc, [...path, key], positions, lines);
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
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where `sam` looks for a template when `-t` is not given (samcli/commands/_utils/options.py). */
export const DEFAULT_TEMPLATE_FILES = [
  '.aws-sam/build/template.yaml',
  'template.yaml',
  'template.yml',
  'template.json',
] as const;

export interface DiscoveredTemplate {
  path: string;
  /** Why this file: `--template`, `SAM_TEMPLATE_FILE`, or found by name in `dir`. */
  origin: 'explicit' | 'env' | 'discovered';
}

/**
 * Picks the template the way `sam` does: an explicit path, then `SAM_TEMPLATE_FILE` (passed in by the
 * caller, so this stays testable), then the first default name that exists in `dir`.
 */
export function discoverTemplate(dir: string, explicit?: string, envTemplateFile?: string): DiscoveredTemplate {
  const chosen = explicit ? { file: explicit, origin: 'explicit' as const } : envTemplateFile ? { file: envTemplateFile, origin: 'env' as const } : undefined;
  if (chosen) {
    const path = isAbsolute(chosen.file) ? chosen.file : join(dir, chosen.file);
    if (!existsSync(path)) {
      const from = chosen.origin === 'env' ? ' (from SAM_TEMPLATE_FILE)' : '';
      throw new UsageError(`Template ${chosen.file}${from} does not exist.`, { code: 'template-not-found' });
    }
    return { path, origin: chosen.origin };
  }
  for (const name of DEFAULT_TEMPLATE_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) return { path, origin: 'discovered' };
  }
  throw new UsageError(`No SAM template found in ${dir}.`, {
    code: 'template-not-found',
    hint: `Looked for ${DEFAULT_TEMPLATE_FILES.join(', ')}. Pass --template PATH.`,
  });
}
