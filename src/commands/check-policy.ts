/**
 * `weather-secrets check-policy`: can the deployed function's role read the secret, and if not, why
 * and how to fix it. Live against the account by default; from the template alone with --static.
 */
import type { CloudFormationApi } from '../aws/cloudformation.js';
import type { FunctionConfiguration, LambdaApi } from '../aws/lambda.js';
import { EnvironmentError, UsageError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import type { Reporter } from '../core/reporter.js';
import { checkLive, type LiveDeps } from '../check/live.js';
import type { LiveSecret, TemplateSecretHint } from '../check/live-secret.js';
import { checkStatic } from '../check/static.js';
import type { CheckPolicyResult } from '../check/types.js';
import { analyseTemplateFunction, hasSymbolicTokens, type FunctionAnalysis } from '../template/index.js';
import { displayTokens } from '../template/tokens.js';
import type { TemplateLocation } from '../target/template.js';
import { dynamicReferenceFinding, templateNoteFindings } from '../target/notes.js';

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
  /** The template as the run resolved it (target/template.ts); undefined when there is none. */
  template?: TemplateLocation;
  /** samconfig (or --parameter-overrides): parameter values, and samconfig's stack_name. */
  parameterOverrides: Record<string, string>;
  samconfigStackName?: string;
  /** Built only for a live check (--static makes no AWS call at all); callers memoise it. */
  clients: () => Promise<LiveClients>;
  reporter: Reporter;
}

export async function checkPolicy(options: CheckPolicyOptions, deps: CheckPolicyDeps): Promise<CheckPolicyResult> {
  const templatePath = findTemplate(options, deps);
  const result = options.static
    ? await checkStaticTemplate(templatePath, options, deps)
    : await checkLocated(await locateDeployedFunction(options, deps, templatePath), templatePath, options, deps);
  const notes = templateNoteFindings(deps.template);
  return displayTokens(notes.length ? { ...result, template: result.template ?? templatePath, findings: [...result.findings, ...notes] } : result);
}

async function checkStaticTemplate(templatePath: string | undefined, options: CheckPolicyOptions, deps: CheckPolicyDeps): Promise<CheckPolicyResult> {
  if (!templatePath) throw noTemplate();
  deps.reporter.progress(`Checking ${templatePath} (static, no AWS calls)...`);
  return checkStatic({ templatePath, functionId: options.functionName, secretId: options.secretId, region: deps.region, parameterOverrides: deps.parameterOverrides });
}

function noTemplate(): UsageError {
  return new UsageError('No SAM template found in the working folder.', { code: 'template-not-found', hint: 'Looked for .aws-sam/build/template.yaml, template.yaml, template.yml, template.json. Pass --template PATH.' });
}

/** The live check of a function already located (doctor locates it once and reuses it). */
export async function checkLocated(located: LocatedFunction, templatePath: string | undefined, options: CheckPolicyOptions, deps: CheckPolicyDeps, secret?: LiveSecret): Promise<CheckPolicyResult> {
  const { analysis, fn, source } = located;
  const clients = await deps.clients();
  const role = analysis?.permissions.role;
  const samFix = analysis && role && role.kind !== 'external'
    ? { roleInTemplate: role.kind === 'template' ? role.logicalId : undefined, secretLogicalId: analysis.secretReferences[0]?.resource?.logicalId, kmsKeyLogicalId: analysis.secretReferences[0]?.resource?.kmsKeyLogicalId }
    : undefined;
  const secretHint = templateSecretHint(analysis);
  const live = await checkLive({ fn, functionSource: source, logicalId: analysis?.fn.logicalId, secretId: options.secretId, ...(secretHint && { secretHint }), secret, region: deps.region, samFix }, clients);
  const withNotes = options.secretId ? live : { ...live, findings: [...live.findings, ...dynamicReferenceFinding(analysis?.secretReferences[0])] };
  return addDrift(withNotes, templatePath, analysis, options, deps);
}

/**
 * A dynamic reference puts the secret's *value* in the deployed variable: only the template says which
 * secret it is. (Other references deploy as the name or ARN, which the live environment shows.)
 */
export function templateSecretHint(analysis: FunctionAnalysis | undefined): TemplateSecretHint | undefined {
  const ref = analysis?.secretReferences[0];
  if (!ref?.dynamicReference || typeof ref.value !== 'string') return undefined;
  return { id: ref.value, source: `${ref.source} (dynamic reference in ${analysis!.template.path})` };
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

/** The template's path as shown (the run resolved it once); a live check needs none. */
export function findTemplate(_options: CheckPolicyOptions, deps: CheckPolicyDeps): string | undefined {
  return deps.template?.display;
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
    throw new EnvironmentError(`Stack ${stackName} has no deployed ${logicalId} in ${deps.region}.`, {
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
