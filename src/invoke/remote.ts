/**
 * A deployed run through the Lambda API: Invoke (RequestResponse, LogType Tail) with the function's
 * configuration fetched alongside. The configuration is also the existence check: moto answers Invoke
 * with 200 for a function that does not exist, while GetFunctionConfiguration reports it missing
 * (as AWS's Invoke would, with ResourceNotFoundException).
 */
import { EnvironmentError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import type { CloudFormationApi } from '../aws/cloudformation.js';
import type { FunctionConfiguration, InvokeResponse, LambdaApi } from '../aws/lambda.js';
import type { SecretsStore } from '../aws/secrets-manager.js';
import { decodeLogResult } from './logs.js';
import { loadKnownSecret, maskedSecretId, redactorOf, secretIdFromEnvironment, withholdOutput } from './known-secret.js';
import type { Redactor } from './redact.js';
import { readOutcome, type InvokeRun, type RunOptions } from './run.js';
import { deployedFunctionName, resolveTarget } from './target.js';

export interface RemoteDeps {
  reporter: Reporter;
  lambda: () => Promise<LambdaApi>;
  cloudFormation: () => Promise<CloudFormationApi>;
  secrets: () => Promise<Pick<SecretsStore, 'getValue'>>;
  signal?: AbortSignal;
}

export async function runRemote(options: RunOptions, deps: RemoteDeps): Promise<InvokeRun> {
  const target = await resolveTarget(options, 'remote');
  // A CloudFormation error (denied, throttled, unreachable) is that error, not "no deployed function".
  const resources = target.fn && options.stackName !== undefined ? await (await deps.cloudFormation()).stackResources(options.stackName) : undefined;
  const name = deployedFunctionName(target, options.stackName, resources);
  const lambda = await deps.lambda();
  deps.reporter.progress(`Invoking ${name}${options.qualifier ? `:${options.qualifier}` : ''}...`);
  const [config, response] = await Promise.allSettled([
    lambda.getFunctionConfiguration(name, options.qualifier),
    lambda.invoke({ functionName: name, payload: options.eventText, ...(options.qualifier && { qualifier: options.qualifier }) }, deps.signal),
  ]);
  if (config.status === 'fulfilled' && config.value === undefined) throw await functionNotFound(name, options.qualifier, lambda);
  // Invoke's own error (AccessDenied on lambda:InvokeFunction, throttling) says more than the config's.
  if (response.status === 'rejected') throw response.reason;
  // May invoke but not read the configuration: the run stands, only the VPC hint and the secret's name are lost.
  if (config.status === 'rejected') deps.reporter.warn(`Could not read the configuration of ${name}: ${(config.reason as Error).message}`);
  const configuration = config.status === 'fulfilled' ? config.value : undefined;
  const secretId = maskedSecretId(options.secretId, secretIdFromEnvironment(configuration?.environment ?? {}));
  const secret = await loadKnownSecret(secretId, options.redact, deps.secrets, deps.reporter);
  return {
    ...withholdOutput(describeResponse(name, configuration, response.value, redactorOf(secret), target.fn?.logicalId), secret),
    redaction: secret.info,
  };
}

function describeResponse(name: string, config: FunctionConfiguration | undefined, response: InvokeResponse, redactor: Redactor, logicalId?: string): InvokeRun {
  return {
    mode: 'remote',
    function: { ...(logicalId && { logicalId }), name },
    statusCode: response.statusCode,
    ...(response.functionError && { functionError: response.functionError }),
    ...(response.executedVersion && { executedVersion: response.executedVersion }),
    ...readOutcome({
      mode: 'remote',
      payloadText: redactor.redact(response.payload),
      redact: redactor.redact,
      // LogResult is the log's last 4 KB: its first line may begin partway through a value.
      logs: redactor.redactCut(decodeLogResult(response.logResult)),
      ...(response.functionError && { functionError: response.functionError }),
      ...(config && { vpcConfigured: config.vpc !== undefined }),
    }),
  };
}

/** Names the functions that do exist, so a typo or a wrong region shows at once. */
async function functionNotFound(name: string, qualifier: string | undefined, lambda: LambdaApi): Promise<EnvironmentError> {
  const names = await lambda.listFunctionNames(50).catch(() => undefined);
  const listed = names === undefined ? 'could not list them' : names.length > 0 ? names.join(', ') : 'none';
  return new EnvironmentError(`No deployed function ${name}${qualifier ? ` (qualifier ${qualifier})` : ''} in this account and region.`, {
    code: 'function-not-found',
    hint: `Functions in this region: ${listed}. Check the name, --region and --stack-name.`,
  });
}
