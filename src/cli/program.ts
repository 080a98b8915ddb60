/**
 * The commander program: global options, the commands and their options, and help text. Actions are
 * thin: they lazy-load the command's handler (so --help and --version load no AWS SDK) and run it.
 */
import { Command, Option } from 'commander';
import type { Handler } from './handlers/types.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0    success (the check passed, the function succeeded)
  1    a check found a problem, or the invoked function failed
  2    usage error or bad input; nothing was written
  3    AWS or environment error (credentials, network, throttling, a missing tool)
  130  interrupted`;

export type HandlerName = 'put' | 'check-policy' | 'invoke' | 'doctor' | 'fix';
export type RunHandler = (name: HandlerName, load: () => Promise<{ handle: Handler }>, command: Command) => Promise<void>;

export function buildProgram(version: string, run: RunHandler): Command {
  const program = new Command('weather-secrets')
    .description('Store the API key your SAM Lambda function reads from Secrets Manager, and prove the deployed function can read it.')
    .version(version, '-V, --version')
    .option('--region <region>', 'AWS region (else AWS_REGION, samconfig, your profile)')
    .option('--profile <name>', 'AWS profile (else AWS_PROFILE, samconfig, the default chain)')
    .option('--endpoint-url <url>', 'send AWS calls to this endpoint (e.g. a local emulator)')
    .option('--config-env <env>', 'samconfig environment to read (default: "default")')
    .option('--json', 'print one JSON document on stdout')
    .option('--no-color', 'no colours in output')
    .option('--verbose', 'more detail on stderr, and stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();

  program
    .command('put')
    .description('Create or update the secret, setting one key of its JSON object. The value comes from stdin, a hidden prompt, or --from-env; never from the command line.')
    .option('--secret-id <name|arn>', 'the secret', 'openweatherapi')
    .option('--key <name>', 'the key inside the secret\'s JSON object', 'OPENWEATHER_API_KEY')
    .option('--from-env <var>', 'read the value from this environment variable')
    .option('--description <text>', 'description, when creating')
    .option('--kms-key-id <key>', 'customer-managed KMS key, when creating')
    .option('--tag <key=value>', 'tag, when creating (repeatable)', collect, [])
    .option('--replace', 'overwrite a secret that is not a JSON object')
    .option('--restore', 'restore a secret scheduled for deletion, then write')
    .option('--verify', 'check the key with OpenWeather before storing it')
    .option('--dry-run', 'say what would change, write nothing')
    .addOption(new Option('--value [value]', 'refused: see --help').hideHelp())
    .addHelpText('after', `\nExamples:\n  printf %s "$OPENWEATHER_API_KEY" | weather-secrets put\n  weather-secrets put --key OTHER_KEY --from-env OTHER_KEY --dry-run\n${EXIT_CODES_HELP}`)
    .action((_options, command: Command) => run('put', () => import('./handlers/put.js'), command));

  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
