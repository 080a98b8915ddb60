/**
 * A local run: through `sam local invoke` (a container), or with `--runtime host` as a child process on
 * this machine (src/invoke/local-host.ts). Both get the template's function, the deployed stack's values
 * for the variables sam cannot resolve, optionally the deployed role's credentials, and the known
 * secret masked in everything that comes back, including the log as it streams.
 */
import { EnvironmentError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import type { CloudFormationApi, CloudFormationExportsApi } from '../aws/cloudformation.js';
import type { IamApi } from '../aws/iam.js';
import type { LambdaApi } from '../aws/lambda.js';
import type { SecretsStore } from '../aws/secrets-manager.js';
import type { StsApi } from '../aws/sts.js';
import type { SamLocalInvokeOptions, SamLocalInvokeResult } from '../sam/cli.js';
import { assumeDeployedRole, type DeployedRole, type ViaRole } from './deployed-role.js';
import { dynamicReferences, importedValues } from './env-imports.js';
import { createPrivateDir, deployedValues, envVarsDocument, type DeployedValues } from './env-parity.js';
import { loadKnownSecret, maskedSecretId, redactorOf, secretIdFromEnvironment, withholdOutput, type KnownSecret } from './known-secret.js';
import { lineStreamRedactor, type Redactor } from './redact.js';
import { readOutcome, type InvokeRun, type RunOptions } from './run.js';
import { deployedFunctionName, readStack, resolveTarget, type InvokeTarget } from './target.js';
import type { StackResource } from '../aws/cloudformation.js';
import { findSecretReference, hasSymbolicTokens, isUnresolved, type TemplateFunction } from '../template/index.js';
import { resolveLocalVariables, type EnvVarsFile } from './env-vars-file.js';

export interface LocalDeps {
  reporter: Reporter;
  runSam: (options: SamLocalInvokeOptions) => Promise<SamLocalInvokeResult>;
  cloudFormation: () => Promise<CloudFormationApi>;
  lambda: () => Promise<LambdaApi>;
  sts: () => Promise<StsApi>;
  secrets: () => Promise<Pick<SecretsStore, 'getValue'>>;
  /** The function role's policies, for session-policy emulation. */
  iam?: () => Promise<IamApi>;
  /** CloudFormation exports, for variables written with Fn::ImportValue. */
  exports?: () => Promise<CloudFormationExportsApi>;
  /** The role to emulate the deployed role on (--via-role, or the profile's role_arn). */
  viaRole?: ViaRole;
  /** The parent's environment, for --runtime host. */
  env?: NodeJS.ProcessEnv;
  /** An explicit --endpoint-url, which a host run's handler then uses too. */
  endpointUrl?: string;
  /** Each line of sam's stderr (or the host run's log), already masked, as it arrives. */
  onStderr: (line: string) => void;
  signal?: AbortSignal;
  /** Where the private temp dir goes; the OS default otherwise. */
  tmpBase?: string;
}

/** What both local runtimes start from. */
export interface LocalPreparation {
  target: InvokeTarget;
  stack: { resources?: StackResource[]; problem?: string };
  values: DeployedValues;
  /** Which declared variables --env-vars or the shell set. */
  local: { envVarsFile?: string; fromFile: string[]; fromShell: string[] };
  secret: KnownSecret;
  role?: DeployedRole;
  redactor: Redactor;
}

export async function runLocal(options: RunOptions, deps: LocalDeps): Promise<InvokeRun> {
  const target = await resolveTarget(options, 'local');
  if (options.runtime === 'host') {
    // What the host cannot run (an image, a missing interpreter) is said before any AWS call.
    const host = await import('./local-host.js');
    const ready = await host.hostReady(target, deps);
    return host.runLocalOnHost(options, deps, await prepareLocal(options, deps, target), ready);
  }
  const prepared = await prepareLocal(options, deps, target);
  const { values, role, redactor, secret } = prepared;
  const fn = target.fn!;
  // Failing closed also means sam's stderr does not stream while the secret cannot be masked.
  const onStderr = secret.withhold ? () => undefined : deps.onStderr;
  const result = await runSamPrivately(options, fn.logicalId, target.template!.path, values.fill, role, { ...deps, onStderr }, redactor);
  // sam masks what it returns already; again here for any runSam that does not (the tail may be cut).
  const { redact, redactCut } = redactor;
  return {
    mode: 'local',
    function: { logicalId: fn.logicalId },
    ...withholdOutput(withRoleAwareNextStep(readOutcome({ mode: 'local', payloadText: redact(result.stdout), redact, logs: redactCut(result.stderrTail) }), role), secret),
    ...commonFields(options, prepared),
    redaction: secret.info,
  };
}

export async function prepareLocal(options: RunOptions, deps: LocalDeps, resolved?: InvokeTarget): Promise<LocalPreparation> {
  const target = resolved ?? (await resolveTarget(options, 'local'));
  const fn = target.fn!;
  const stack = options.stackName === undefined ? {} : await readStack(deps.cloudFormation, options.stackName);
  if (stack.problem) deps.reporter.warn(`${stack.problem}; running without the deployed values.`);
  const values = deployedValues(fn, stack.resources, { stackName: options.stackName, region: options.region });
  await addImportedValues(values, target, deps);
  const local = applyLocalOverrides(values, fn, options.envVars, deps.env ?? process.env, deps.reporter);
  for (const ref of dynamicReferences(fn)) deps.reporter.warn(`${ref.name} is the dynamic reference ${ref.reference}: CloudFormation resolves it at deploy time; locally it stays unresolved.`);
  const [secret, role] = await Promise.all([
    loadKnownSecret(maskedSecretId(options.secretId, secretIdFromEnvironment(values.known), templateSecretId(target)), options.redact, deps.secrets, deps.reporter),
    options.asDeployedRole ? deployedRole(target, options, stack.resources, deps) : Promise.resolve(undefined),
  ]);
  return { target, stack, values, local, secret, ...(role && { role }), redactor: redactorOf(secret) };
}

/**
 * What sam puts over the template's values, for the variables the template declares: the --env-vars
 * file, else the developer's shell (env-vars-file.ts). sam applies the shell itself in its container,
 * so a shell value only needs to reach `known` (for the secret's name) and host runs; a file value
 * goes into the run's own env-vars file too. Only names are reported.
 */
function applyLocalOverrides(values: DeployedValues, fn: TemplateFunction, file: EnvVarsFile | undefined, shell: NodeJS.ProcessEnv, reporter: Reporter): LocalPreparation['local'] {
  const declared: Record<string, string> = {};
  for (const variable of fn.environment) {
    declared[variable.name] = values.known[variable.name] ?? (!isUnresolved(variable.resolved) && typeof variable.raw === 'string' ? variable.raw : '');
  }
  const ids = [fn.logicalId, ...(typeof fn.functionName === 'string' ? [fn.functionName] : [])];
  const local = resolveLocalVariables({ declared, ids, shell, ...(file && { file }) });
  for (const name of local.fromShell) {
    values.known[name] = local.values[name]!;
    delete values.fill[name];
  }
  for (const name of local.fromFile) {
    values.known[name] = local.values[name]!;
    values.fill[name] = local.values[name]!;
  }
  if (local.fromShell.length) {
    reporter.warn(`${local.fromShell.join(', ')} ${local.fromShell.length === 1 ? 'comes' : 'come'} from your shell, not the template, as in sam local invoke; the deployed function gets the template's value.`);
  }
  return { ...(file && { envVarsFile: file.path }), fromFile: local.fromFile, fromShell: local.fromShell };
}

/** Fields a local run reports whichever runtime ran it. */
export function commonFields(options: RunOptions, prepared: LocalPreparation): Partial<InvokeRun> {
  const { stack, values, role, target, local } = prepared;
  const refs = dynamicReferences(target.fn!);
  return {
    ...(options.stackName !== undefined && {
      envParity: { stackName: options.stackName, filled: Object.keys(values.fill).filter((name) => !local.fromFile.includes(name)), ...(stack.problem && { warning: stack.problem }) },
    }),
    ...((local.envVarsFile !== undefined || local.fromShell.length > 0) && { localVariables: local }),
    ...(refs.length > 0 && { dynamicReferences: refs }),
    ...(role && {
      asDeployedRole: {
        roleArn: role.roleArn,
        method: role.method,
        ...(role.via && { via: role.via }),
        ...(role.sessionPolicies && { sessionPolicies: role.sessionPolicies }),
        ...(role.limits.length > 0 && { limits: role.limits }),
      },
    }),
  };
}

/**
 * A local denial normally means "your own credentials lack it"; under --as-deployed-role it is the
 * deployed failure reproduced, and the next step is the role's fix.
 */
export function withRoleAwareNextStep<T extends Pick<InvokeRun, 'classification'>>(outcome: T, role: DeployedRole | undefined): T {
  const code = outcome.classification?.code;
  if (!role || (code !== 'secret-access-denied' && code !== 'kms-access-denied')) return outcome;
  const how = role.method === 'assume-role' ? 'the deployed role' : "the deployed role's policies (emulated with session policies)";
  const nextStep = `This run used ${how}, so the deployed function is denied too: \`weather-secrets check-policy\` names the missing statement and the fix.`;
  return { ...outcome, classification: { ...outcome.classification!, nextStep } };
}

/** Fn::ImportValue variables get the export's value (ListExports); an export nobody has is a warning. */
async function addImportedValues(values: DeployedValues, target: InvokeTarget, deps: LocalDeps): Promise<void> {
  if (!deps.exports) return;
  try {
    const imported = await importedValues(target.fn!, target.ctx!, deps.exports);
    Object.assign(values.fill, imported.fill);
    Object.assign(values.known, imported.fill);
    for (const name of imported.missing) deps.reporter.warn(`No stack in this account and region exports ${name} (Fn::ImportValue): that variable stays empty locally.`);
  } catch (error) {
    deps.reporter.warn(`Could not read CloudFormation exports (${(error as Error).message}); Fn::ImportValue variables stay empty locally.`);
  }
}

/** Without the stack, `SECRET_ARN: !Ref OpenWeatherSecret` is unknown: the secret resource's Name still tells. */
function templateSecretId(target: InvokeTarget): string | undefined {
  const ref = findSecretReference(target.template!, target.fn!, target.ctx!);
  const candidate = ref?.resource ? ref.resource.name : ref?.value;
  return typeof candidate === 'string' && !hasSymbolicTokens(candidate) ? candidate : undefined;
}

async function deployedRole(target: InvokeTarget, options: RunOptions, resources: StackResource[] | undefined, deps: LocalDeps): Promise<DeployedRole> {
  const name = deployedFunctionName(target, options.stackName, resources);
  deps.reporter.progress(`Getting credentials for the execution role of ${name}...`);
  const [lambda, sts] = await Promise.all([deps.lambda(), deps.sts()]);
  const iam = deps.iam ?? (() => Promise.reject(new EnvironmentError('no IAM client is available', { code: 'no-iam-client' })));
  return assumeDeployedRole(name, { lambda, sts, iam, reporter: deps.reporter, ...(deps.viaRole && { viaRole: deps.viaRole }) });
}

/** Event and env-vars files live in a private dir for exactly as long as sam runs. */
async function runSamPrivately(
  options: RunOptions,
  logicalId: string,
  templatePath: string,
  fill: Record<string, string>,
  role: DeployedRole | undefined,
  deps: LocalDeps,
  redactor: Redactor,
): Promise<SamLocalInvokeResult> {
  const dir = await createPrivateDir(deps.tmpBase);
  const stderr = lineStreamRedactor(redactor, deps.onStderr);
  try {
    const eventPath = await dir.write('event.json', options.eventText);
    const envVarsPath = Object.keys(fill).length > 0 ? await dir.write('env-vars.json', envVarsDocument(logicalId, fill)) : undefined;
    deps.reporter.progress(`Running sam local invoke ${logicalId}...`);
    return await deps.runSam({
      logicalId,
      templatePath,
      eventPath,
      ...(envVarsPath !== undefined && { envVarsPath }),
      ...(Object.keys(options.parameterOverrides).length > 0 && { parameterOverrides: options.parameterOverrides }),
      region: options.region,
      // With the role's credentials a profile would make sam ignore them (botocore prefers the profile).
      ...(options.profile !== undefined && !role && { profile: options.profile }),
      ...(options.configEnv !== undefined && { configEnv: options.configEnv }),
      cwd: options.cwd,
      ...(role && { env: role.env }),
      onStderr: (line) => stderr.push(line),
      // For what sam keeps and puts in its errors (stderr tail, last words): a tail may be cut mid-value.
      redact: redactor.redactCut,
      ...(deps.signal && { signal: deps.signal }),
    });
  } finally {
    stderr.flush();
    await dir.remove();
  }
}
