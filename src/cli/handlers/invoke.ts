import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { AwsClientConfig } from '../../aws/config.js';
import { assertJsonEvent, invoke, type AccessExplanation, type InvokeDeps, type InvokeModeOption, type InvokeResult } from '../../commands/invoke.js';
import { renderInvoke } from '../render/invoke.js';
import type { Io } from '../io.js';
import { resolveForCommand, type CommandContext } from './context.js';
import { findTemplate, type TemplateLocation } from '../../target/template.js';
import type { Handler } from './types.js';

/** samconfig tables each mode reads, highest priority first (stack_name usually sits under deploy). */
const SAM_TABLES: Record<InvokeModeOption, string[]> = {
  local: ['local_invoke', 'deploy'],
  remote: ['remote_invoke', 'deploy'],
  compare: ['local_invoke', 'remote_invoke', 'deploy'],
};

export interface InvokeFlags {
  mode: InvokeModeOption;
  functionId?: string;
  /** A path, `-` for stdin, or undefined for `{}`. */
  event?: string;
  qualifier?: string;
  stackName?: string;
  templatePath?: string;
  secretId?: string;
  asDeployedRole: boolean;
  /** `--runtime host`: run the handler here instead of in sam's container. */
  runtime?: 'container' | 'host';
  /** `--via-role ARN`: the role to emulate the deployed role on. */
  viaRole?: string;
  /** `--env-vars FILE`: local runs only. */
  envVars?: string;
  redact: boolean;
}

export const handle: Handler = async (positional, options, io) => {
  const flags = normaliseInvokeOptions(positional, options);
  const eventText = await readEvent(flags.event, io);
  // Before any AWS call or sam run: a bad event is the user's to fix, exit 2.
  assertJsonEvent(eventText);
  const result = await runInvoke(flags, eventText, io);
  return { result, human: (style) => renderInvoke(result, style) };
};

/**
 * Resolves the context (unless the caller already has: doctor --invoke passes its own), builds the
 * dependencies and runs `invoke`, exactly as `invoke --compare` does for doctor.
 */
export async function runInvoke(flags: InvokeFlags, eventText: string, io: Io, resolved?: CommandContext): Promise<InvokeResult> {
  const { context, aws, template } = resolved ?? await resolveForCommand(io, { samCommands: SAM_TABLES[flags.mode], template: flags.templatePath, purpose: flags.mode === 'remote' ? 'judge' : 'run' });
  const stackName = flags.stackName ?? context.stackName?.value;
  const parameterOverrides = context.parameterOverrides.values;
  // As sam: --env-vars, else samconfig's env_vars (the local_invoke table), read before anything runs.
  const samEnvVars = context.samParameters.env_vars;
  const envVarsPath = flags.mode === 'remote' ? undefined : flags.envVars ?? (typeof samEnvVars === 'string' && samEnvVars !== '' ? samEnvVars : undefined);
  const envVars = envVarsPath === undefined ? undefined : await (await import('../../invoke/env-vars-file.js')).readEnvVarsFile(resolve(io.cwd, envVarsPath), envVarsPath);
  const deps = buildDeps(aws, io);
  if (flags.asDeployedRole) {
    const { chooseViaRole, profileRole } = await import('../../invoke/via-role.js');
    const profile = context.profile?.value;
    const fromProfile = await profileRole(profile).catch(() => undefined);
    const viaRole = chooseViaRole(flags.viaRole, fromProfile, profile, aws, async (config) => (await import('../../aws/sts.js')).createStsApi(config));
    if (viaRole) deps.viaRole = viaRole;
  }
  if (flags.mode === 'compare') {
    // check-policy judges the source template, as the command itself does.
    const judged = template?.origin === 'discovered' ? findTemplate({ cwd: io.cwd, purpose: 'judge' }) : template;
    const [{ explainAccessWith }, { liveClients }] = await Promise.all([import('../../commands/compose.js'), import('./check-policy.js')]);
    deps.explainAccess = explainAccessWith(
      { ...(flags.secretId !== undefined && { secretId: flags.secretId }), ...(stackName !== undefined && { stackName }) },
      { region: context.region.value, ...(judged && { template: judged }), parameterOverrides, clients: once(() => liveClients(aws)), reporter: io.reporter },
    );
  }
  return invoke(
    {
      mode: flags.mode,
      eventText,
      ...(flags.functionId !== undefined && { functionId: flags.functionId }),
      ...(flags.qualifier !== undefined && { qualifier: flags.qualifier }),
      ...(stackName !== undefined && { stackName }),
      ...(flags.templatePath !== undefined && { templatePath: flags.templatePath }),
      ...(io.env.SAM_TEMPLATE_FILE && { envTemplateFile: io.env.SAM_TEMPLATE_FILE }),
      ...(flags.secretId !== undefined && { secretId: flags.secretId }),
      asDeployedRole: flags.asDeployedRole,
      ...(flags.runtime !== undefined && { runtime: flags.runtime }),
      redact: flags.redact,
      cwd: io.cwd,
      region: context.region.value,
      ...(context.profile && { profile: context.profile.value }),
      ...(io.flags.configEnv !== undefined && { configEnv: io.flags.configEnv }),
      parameterOverrides,
      ...(envVars && { envVars }),
    },
    deps,
  );
}

/** Each client is built on first use only: a local run without a stack makes no AWS call but the secret read. */
function buildDeps(aws: AwsClientConfig, io: Io): InvokeDeps {
  return {
    reporter: io.reporter,
    runSam: async (samOptions) => (await import('../../sam/cli.js')).samLocalInvoke(samOptions),
    lambda: once(async () => (await import('../../aws/lambda.js')).createLambdaApi(aws)),
    cloudFormation: once(async () => (await import('../../aws/cloudformation.js')).createCloudFormationApi(aws)),
    sts: once(async () => (await import('../../aws/sts.js')).createStsApi(aws)),
    secrets: once(async () => (await import('../../aws/secrets-manager.js')).createSecretsStore(aws)),
    iam: once(async () => (await import('../../aws/iam.js')).createIamApi(aws)),
    exports: once(async () => (await import('../../aws/cloudformation.js')).createCloudFormationExportsApi(aws)),
    env: io.env,
    ...(aws.endpoint !== undefined && { endpointUrl: aws.endpoint }),
    onStderr: (line) => void io.stderr.write(line),
    signal: io.signal,
  };
}

/** Pure: commander's positional arguments and options to InvokeFlags. */
export function normaliseInvokeOptions(positional: string[], options: Record<string, unknown>): InvokeFlags {
  const modes = (['local', 'remote', 'compare'] as const).filter((mode) => options[mode] === true);
  if (modes.length > 1) {
    throw new UsageError(`Choose one of ${modes.map((m) => `--${m}`).join(', ')}.`, { code: 'conflicting-modes' });
  }
  if (options.asDeployedRole && modes[0] === 'remote') {
    throw new UsageError('--as-deployed-role applies to local runs (the deployed function always runs as its role).', { code: 'role-with-remote' });
  }
  const str = (key: string) => (typeof options[key] === 'string' ? (options[key] as string) : undefined);
  const runtime = runtimeOption(str('runtime'), modes[0]);
  if (str('envVars') !== undefined && modes[0] === 'remote') {
    throw new UsageError('--env-vars applies to local runs (the deployed function has its deployed values).', { code: 'env-vars-with-remote' });
  }
  if (str('viaRole') !== undefined && !options.asDeployedRole) {
    throw new UsageError('--via-role applies with --as-deployed-role.', { code: 'via-role-without-role' });
  }
  return {
    mode: modes[0] ?? 'local',
    ...(positional[0] !== undefined && { functionId: positional[0] }),
    ...(str('event') !== undefined && { event: str('event') }),
    ...(str('qualifier') !== undefined && { qualifier: str('qualifier') }),
    ...(str('stackName') !== undefined && { stackName: str('stackName') }),
    ...(str('template') !== undefined && { templatePath: str('template') }),
    ...(str('secretId') !== undefined && { secretId: str('secretId') }),
    asDeployedRole: Boolean(options.asDeployedRole),
    ...(runtime !== undefined && { runtime }),
    ...(str('viaRole') !== undefined && { viaRole: str('viaRole') }),
    ...(str('envVars') !== undefined && { envVars: str('envVars') }),
    redact: options.redact !== false,
  };
}

/** `--runtime container|host`; host runs apply to local runs (and the local side of --compare). */
function runtimeOption(value: string | undefined, mode: InvokeModeOption | undefined): 'container' | 'host' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'container' && value !== 'host') {
    throw new UsageError(`--runtime must be container or host, not ${value}.`, { code: 'bad-runtime' });
  }
  if (mode === 'remote') throw new UsageError('--runtime applies to local runs (the deployed function runs in Lambda).', { code: 'runtime-with-remote' });
  return value;
}

async function readEvent(event: string | undefined, io: Io): Promise<string> {
  if (event === undefined) return '{}';
  try {
    if (event === '-') return await readStream(io.stdin);
    return await readFile(resolve(io.cwd, event), 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the event ${event === '-' ? 'from stdin' : event}: ${(error as Error).message}`, { code: 'event-unreadable', cause: error });
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
