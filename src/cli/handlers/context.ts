/**
 * Resolves what a command works on, once: the template (as sam picks it), then samconfig beside it,
 * then region/profile/endpoint and parameter overrides, each with where it came from.
 */
import { awsClientConfig, type AwsClientConfig } from '../../aws/config.js';
import { resolveContext, type ResolvedContext } from '../../config/resolve.js';
import { findTemplate, type TemplatePurpose, type TemplateLocation } from '../../target/template.js';
import { validateAwsInput } from '../../config/validate.js';
import type { Io } from '../io.js';

export interface CommandScope {
  /** samconfig tables the command reads, highest priority first, e.g. ['deploy']. */
  samCommands: readonly string[];
  /** `--template`, when the command takes one. */
  template?: string;
  /** What the template is for: judged/edited (the source) or run (what sam runs). */
  purpose?: TemplatePurpose;
}

export interface CommandContext {
  context: ResolvedContext;
  aws: AwsClientConfig;
  /** undefined when no template was named and none is in the working folder. */
  template?: TemplateLocation;
}

export async function resolveForCommand(io: Io, scope: CommandScope): Promise<CommandContext> {
  const template = findTemplate({ cwd: io.cwd, explicit: scope.template, envTemplateFile: io.env.SAM_TEMPLATE_FILE || undefined, purpose: scope.purpose ?? 'judge' });
  const context = await resolveContext({
    options: {
      region: io.flags.region,
      profile: io.flags.profile,
      endpointUrl: io.flags.endpointUrl,
      configEnv: io.flags.configEnv,
      configFile: io.flags.configFile,
      parameterOverrides: io.flags.parameterOverrides,
    },
    env: io.env,
    cwd: io.cwd,
    samconfigDir: template?.samconfigDir ?? io.cwd,
    samCommands: scope.samCommands,
  });
  validateAwsInput(io.flags, context);
  if (template) io.reporter.debug(`template ${template.display} (${template.reason})`);
  if (context.samconfig) io.reporter.debug(`samconfig ${context.samconfig.path}`);
  io.reporter.debug(`region ${context.region.value} (from ${context.region.source})`);
  if (context.profile) io.reporter.debug(`profile ${context.profile.value} (from ${context.profile.source})`);
  if (template?.buildNote) io.reporter.warn(template.buildNote.message);
  return { context, aws: awsClientConfig(context, io.env), template };
}
