/**
 * A local run through `sam local invoke`: the template's function, the deployed stack's values for the
 * variables sam cannot resolve, optionally the deployed role's credentials, and the known secret masked
 * in everything that comes back, including sam's stderr as it streams.
 */
import type { Reporter } from '../core/reporter.js';
import type { CloudFormationApi } from '../aws/cloudformation.js';
import type { LambdaApi } from '../aws/lambda.js';
import type { SecretsStore } from '../aws/secrets-manager.js';
import type { StsApi } from '../aws/sts.js';
import type { SamLocalInvokeOptions, SamLocalInvokeResult } from '../sam/cli.js';
import { assumeDeployedRole, type DeployedRole } from './deployed-role.js';
import { createPrivateDir, deployedValues, envVarsDocument } from './env-parity.js';
import { loadKnownSecret, redactorOf, secretIdFromEnvironment, withholdOutput } from './known-secret.js';
import { lineStreamRedactor, type Redactor } from './redact.js';
import { readOutcome, type InvokeRun, type RunOptions } from './run.js';
import { deployedFunctionName, readStack, resolveTarget, type InvokeTarget } from './target.js';
import type { StackResource } from '../aws/cloudformation.js';
import { findSecretReference, hasSymbolicTokens } from '../template/index.js';

export interface LocalDeps {
  reporter: Reporter;
  runSam: (options: SamLocalInvokeOptions) => Promise<SamLocalInvokeResult>;
  cloudFormation: () => Promise<CloudFormationApi>;
  lambda: () => Promise<LambdaApi>;
  sts: () => Promise<StsApi>;
  secrets: () => Promise<Pick<SecretsStore, 'getValue'>>;
  /** Each line of sam's stderr, already masked, as it arrives. */
  onStderr: (line: string) => void;
  signal?: AbortSignal;
  /** Where the private temp dir goes; the OS default otherwise. */
  tmpBase?: string;
}

export async function runLocal(options: RunOptions, deps: LocalDeps): Promise<InvokeRun> {
  const target = await resolveTarget(options, 'local');
  const fn = target.fn!;
  const stack = options.stackName === undefined ? {} : await readStack(deps.cloudFormation, options.stackName);
  if (stack.problem) deps.reporter.warn(`${stack.problem}; running without the deployed values.`);
  const values = deployedValues(fn, stack.resources, { stackName: options.stackName, region: options.region });
  const [secret, role] = await Promise.all([
    loadKnownSecret(options.secretId ?? secretIdFromEnvironment(values.known) ?? templateSecretId(target), options.redact, deps.secrets, deps.reporter),
    options.asDeployedRole ? deployedRole(target, options, stack.resources, deps) : Promise.resolve(undefined),
  ]);
  const redactor = redactorOf(secret);
  // Failing closed also means sam's stderr does not stream while the secret cannot be masked.
  const onStderr = secret.withhold ? () => undefined : deps.onStderr;
  const result = await runSamPrivately(options, fn.logicalId, target.template!.path, values.fill, role, { ...deps, onStderr }, redactor);
  // sam masks what it returns already; again here for any runSam that does not (the tail may be cut).
  const { redact, redactCut } = redactor;
  return {
    mode: 'local',
    function: { logicalId: fn.logicalId },
    ...withholdOutput(readOutcome({ mode: 'local', payloadText: redact(result.stdout), redact, logs: redactCut(result.stderrTail) }), secret),
    ...(options.stackName !== undefined && {
      envParity: { stackName: options.stackName, filled: Object.keys(values.fill), ...(stack.problem && { warning: stack.problem }) },
    }),
    ...(role && { asDeployedRole: { roleArn: role.roleArn } }),
    redaction: secret.info,
  };
}

/** Without the stack, `SECRET_ARN: !Ref OpenWeatherSecret` is unknown: the secret resource's Name still tells. */
function templateSecretId(target: InvokeTarget): string | undefined {
  const ref = findSecretReference(target.template!, target.fn!, target.ctx!);
  const candidate = ref?.resource ? ref.resource.name : ref?.value;
  return typeof candidate === 'string' && !hasSymbolicTokens(candidate) ? candidate : undefined;
}

async function deployedRole(target: InvokeTarget, options: RunOptions, resources: StackResource[] | undefined, deps: LocalDeps): Promise<DeployedRole> {
  const name = deployedFunctionName(target, options.stackName, resources);
  deps.reporter.progress(`Assuming the execution role of ${name}...`);
  const [lambda, sts] = await Promise.all([deps.lambda(), deps.sts()]);
  return assumeDeployedRole(name, lambda, sts);
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
