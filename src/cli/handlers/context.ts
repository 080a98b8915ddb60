/** Resolves region/profile/endpoint for a command from its flags, environment and samconfig. */
import { awsClientConfig, type AwsClientConfig } from '../../aws/config.js';
import { resolveContext, type ResolvedContext } from '../../config/resolve.js';
import { validateAwsInput } from '../../config/validate.js';
import type { Io } from '../io.js';

export async function resolveForCommand(io: Io, samCommands: readonly string[]): Promise<{ context: ResolvedContext; aws: AwsClientConfig }> {
  const context = await resolveContext({
    options: { region: io.flags.region, profile: io.flags.profile, endpointUrl: io.flags.endpointUrl, configEnv: io.flags.configEnv },
    env: io.env,
    cwd: io.cwd,
    samCommands,
  });
  validateAwsInput(io.flags, context);
  io.reporter.debug(`region ${context.region.value} (from ${context.region.source})`);
  if (context.profile) io.reporter.debug(`profile ${context.profile.value} (from ${context.profile.source})`);
  return { context, aws: awsClientConfig(context, io.env) };
}
