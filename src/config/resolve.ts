/**
 * Resolves where the tool talks to AWS, and says where each value came from, so `doctor` and
 * --verbose can show it. The order is sam's (measured with SAM CLI 1.170): samconfig values are the
 * defaults of sam's options, so for the region: --region, then samconfig (a command's table over
 * global), then AWS_DEFAULT_REGION, AWS_REGION, then the profile; for the profile: --profile, then
 * AWS_PROFILE, then samconfig. samconfig itself is found where sam finds it (see target/template.ts).
 */
import { UsageError } from '../core/errors.js';
import { parseParameterOverrides } from './parameter-overrides.js';
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
  configFile?: string;
  /** `--parameter-overrides`, in any form sam accepts; replaces samconfig's parameter_overrides. */
  parameterOverrides?: string;
}

export interface ResolvedParameterOverrides {
  values: Record<string, string>;
  /** `--parameter-overrides`, `samconfig.toml [default.deploy.parameters]`, or none. */
  source?: string;
  /** Files read through file:// references. */
  files: string[];
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
  parameterOverrides: ResolvedParameterOverrides;
  /** samconfig stack_name, when set. */
  stackName?: Sourced<string>;
}

export interface ResolveInputs {
  options: GlobalOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The folder sam reads samconfig from: the template's, for a --template given on the command line. */
  samconfigDir?: string;
  /** samconfig command tables this command reads, highest priority first, e.g. ['deploy']. */
  samCommands: readonly string[];
  /** Looks up `region` for a profile in the shared config files; injectable for tests. */
  profileRegion?: (profile: string | undefined) => Promise<Sourced<string> | undefined>;
}

export type SamSettings = Pick<ResolvedContext, 'configEnv' | 'samconfig' | 'samParameters' | 'samOrigin' | 'parameterOverrides' | 'stackName'>;

/** samconfig and the parameter values in force, without AWS settings (fix needs no region). */
export async function resolveSamSettings(inputs: Omit<ResolveInputs, 'env' | 'profileRegion'>): Promise<SamSettings> {
  const { options } = inputs;
  const configEnv = options.configEnv ?? 'default';
  const samconfig = await loadSamconfig(inputs.samconfigDir ?? inputs.cwd, options.configFile);
  if (options.configEnv && samconfig && !samconfig.envs[configEnv]) {
    throw new UsageError(`${samconfig.path} has no environment "${configEnv}".`, {
      code: 'samconfig-env-missing',
      hint: `Environments in it: ${Object.keys(samconfig.envs).join(', ') || 'none'}.`,
    });
  }
  const { parameters, origin } = samconfigParameters(samconfig, configEnv, inputs.samCommands);
  const stackName = sourced(stringParam(parameters.stack_name), origin.stack_name);
  return {
    configEnv,
    samconfig,
    samParameters: parameters,
    samOrigin: origin,
    parameterOverrides: resolveOverrides(options, parameters, origin, inputs.cwd),
    ...(stackName && { stackName }),
  };
}

export async function resolveContext(inputs: ResolveInputs): Promise<ResolvedContext> {
  const { options, env } = inputs;
  const settings = await resolveSamSettings(inputs);
  const { samParameters: parameters, samOrigin: origin } = settings;

  const profile =
    sourced(options.profile, '--profile') ??
    sourced(env.AWS_PROFILE, 'AWS_PROFILE') ??
    sourced(stringParam(parameters.profile), origin.profile);

  const region =
    sourced(options.region, '--region') ??
    sourced(stringParam(parameters.region), origin.region) ??
    // sam leaves the rest to botocore, which reads AWS_DEFAULT_REGION and ignores AWS_REGION (measured:
    // botocore 1.43 in SAM CLI 1.170). With only AWS_REGION set, sam has no region; the tool takes it.
    sourced(env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION') ??
    sourced(env.AWS_REGION, 'AWS_REGION') ??
    (await (inputs.profileRegion ?? regionFromProfile)(profile?.value));
  if (!region) {
    throw new UsageError('No AWS region is set.', {
      code: 'no-region',
      hint:
        'Set one with --region eu-central-1, the AWS_REGION environment variable, `region = "eu-central-1"` ' +
        'under [default.global.parameters] in samconfig.toml, or `region` in your AWS profile (aws configure).',
    });
  }

  return { ...settings, region, profile, endpointUrl: sourced(options.endpointUrl, '--endpoint-url') };
}

/** `--parameter-overrides` replaces samconfig's, as a command-line value replaces an option's default in sam. */
function resolveOverrides(options: GlobalOptions, parameters: SamconfigParameters, origin: Record<string, string>, cwd: string): ResolvedParameterOverrides {
  if (options.parameterOverrides !== undefined) {
    return { ...parseParameterOverrides(options.parameterOverrides, cwd), source: '--parameter-overrides' };
  }
  if (parameters.parameter_overrides === undefined) return { values: {}, files: [] };
  return { ...parseParameterOverrides(parameters.parameter_overrides, cwd), source: origin.parameter_overrides };
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
