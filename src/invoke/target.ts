/**
 * Which function an invoke is about: a template logical ID (local runs need one) and, for deployed
 * runs, the deployed name. Reads the template offline; the stack is only asked by the caller.
 */
import { EnvironmentError, UsageError } from '../core/errors.js';
import { findTemplate, locateTemplate, type TemplateLocation } from '../target/template.js';
import type { CloudFormationApi, StackResource } from '../aws/cloudformation.js';
import {
  createResolveContext,
  hasSymbolicTokens,
  isUnresolved,
  listFunctions,
  pickFunction,
  loadTemplate,
  type LoadedTemplate,
  type ResolveContext,
  type TemplateFunction,
} from '../template/index.js';

export interface TargetOptions {
  functionId?: string;
  templatePath?: string;
  /** SAM_TEMPLATE_FILE, passed in so this stays testable. */
  envTemplateFile?: string;
  cwd: string;
  region: string;
  stackName?: string;
  parameterOverrides: Record<string, string>;
}

export interface InvokeTarget {
  /** Which file and why; for local runs, what sam runs (the build copy when there is one). */
  location?: TemplateLocation;
  template?: LoadedTemplate;
  ctx?: ResolveContext;
  /** The template's function, when the name given (or the only one) is in the template. */
  fn?: TemplateFunction;
  /** The name given, when it is not a logical ID of the template: taken as the deployed name. */
  deployedName?: string;
}

/**
 * Local runs require the template and one of its functions (an unknown name is a usage error).
 * Deployed runs use the template when there is one and otherwise take the name as given.
 */
export async function resolveTarget(options: TargetOptions, mode: 'local' | 'remote'): Promise<InvokeTarget> {
  const where = { cwd: options.cwd, explicit: options.templatePath, envTemplateFile: options.envTemplateFile, purpose: mode === 'local' ? 'run' as const : 'judge' as const };
  // A deployed run needs no template when it is given the deployed name.
  const location = mode === 'local' || options.functionId === undefined ? locateTemplate(where) : findTemplate(where);
  if (!location) return { deployedName: options.functionId };
  const template = await loadTemplate(location.path);
  const ctx = createResolveContext(template.body, { region: options.region, stackName: options.stackName, parameterOverrides: options.parameterOverrides });
  const functions = listFunctions(template, ctx);
  // A deployed run may name a function the template does not define: that is its deployed name.
  if (mode === 'remote' && options.functionId !== undefined && !functions.some((f) => f.logicalId === options.functionId)) {
    return { location, template, ctx, deployedName: options.functionId };
  }
  return { location, template, ctx, fn: pickFunction(template, functions, options.functionId) };
}

/** A stack's resources, or undefined with the reason when it cannot be read (not deployed, no access). */
export async function readStack(
  cfn: () => Promise<CloudFormationApi>,
  stackName: string,
): Promise<{ resources?: StackResource[]; problem?: string }> {
  try {
    const resources = await (await cfn()).stackResources(stackName);
    return resources ? { resources } : { problem: `stack ${stackName} does not exist (not deployed yet, or another region)` };
  } catch (error) {
    if (error instanceof EnvironmentError) return { problem: `stack ${stackName} could not be read: ${error.message}` };
    throw error;
  }
}

/**
 * The deployed name of the target: the stack's physical ID for a template function, else a concrete
 * `FunctionName` from the template, else the name as given.
 */
export function deployedFunctionName(target: InvokeTarget, stackName: string | undefined, resources: StackResource[] | undefined): string {
  if (target.deployedName !== undefined) return target.deployedName;
  const fn = target.fn!;
  const physical = resources?.find((r) => r.logicalId === fn.logicalId)?.physicalId;
  if (physical) return physical;
  const named = fn.functionName;
  if (typeof named === 'string' && !isUnresolved(named) && !hasSymbolicTokens(named)) return named;
  if (stackName === undefined) {
    throw new UsageError(`Cannot tell the deployed name of ${fn.logicalId}: no stack is known.`, {
      code: 'stack-unknown',
      hint: 'Pass --stack-name (or set stack_name in samconfig.toml), or give the deployed function name.',
    });
  }
  throw new EnvironmentError(`Stack ${stackName} has no deployed function ${fn.logicalId}.`, {
    code: 'function-not-deployed',
    hint: 'Deploy it (`sam deploy`), or check --stack-name and --region.',
  });
}
