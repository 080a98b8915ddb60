/**
 * `weather-secrets check-policy`: can the deployed function's role read the secret, and if not, why
 * and how to fix it. Live against the account by default; from the template alone with --static.
 */
import { isAbsolute, relative } from 'node:path';
import type { CloudFormationApi } from '../aws/cloudformation.js';
import type { FunctionConfiguration, LambdaApi } from '../aws/lambda.js';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import type { Reporter } from '../core/reporter.js';
import { checkLive, type LiveDeps } from '../check/live.js';
import type { LiveSecret } from '../check/live-secret.js';
import { checkStatic } from '../check/static.js';
import type { CheckPolicyResult } from '../check/types.js';
import { analyseTemplateFunction, discoverTemplate, hasSymbolicTokens, type FunctionAnalysis } from '../template/index.js';

export type { CheckPolicyResult } from '../check/types.js';

export interface CheckPolicyOptions {
  functionName?: string;
  secretId?: string;
  templatePath?: string;
  stackName?: string;
  static: boolean;
}

export interface LiveClients extends LiveDeps {
  lambda: LambdaApi;
  cloudformation: CloudFormationApi;
}

export interface CheckPolicyDeps {
  region: string;
  cwd: string;
  /** SAM_TEMPLATE_FILE, as sam reads it. */
  envTemplateFile?: string;
  /** samconfig: parameter_overrides and stack_name. */
  parameterOverrides: Record<string, string>;
  samconfigStackName?: string;
  /** Built only for a live check (--static makes no AWS call at all); callers memoise it. */
  clients: () => Promise<LiveClients>;
  reporter: Reporter;
}

export async function checkPolicy(options: CheckPolicyOptions, deps: CheckPolicyDeps): Promise<CheckPolicyResult> {
  const templatePath = findTemplate(options, deps);
  if (options.static) {
    deps.reporter.progress(`Checking ${templatePath} (static, no AWS calls)...`);
    return checkStatic({ templatePath: templatePath!, functionId: options.functionName, secretId: options.secretId, region: deps.region, parameterOverrides: deps.parameterOverrides });
  }
  return checkLocated(await locateDeployedFunction(options, deps, templatePath), templatePath, options, deps);
}

/** The live check of a function already located (doctor locates it once and reuses it). */
export async function checkLocated(located: LocatedFunction, templatePath: string | undefined, options: CheckPolicyOptions, deps: CheckPolicyDeps, secret?: LiveSecret): Promise<CheckPolicyResult> {
  const { analysis, fn, source } = located;
  const clients = await deps.clients();
  const role = analysis?.permissions.role;
  const samFix = analysis && role && role.kind !== 'external'
    ? { roleInTemplate: role.kind === 'template' ? role.logicalId : undefined, secretLogicalId: analysis.secretReferences[0]?.resource?.logicalId, kmsKeyLogicalId: analysis.secretReferences[0]?.resource?.kmsKeyLogicalId }
    : undefined;
  const live = await checkLive({ fn, functionSource: source, logicalId: analysis?.fn.logicalId, secretId: options.secretId, secret, region: deps.region, samFix }, clients);
  return addDrift(live, templatePath, analysis, options, deps);
}

export interface LocatedFunction {
  analysis?: FunctionAnalysis;
  fn: FunctionConfiguration;
  /** How the name was found, e.g. `WeatherFunction in stack openweather-demo`. */
  source: string;
}

/** The deployed function: a template logical ID through the stack, or a deployed name/ARN. Unknown → exit 2. */
export async function locateDeployedFunction(options: CheckPolicyOptions, deps: CheckPolicyDeps, templatePath: string | undefined): Promise<LocatedFunction> {
  const arnRegion = options.functionName?.startsWith('arn:') ? options.functionName.split(':')[3] : undefined;
  if (arnRegion && arnRegion !== deps.region) {
    throw new UsageError(`The function ARN is in ${arnRegion}, but the region in force is ${deps.region}.`, {
      code: 'region-mismatch',
      hint: `Pass --region ${arnRegion}.`,
    });
  }
  const analysis = templatePath ? await templateFunction(templatePath, options.functionName, deps) : undefined;
  const clients = await deps.clients();
  const target = await deployedFunctionName(options, deps, clients, analysis);
  deps.reporter.progress(`Reading function ${target.name} in ${deps.region}...`);
  const fn = await clients.lambda.getFunctionConfiguration(target.name);
  if (!fn) {
    const existing = await clients.lambda.listFunctionNames().catch(() => []);
    throw new UsageError(`No function ${target.name} in ${deps.region}.`, {
      code: 'function-not-found',
      hint: existing.length ? `Functions there: ${existing.slice(0, 20).join(', ')}.` : 'No functions exist there: is the region right, and is the stack deployed (sam deploy)?',
    });
  }
  return { analysis, fn, source: target.source };
}

export function findTemplate(options: CheckPolicyOptions, deps: CheckPolicyDeps): string | undefined {
  if (options.static || options.templatePath) return shortPath(discoverTemplate(deps.cwd, options.templatePath, deps.envTemplateFile).path, deps.cwd);
  try {
    return shortPath(discoverTemplate(deps.cwd, undefined, deps.envTemplateFile).path, deps.cwd);
  } catch {
    return undefined; // a live check needs no template
  }
}

/** `template.yaml` rather than a long absolute path, when the template is under the working folder. */
function shortPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) && cwd === process.cwd() ? rel : path;
}

/** The template's function when `functionName` is one of its logical IDs (or it has just one); else undefined. */
async function templateFunction(path: string, functionName: string | undefined, deps: CheckPolicyDeps): Promise<FunctionAnalysis | undefined> {
  try {
    return await analyseTemplateFunction(path, functionName, { region: deps.region, parameterOverrides: deps.parameterOverrides });
  } catch (error) {
    // A name that is not a logical ID of the template is taken as the deployed function's name.
    if (functionName && (error as { code?: string }).code === 'function-not-found') return undefined;
    throw error;
  }
}

async function deployedFunctionName(options: CheckPolicyOptions, deps: CheckPolicyDeps, clients: LiveClients, analysis: FunctionAnalysis | undefined) {
  if (!analysis) {
    if (!options.functionName) {
      throw new UsageError('Which function? Pass --function NAME (or run in a folder with the SAM template).', { code: 'function-required' });
    }
    return { name: options.functionName, source: 'deployed name' };
  }
  const logicalId = analysis.fn.logicalId;
  const stackName = options.stackName ?? deps.samconfigStackName;
  const fixedName = analysis.fn.functionName;
  if (!stackName && typeof fixedName === 'string' && !hasSymbolicTokens(fixedName)) {
    return { name: fixedName, source: `${logicalId} (FunctionName in the template)` };
  }
  if (!stackName) {
    throw new UsageError(`${logicalId} is a logical ID in the template; to find the deployed function, name the stack.`, {
      code: 'stack-name-required',
      hint: 'Pass --stack-name, or set stack_name in samconfig.toml (sam deploy --guided writes it).',
    });
  }
  const physical = await clients.cloudformation.physicalId(stackName, logicalId);
  if (!physical) {
    throw new UsageError(`Stack ${stackName} has no deployed ${logicalId} in ${deps.region}.`, {
      code: 'function-not-deployed',
      hint: 'Deploy it first (sam deploy), or check --stack-name and --region.',
    });
  }
  return { name: physical, source: `${logicalId} in stack ${stackName}` };
}

/** When the template grants what the deployed role lacks, the fix is already written: it is not deployed. */
async function addDrift(live: CheckPolicyResult, templatePath: string | undefined, analysis: FunctionAnalysis | undefined, options: CheckPolicyOptions, deps: CheckPolicyDeps): Promise<CheckPolicyResult> {
  if (!templatePath || !analysis) return live;
  const notes: Finding[] = [];
  const fromTemplate = await checkStatic({ templatePath, functionId: analysis.fn.logicalId, secretId: options.secretId ?? live.secret.id, region: deps.region, parameterOverrides: deps.parameterOverrides }).catch(() => undefined);
  if (fromTemplate?.verdict === 'allowed' && live.verdict === 'denied') {
    notes.push({
      code: 'template-not-deployed',
      severity: 'error',
      message: `${templatePath} grants ${analysis.fn.logicalId} read access, but the deployed role lacks it: the template's change is not deployed yet.`,
      fix: 'Run `sam build && sam deploy`.',
    });
  }
  notes.push(...(fromTemplate?.findings.filter((f) => f.code === 'role-overrides-policies') ?? []));
  return notes.length ? { ...live, findings: [...notes, ...live.findings] } : live;
}
