/**
 * `weather-secrets fix`: edit the SAM template so the function's role may read its secret. Without
 * `write` only the diff is returned; the file is untouched. Needs no AWS access and no region.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Reporter } from '../core/reporter.js';
import { fixTemplate, type FixNote, type FixTemplateResult } from '../fix/index.js';
import { discoverTemplate } from '../template/index.js';

export interface FixOptions {
  functionId?: string;
  secretId?: string;
  kmsKeyId?: string;
  /** --template; else SAM_TEMPLATE_FILE; else template.yaml/.yml/.json in `cwd`. */
  template?: string;
  write: boolean;
  cwd: string;
  envTemplateFile?: string;
  parameterOverrides?: Record<string, string>;
}

export interface FixDeps {
  readFile: (path: string) => Promise<string>;
  writeFile: (path: string, text: string) => Promise<void>;
  reporter: Reporter;
}

export interface FixResult {
  command: 'fix';
  /** As shown to the user: relative to the working directory when inside it. */
  template: string;
  function: string;
  role: string;
  secret: FixTemplateResult['secret'];
  status: 'changed' | 'would-change' | 'nothing-to-do' | 'external-role';
  changes: FixTemplateResult['changes'];
  notes: FixNote[];
  diff: string;
  written: boolean;
  externalRoleStatement?: string;
}

/** The source templates `sam` would read; the build copy under .aws-sam is regenerated, so never edited. */
const SOURCE_TEMPLATES = ['template.yaml', 'template.yml', 'template.json'];

export async function fix(options: FixOptions, deps: FixDeps): Promise<FixResult> {
  const path = templatePath(options);
  const shown = displayPath(options.cwd, path);
  deps.reporter.progress(`Reading ${shown}...`);
  const text = await deps.readFile(path);
  const fixed = fixTemplate({
    text,
    path: shown,
    functionId: options.functionId,
    secretId: options.secretId,
    kmsKeyId: options.kmsKeyId,
    resolve: { parameterOverrides: options.parameterOverrides },
  });
  const changed = fixed.after !== text;
  if (changed && options.write) await deps.writeFile(path, fixed.after);
  return {
    command: 'fix',
    template: shown,
    function: fixed.function,
    role: fixed.role,
    secret: fixed.secret,
    status: fixed.externalRoleStatement ? 'external-role' : !changed ? 'nothing-to-do' : options.write ? 'changed' : 'would-change',
    changes: fixed.changes,
    notes: fixed.notes,
    diff: fixed.diff,
    written: changed && options.write,
    ...(fixed.externalRoleStatement ? { externalRoleStatement: fixed.externalRoleStatement } : {}),
  };
}

function templatePath(options: FixOptions): string {
  if (options.template !== undefined || options.envTemplateFile) {
    return discoverTemplate(options.cwd, options.template, options.envTemplateFile).path;
  }
  const found = SOURCE_TEMPLATES.map((name) => join(options.cwd, name)).find((p) => existsSync(p));
  // Nothing found: let discoverTemplate say so, with its list of names.
  return found ?? discoverTemplate(options.cwd).path;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
