/**
 * The argv of `sam local invoke`, built from options. Pure, so a test can hand it to the real SAM CLI's
 * parser (test/sam/real-sam-args.test.ts) and another can check it token by token.
 *
 * Credentials never appear here: they travel in the child's environment only, where `ps` and shell
 * history cannot see them.
 */
import { UsageError } from '../core/errors.js';

export interface LocalInvokeArgs {
  logicalId: string;
  templatePath: string;
  eventPath: string;
  envVarsPath?: string;
  parameterOverrides?: Record<string, string>;
  region?: string;
  profile?: string;
  configEnv?: string;
}

export function buildLocalInvokeArgv(options: LocalInvokeArgs): string[] {
  // The logical ID goes first: `--parameter-overrides` takes every following token up to the next
  // option (samcli OptionNargs), so a positional after it would be swallowed as an override.
  const argv = ['local', 'invoke', options.logicalId, '--template', options.templatePath, '--event', options.eventPath];
  if (options.envVarsPath !== undefined) argv.push('--env-vars', options.envVarsPath);
  const overrides = Object.entries(options.parameterOverrides ?? {});
  if (overrides.length > 0) {
    argv.push('--parameter-overrides', ...overrides.map(([key, value]) => formatParameterOverride(key, value)));
  }
  if (options.region !== undefined) argv.push('--region', options.region);
  if (options.profile !== undefined) argv.push('--profile', options.profile);
  if (options.configEnv !== undefined) argv.push('--config-env', options.configEnv);
  return argv;
}

/**
 * One `Key=Value` token in the form samcli's CfnParameterOverridesType reads (samcli/cli/types.py):
 * the key is `[A-Za-z0-9]+` (CloudFormation parameter names are alphanumeric); an unquoted value ends at
 * a space, so any value with a space, quote or backslash is wrapped in double quotes with `"` escaped as
 * `\"`. sam then strips the quotes and turns `\"`, `\'` and `\ ` back into the character.
 */
export function formatParameterOverride(key: string, value: string): string {
  if (!/^[A-Za-z0-9]+$/.test(key)) {
    throw new UsageError(`Parameter name ${JSON.stringify(key)} is not a CloudFormation parameter name.`, {
      code: 'invalid-parameter-name',
      hint: 'Parameter names use only letters and digits, as in the template’s Parameters section.',
    });
  }
  // sam unescapes `\'` and `\ ` too and reads a trailing `\` as escaping the closing quote: such a
  // value would reach the template changed, so refuse it rather than pass something else.
  if (/\\(['" ]|$)/.test(value)) {
    throw new UsageError(`The value of parameter ${key} cannot be passed to sam unchanged (a backslash before a quote, a space or the end).`, {
      code: 'invalid-parameter-value',
      hint: 'Put the value in samconfig.toml’s parameter_overrides, or change it.',
    });
  }
  if (value !== '' && !/[\s"'\\]/.test(value)) return `${key}=${value}`;
  return `${key}="${value.replaceAll('"', '\\"')}"`;
}
