/**
 * `invoke --local --runtime host`: the handler runs as a child process on this machine, through the
 * project's own runtime shim, for developers without Docker. Same preparation as a sam run (deployed
 * values, known secret, chosen credentials); the outcome is read and classified the same way.
 */
import { existsSync } from 'node:fs';
import { EnvironmentError } from '../core/errors.js';
import { isUnresolved } from '../template/index.js';
import { commonFields, withRoleAwareNextStep, type LocalDeps, type LocalPreparation } from './local.js';
import { hostEnvironment } from './host/environment.js';
import { findInterpreter, missingPackageHint, type Interpreter } from './host/interpreter.js';
import { runHostProcess } from './host/process.js';
import { hostFunctionSpec, versionMatches, type HostFunctionSpec } from './host/spec.js';
import { readOutcome, type HostRunInfo, type InvokeRun, type RunOptions } from './run.js';
import { deployedFunctionName, type InvokeTarget } from './target.js';
import { withholdOutput } from './known-secret.js';
import { TextTail } from '../core/text-tail.js';

const LOG_TAIL_CHARS = 16_000;

export interface HostReady {
  spec: HostFunctionSpec;
  interpreter: Interpreter;
}

/** The function as the host runs it, and the interpreter that will: checked before anything else runs. */
export async function hostReady(target: InvokeTarget, deps: Pick<LocalDeps, 'env' | 'reporter'>): Promise<HostReady> {
  const templatePath = target.template!.path;
  const found = hostFunctionSpec(target.fn!, templatePath, (target.template!.body.Resources ?? {}) as Record<string, unknown>);
  const spec = { ...found, layerPaths: found.layerPaths.filter((path) => existsSync(path)) };
  for (const note of spec.notes) deps.reporter.warn(note);
  const skipped: string[] = [];
  const interpreter = await findInterpreter(spec, templatePath, deps.env ?? process.env, skipped);
  if (!interpreter) {
    throw new EnvironmentError(`No Python found to run ${spec.logicalId} (${spec.runtime}) on this machine${skipped.length ? `: ${skipped.join('; ')}` : ''}.`, {
      code: 'host-runtime-missing',
      hint: `Install python${spec.runtimeVersion}, or create the app's virtual environment beside the template (.venv), which --runtime host uses first.`,
    });
  }
  for (const note of skipped) deps.reporter.warn(`Skipped ${note}.`);
  return { spec, interpreter };
}

export async function runLocalOnHost(options: RunOptions, deps: LocalDeps, prepared: LocalPreparation, ready: HostReady): Promise<InvokeRun> {
  const { target, redactor, secret } = prepared;
  const templatePath = target.template!.path;
  const { spec, interpreter } = ready;
  const parentEnv = deps.env ?? process.env;
  const { variables, empty } = localVariables(prepared);
  const env = hostEnvironment({
    spec,
    parent: parentEnv,
    region: options.region,
    functionName: functionNameOf(prepared, options),
    variables,
    ...(await chosenCredentials(prepared, deps)),
    ...(deps.endpointUrl && { endpointUrl: deps.endpointUrl }),
  });
  const tail = new TextTail(LOG_TAIL_CHARS);
  let versionOk: boolean | undefined;
  deps.reporter.progress(`Running ${spec.logicalId} (${spec.handler}) on this machine with ${interpreter.command}...`);
  const run = await runHostProcess({
    spec,
    command: interpreter.command,
    env,
    eventText: options.eventText,
    onLog: (line) => {
      tail.push(line);
      // Failing closed: no log streams while the secret cannot be read to mask it.
      if (!secret.withhold) deps.onStderr(redactor.redact(line));
    },
    onRuntime: (version) => {
      versionOk = versionMatches(version, spec.runtimeVersion);
      if (!versionOk) deps.reporter.warn(`The function's runtime is ${spec.runtime}, but ${interpreter.command} is ${spec.language === 'python' ? 'Python' : 'Node.js'} ${version}: behaviour may differ.`);
    },
    ...(deps.signal && { signal: deps.signal }),
  });
  const missingPackage = run.missingModule ? { name: run.missingModule, hint: await missingPackageHint(spec, run.missingModule, interpreter, templatePath) } : undefined;
  const host: HostRunInfo = {
    runtime: spec.runtime,
    interpreter: interpreter.command,
    origin: interpreter.origin,
    ...(run.runtimeVersion && { hostVersion: run.runtimeVersion }),
    ...(versionOk !== undefined && { versionMatches: versionOk }),
    requestId: run.requestId,
    emptyVariables: empty,
    ...(missingPackage && { missingPackage }),
  };
  const { redact, redactCut } = redactor;
  const outcome = withholdOutput(withRoleAwareNextStep(readOutcome({ mode: 'local', payloadText: redact(run.payloadText), redact, logs: redactCut(tail.text()) }), prepared.role), secret);
  return {
    mode: 'local',
    function: { logicalId: spec.logicalId },
    ...outcome,
    ...(run.failed && { status: 'failed' as const }),
    ...(missingPackage && outcome.classification && { classification: { ...outcome.classification, nextStep: missingPackage.hint } }),
    ...commonFields(options, prepared),
    host,
    redaction: secret.info,
  };
}

/** The template's variables with deployed values; what has none is empty, as sam leaves it. */
function localVariables(prepared: LocalPreparation): { variables: Record<string, string>; empty: string[] } {
  const variables: Record<string, string> = {};
  const empty: string[] = [];
  for (const variable of prepared.target.fn!.environment) {
    const known = prepared.values.known[variable.name];
    if (known !== undefined) variables[variable.name] = known;
    else if (!isUnresolved(variable.resolved) && typeof variable.raw === 'string') variables[variable.name] = variable.raw;
    else {
      variables[variable.name] = '';
      empty.push(variable.name);
    }
  }
  return { variables, empty };
}

/** The deployed name when the stack tells it, else the logical ID (what sam sets too). */
function functionNameOf(prepared: LocalPreparation, options: RunOptions): string {
  try {
    return deployedFunctionName(prepared.target, options.stackName, prepared.stack.resources);
  } catch {
    return prepared.target.fn!.logicalId;
  }
}

/** The deployed role's (or emulated) credentials with --as-deployed-role, else your own, as sam would pass. */
async function chosenCredentials(prepared: LocalPreparation, deps: LocalDeps): Promise<{ credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } }> {
  if (prepared.role) return { credentials: prepared.role.credentials };
  const own = await (await deps.sts()).currentCredentials();
  if (!own) deps.reporter.warn('No AWS credentials found: the handler runs without any.');
  return own ? { credentials: { accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey, ...(own.sessionToken && { sessionToken: own.sessionToken }) } } : {};
}

