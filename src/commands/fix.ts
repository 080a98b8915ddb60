/**
 * `weather-secrets fix`: edit the SAM template so the function's role may read its secret. Without
 * `write` only the diff is returned; the file is untouched. Needs no AWS access and no region.
 */
import type { Reporter } from '../core/reporter.js';
import { fixTemplate, type FixNote, type FixTemplateResult } from '../fix/index.js';
import type { TemplateLocation } from '../target/template.js';

export interface FixOptions {
  functionId?: string;
  secretId?: string;
  kmsKeyId?: string;
  /** The source template (never the build copy under .aws-sam, which `sam build` regenerates). */
  template: TemplateLocation;
  write: boolean;
  /** samconfig's parameter_overrides (or --parameter-overrides): the secret's name may come from one. */
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

export async function fix(options: FixOptions, deps: FixDeps): Promise<FixResult> {
  const { path, display: shown } = options.template;
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
