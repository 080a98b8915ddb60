/**
 * Which template a command judges, and why — the way the SAM CLI picks it
 * (samcli/commands/_utils/options.py get_or_default_template_file_name, SAM CLI 1.170):
 * `--template` (sam's `-t`), else `SAM_TEMPLATE_FILE`, else the first of `.aws-sam/build/template.yaml`,
 * `template.yaml`, `template.yml`, `template.json` in the working folder.
 *
 * sam runs the build copy when one exists, and that copy goes stale until the next `sam build`. So:
 * what is *run* (`invoke --local`) is what sam runs; what is *judged or edited* (check-policy, fix,
 * doctor) is the source template the user edits, with a note when the build copy is older or differs.
 * samconfig is read beside a `--template` given on the command line; with SAM_TEMPLATE_FILE or the
 * default, sam reads it from the working folder (measured with the real SAM CLI).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { parseTemplate } from '../template/load.js';

export const BUILD_TEMPLATE = '.aws-sam/build/template.yaml';
export const SOURCE_TEMPLATES = ['template.yaml', 'template.yml', 'template.json'] as const;

export type TemplatePurpose = 'judge' | 'run';

export interface TemplateLocation {
  /** Absolute path of the template used. */
  path: string;
  /** The path to show: relative to the working folder when under it. */
  display: string;
  origin: 'explicit' | 'env' | 'discovered';
  /** Why this file, for output: `--template`, `SAM_TEMPLATE_FILE`, `found in the working folder`. */
  reason: string;
  /** Where sam reads samconfig for this run. */
  samconfigDir: string;
  /** Set when a build copy exists next to the source and the two are not in step. */
  buildNote?: BuildNote;
}

export interface BuildNote {
  code: 'build-template-stale' | 'build-template-differs' | 'build-template-used';
  message: string;
}

export interface LocateInputs {
  cwd: string;
  explicit?: string;
  envTemplateFile?: string;
  purpose: TemplatePurpose;
}

/** The template, or a usage error that says where it looked. */
export function locateTemplate(inputs: LocateInputs): TemplateLocation {
  const found = findTemplate(inputs);
  if (found) return found;
  throw new UsageError(`No SAM template found in ${inputs.cwd}.`, {
    code: 'template-not-found',
    hint: `Looked for ${[BUILD_TEMPLATE, ...SOURCE_TEMPLATES].join(', ')}. Pass --template PATH.`,
  });
}

/** Like locateTemplate, but undefined when nothing was asked for and nothing is there (a live check needs no template). */
export function findTemplate(inputs: LocateInputs): TemplateLocation | undefined {
  const { cwd } = inputs;
  const chosen = inputs.explicit ? { file: inputs.explicit, origin: 'explicit' as const } : inputs.envTemplateFile ? { file: inputs.envTemplateFile, origin: 'env' as const } : undefined;
  if (chosen) {
    const path = resolve(cwd, chosen.file);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new UsageError(`Template ${chosen.file}${chosen.origin === 'env' ? ' (from SAM_TEMPLATE_FILE)' : ''} does not exist.`, { code: 'template-not-found' });
    }
    return {
      path,
      display: displayPath(cwd, path),
      origin: chosen.origin,
      reason: chosen.origin === 'explicit' ? '--template' : 'SAM_TEMPLATE_FILE',
      samconfigDir: chosen.origin === 'explicit' ? dirname(path) : cwd,
    };
  }
  const build = join(cwd, BUILD_TEMPLATE);
  const source = SOURCE_TEMPLATES.map((name) => join(cwd, name)).find((p) => existsSync(p));
  const hasBuild = existsSync(build);
  if (!source && !hasBuild) return undefined;
  const base = { origin: 'discovered' as const, samconfigDir: cwd };
  if (!source) return { ...base, path: build, display: displayPath(cwd, build), reason: 'the build copy (no source template found)' };
  if (!hasBuild) return { ...base, path: source, display: displayPath(cwd, source), reason: 'found in the working folder' };
  const note = compareBuild(cwd, source, build, inputs.purpose);
  const path = inputs.purpose === 'run' ? build : source;
  return { ...base, path, display: displayPath(cwd, path), reason: inputs.purpose === 'run' ? 'the build copy, as sam runs it' : 'the source template (not the build copy)', ...(note && { buildNote: note }) };
}

/** Says how the build copy relates to the source, from the point of view of what was used. */
function compareBuild(cwd: string, source: string, build: string, purpose: TemplatePurpose): BuildNote | undefined {
  const src = displayPath(cwd, source);
  const stale = statSync(build).mtimeMs < statSync(source).mtimeMs;
  if (purpose === 'run') {
    return stale
      ? { code: 'build-template-stale', message: `sam runs ${BUILD_TEMPLATE}, which is older than ${src}: run \`sam build\` first, or the run uses the old template.` }
      : undefined;
  }
  if (stale) return { code: 'build-template-stale', message: `Judged ${src}. ${BUILD_TEMPLATE} is older than it (run \`sam build\`); \`sam local invoke\` and \`sam deploy\` would use that copy until then.` };
  if (!sameResources(source, build)) return { code: 'build-template-differs', message: `Judged ${src}. ${BUILD_TEMPLATE} differs from it in more than code locations; pass --template ${BUILD_TEMPLATE} to judge the build copy.` };
  return undefined;
}

/**
 * `sam build` rewrites code locations (CodeUri, ContentUri, ...) and metadata, and re-serialises the
 * YAML. Compare what is left, parsed, so that only an edit made after the build counts as a difference.
 */
function sameResources(source: string, build: string): boolean {
  try {
    const strip = (path: string) => JSON.stringify(withoutBuildFields(parseTemplate(readFileSync(path, 'utf8'), path).body.Resources));
    return strip(source) === strip(build);
  } catch {
    return false; // one of them does not parse: certainly not in step
  }
}

const BUILD_FIELDS = new Set(['CodeUri', 'ContentUri', 'ImageUri', 'DefinitionUri', 'Code', 'Content', 'Metadata']);

function withoutBuildFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutBuildFields);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !BUILD_FIELDS.has(k)).map(([k, v]) => [k, withoutBuildFields(v)]));
}

/** `template.yaml` rather than a long absolute path, when the template is under the working folder of this process. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) && resolve(cwd) === process.cwd() ? rel : path;
}
