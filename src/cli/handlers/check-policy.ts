import { UsageError } from '../../core/errors.js';
import { once } from '../../core/once.js';
import { checkPolicy, type CheckPolicyOptions, type LiveClients } from '../../commands/check-policy.js';
import type { AwsClientConfig } from '../../aws/config.js';
import { lazyApi } from '../../aws/lazy.js';
import { renderCheckPolicy } from '../render/check-policy.js';
import { resolveForCommand } from './context.js';
import type { Handler } from './types.js';

export const handle: Handler = async (positional, options, io) => {
  if (options.all || options.allFunctions) return (await import('./check-policy-all.js')).handleAll(positional, options, io);
  if (options.format !== undefined || options.failOn !== undefined) throw new UsageError('--format and --fail-on go with --all or --all-functions.', { code: 'usage' });
  const checkOptions = normaliseCheckPolicyOptions(options, positional);
  const { context, aws, template } = await resolveForCommand(io, { samCommands: ['deploy'], template: checkOptions.templatePath });
  const result = await checkPolicy(checkOptions, {
    region: context.region.value,
    template,
    parameterOverrides: context.parameterOverrides.values,
    samconfigStackName: context.stackName?.value,
    clients: once(() => liveClients(aws)),
    reporter: io.reporter,
  });
  return { result, human: (style) => renderCheckPolicy(result, style) };
};

export function normaliseCheckPolicyOptions(options: Record<string, unknown>, positional: string[] = []): CheckPolicyOptions {
  if (positional[0] && options.function && positional[0] !== options.function) {
    throw new UsageError(`Two functions given: ${positional[0]} and --function ${String(options.function)}.`, { code: 'function-twice' });
  }
  return {
    functionName: (options.function as string | undefined) ?? positional[0],
    secretId: options.secretId as string | undefined,
    templatePath: options.template as string | undefined,
    stackName: options.stackName as string | undefined,
    static: Boolean(options.static),
  };
}

/** Each client module is imported only when a check first calls it: no KMS client without a customer-managed key. */
export async function liveClients(aws: AwsClientConfig): Promise<LiveClients> {
  return {
    lambda: lazyApi(async () => (await import('../../aws/lambda.js')).createLambdaApi(aws)),
    iam: lazyApi(async () => (await import('../../aws/iam.js')).createIamApi(aws)),
    secrets: lazyApi(async () => (await import('../../aws/secrets-manager.js')).createSecretsStore(aws)),
    kms: lazyApi(async () => (await import('../../aws/kms.js')).createKmsApi(aws)),
    ec2: lazyApi(async () => (await import('../../aws/ec2.js')).createEc2Api(aws)),
    cloudformation: lazyApi(async () => (await import('../../aws/cloudformation.js')).createCloudFormationApi(aws)),
    organizations: lazyApi(async () => (await import('../../aws/organizations.js')).createOrganizationsApi(aws)),
  };
}
