/**
 * Resolves where the tool talks to AWS, and says where each value came from, so `doctor` and
 * --verbose can show it. Precedence: flag > environment > samconfig > the profile's config file.
 */
import { UsageError } from '../core/errors.js';
import { loadSamconfig, samconfigParameters, type Samconfig, type SamconfigParameters } from './samconfig.js';

export interface Sourced<T> {
  value: T;
  /** e.g. `--region`, `AWS_REGION`, `samconfig.toml [default.deploy.parameters]`, `profile dev in ~/.aws/config` */
  source: string;
}

export interface GlobalOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  configEnv?: string;
}

export interface ResolvedContext {
  region: Sourced<string>;
  profile?: Sourced<string>;
  endpointUrl?: Sourced<string>;
  configEnv: string;
  samconfig?: Samconfig;
  /** samconfig parameters in force for this command (global overlaid by the command's own table). */
  samParameters: SamconfigParameters;
  samOrigin: Record<string, string>;
}

export interface ResolveInputs {
  options: GlobalOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** samconfig command tables this command reads, highest priority first, e.g. ['deploy']. */
  samCommands: readonly string[];
  /** Looks up `region` for a profile in the shared config files; injectable for tests. */
  profileRegion?: (profile: string | undefined) => Promise<Sourced<string> | undefined>;
}

export async function resolveContext(inputs: ResolveInputs): Promise<ResolvedContext> {
  const { options, env } = inputs;
  const configEnv = options.configEnv ?? 'default';
  const samconfig = await loadSamconfig(inputs.cwd);
  if (options.configEnv && samconfig && !samconfig.envs[configEnv]) {
    throw new UsageError(`${samconfig.path} has no environment "${configEnv}".`, {
      code: 'samconfig-env-missing',
      hint: `Environments in it: ${Object.keys(samconfig.envs).join(', ') || 'none'}.`,
    });
  }
  const { parameters, origin } = samconfigParameters(samconfig, configEnv, inputs.samCommands);

  const profile =
    sourced(options.profile, '--profile') ??
    sourced(env.AWS_PROFILE, 'AWS_PROFILE') ??
    sourced(stringParam(parameters.profile), origin.profile);

  const region =
    sourced(options.region, '--region') ??
    sourced(env.AWS_REGION, 'AWS_REGION') ??
    sourced(env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION') ??
    sourced(stringParam(parameters.region), origin.region) ??
    (await (inputs.profileRegion ?? regionFromProfile)(profile?.value));
  if (!region) {
    throw new UsageError('No AWS region is set.', {
      code: 'no-region',
      hint:
        'Set one with --region eu-central-1, the AWS_REGION environment variable, `region = "eu-central-1"` ' +
        'under [default.global.parameters] in samconfig.toml, or `region` in your AWS profile (aws configure).',
    });
  }

  return {
    region,
    profile,
    endpointUrl: sourced(options.endpointUrl, '--endpoint-url'),
    configEnv,
    samconfig,
    samParameters: parameters,
    samOrigin: origin,
  };
}

/** The `region` of a profile in ~/.aws/config (or AWS_CONFIG_FILE), as the SDK would read it. */
export async function regionFromProfile(profile: string | undefined): Promise<Sourced<string> | undefined> {
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const name = profile ?? 'default';
  const { configFile } = await loadSharedConfigFiles();
  const value = configFile[name]?.region;
  return value ? { value, source: `profile "${name}" in the AWS config file` } : undefined;
}

function sourced(value: string | undefined, source: string | undefined): Sourced<string> | undefined {
  return value && value.trim() !== '' ? { value: value.trim(), source: source ?? 'samconfig' } : undefined;
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
