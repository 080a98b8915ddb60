/**
 * The template module's front door for commands: load a template, pick a function, and read what it
 * may do and which secret it reads. Everything here is offline and never prints.
 */
import { UsageError } from '../core/errors.js';
import { listFunctions, listSecrets, type TemplateFunction, type TemplateSecret } from './functions.js';
import { createResolveContext, type ResolveContext, type ResolveOptions } from './intrinsics.js';
import { loadTemplate, type LoadedTemplate } from './load.js';
import { expandFunctionPermissions, type FunctionPermissions } from './permissions.js';
import { findSecretReferences, type SecretReference } from './secret-ref.js';

export interface FunctionAnalysis {
  template: LoadedTemplate;
  ctx: ResolveContext;
  fn: TemplateFunction;
  permissions: FunctionPermissions;
  /** Candidates, most likely first; empty when the template names no secret. */
  secretReferences: SecretReference[];
  secrets: TemplateSecret[];
}

/** Reads `path` and analyses one function: `functionId`, or the only function when there is just one. */
export async function analyseTemplateFunction(
  path: string,
  functionId: string | undefined,
  options: ResolveOptions,
): Promise<FunctionAnalysis> {
  const template = await loadTemplate(path);
  return analyseFunction(template, functionId, options);
}

export function analyseFunction(template: LoadedTemplate, functionId: string | undefined, options: ResolveOptions): FunctionAnalysis {
  const ctx = createResolveContext(template.body, options);
  const fn = pickFunction(template, listFunctions(template, ctx), functionId);
  return {
    template,
    ctx,
    fn,
    permissions: expandFunctionPermissions(template, fn, ctx),
    secretReferences: findSecretReferences(template, fn, ctx),
    secrets: listSecrets(template, ctx),
  };
}

/** `functionId`, or the only function; otherwise a usage error that lists the template's functions. */
export function pickFunction(template: LoadedTemplate, functions: TemplateFunction[], functionId: string | undefined): TemplateFunction {
  const names = functions.map((f) => f.logicalId).join(', ') || '(none)';
  if (functionId !== undefined) {
    const found = functions.find((f) => f.logicalId === functionId);
    if (found) return found;
    throw new UsageError(`${template.path} has no function ${functionId}.`, { code: 'function-not-found', hint: `Functions in the template: ${names}.` });
  }
  const [only, ...others] = functions;
  if (only && others.length === 0) return only;
  throw new UsageError(
    functions.length === 0 ? `${template.path} defines no Lambda function.` : `${template.path} defines several functions; say which one.`,
    { code: functions.length === 0 ? 'function-not-found' : 'function-ambiguous', hint: `Functions in the template: ${names}.` },
  );
}

export { ACCOUNT_TOKEN, STACK_NAME_TOKEN, REGION_TOKEN, isUnresolved, resolveString, resolveValue, createResolveContext } from './intrinsics.js';
export type { Resolved, ResolveContext, ResolveOptions, Unresolved } from './intrinsics.js';
export { asResourceToken, hasSymbolicTokens, resourceToken, resourceTokensIn, substituteTokens } from './tokens.js';
export { loadTemplate, parseTemplate } from './load.js';
export type { LoadedTemplate, PathSegment, SourcePosition } from './load.js';
export { findFunction, listFunctions, listKeys, listRoles, listSecrets } from './functions.js';
export type { EnvironmentVariable, TemplateFunction, TemplateKey, TemplateRole, TemplateSecret } from './functions.js';
export { expandFunctionPermissions } from './permissions.js';
export type { FunctionPermissions, FunctionRole, TemplateNote } from './permissions.js';
export { findSecretReference, findSecretReferences, secretResource } from './secret-ref.js';
export type { SecretReference, SecretResourceInfo, SecretIdKind } from './secret-ref.js';
