/**
 * `fixTemplate`: the pure heart of `weather-secrets fix`. Text in, text out: which function, which
 * secret, what changes, the new text and its diff. Reads no files, writes none, never prints.
 */
import { UsageError } from '../core/errors.js';
import { analyseFunction, parseTemplate, type FunctionAnalysis, type ResolveOptions } from '../template/index.js';
import { identityAccess } from './access.js';
import { unifiedDiff } from './diff.js';
import { applyJsonEdits } from './json-editor.js';
import { planFix, type Edit, type FixNote, type PlannedChange } from './plan.js';
import { resolveSecretTarget, type SecretTarget } from './target.js';
import { pathText } from './values.js';
import { applyYamlEdits } from './yaml-editor.js';

export { DEFAULT_FIX_SECRET } from './target.js';
export type { FixNote } from './plan.js';
export { writeFileAtomic } from './write.js';

export interface FixTemplateInput {
  /** The template's text, exactly as read. */
  text: string;
  /** Used in messages and the diff header; also decides JSON or YAML by its extension. */
  path: string;
  functionId?: string;
  /** Else the secret the function's environment names, else `openweatherapi`. */
  secretId?: string;
  /** A customer-managed key the secret is encrypted with, when the template does not say. */
  kmsKeyId?: string;
  /** Parameter overrides; no region or account is needed, they stay symbolic. */
  resolve?: ResolveOptions;
}

export interface FixChange {
  code: PlannedChange['code'];
  description: string;
  /** Template path of the edited value, e.g. `Resources.Fn.Properties.Policies`. */
  path: string;
  /** Line in the original file of the edited value or its nearest existing parent. */
  line?: number;
}

export interface FixTemplateResult {
  function: string;
  role: string;
  secret: { label: string; name?: string; expectedArn: string };
  changes: FixChange[];
  notes: FixNote[];
  externalRoleStatement?: string;
  before: string;
  after: string;
  /** Unified diff of before → after; '' when nothing changes. */
  diff: string;
}

export function fixTemplate(input: FixTemplateInput): FixTemplateResult {
  const template = parseTemplate(input.text, input.path);
  const analysis = analyseFunction(template, input.functionId, input.resolve ?? {});
  const target = resolveSecretTarget(analysis, { secretId: input.secretId, kmsKeyId: input.kmsKeyId });
  const plan = planFix(analysis, target);
  const after = applyEdits(input, template.format, plan.changes.map((c) => c.edit));
  if (after !== input.text) verifyFixed(after, input, target);
  return {
    function: analysis.fn.logicalId,
    role: analysis.permissions.roleDescription,
    secret: { label: target.label, ...(target.name ? { name: target.name } : {}), expectedArn: target.expectedArn },
    changes: plan.changes.map((c) => ({
      code: c.code,
      description: c.description,
      path: pathText(c.edit.path),
      line: template.positionOf(c.edit.path)?.line,
    })),
    notes: plan.notes,
    ...(plan.externalRoleStatement ? { externalRoleStatement: plan.externalRoleStatement } : {}),
    before: input.text,
    after,
    diff: unifiedDiff(input.path, input.text, after),
  };
}

/** Windows line endings are set aside for the edit and restored after, so new lines match the old. */
function applyEdits(input: FixTemplateInput, format: 'yaml' | 'json', edits: Edit[]): string {
  if (edits.length === 0) return input.text;
  const crlf = input.text.includes('\r\n');
  const text = crlf ? input.text.replace(/\r\n/g, '\n') : input.text;
  const edited = format === 'json' ? applyJsonEdits(text, edits) : applyYamlEdits(text, input.path, edits);
  return crlf ? edited.replace(/\n/g, '\r\n') : edited;
}

/** Reads the edited text back and evaluates it: a fix that would not make the read allowed is not offered. */
function verifyFixed(after: string, input: FixTemplateInput, target: SecretTarget): void {
  const analysis: FunctionAnalysis = analyseFunction(parseTemplate(after, input.path), input.functionId, input.resolve ?? {});
  const checks = [identityAccess(analysis.permissions, analysis.ctx, 'secretsmanager:GetSecretValue', target.expectedArn)];
  if (target.kms) checks.push(identityAccess(analysis.permissions, analysis.ctx, 'kms:Decrypt', target.kms.keyArn));
  const failed = checks.find((c) => c.status !== 'allowed');
  if (!failed) return;
  const why = failed.status === 'unknown' ? `: ${failed.reasons.join('; ')}` : '';
  throw new UsageError(`${input.path}: after the edit the role still would not be allowed to read ${target.label} (${failed.status}${why}).`, {
    code: 'fix-not-enough',
    hint: 'Run check-policy to see which statement decides; fix changed nothing.',
  });
}
