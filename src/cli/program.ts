/**
 * The commander program: global options, the commands and their options, and help text. Actions are
 * thin: they lazy-load the command's handler (so --help and --version load no AWS SDK) and run it.
 */
import { Argument, Command, Option } from 'commander';
import type { Handler } from './handlers/types.js';

/** Help is wrapped at this many columns, or at a narrower terminal's (main.ts); entry.cts caches it at this width. */
export const HELP_WIDTH = 80;

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
    .option('--region <region>', 'AWS region (else samconfig, AWS_DEFAULT_REGION, AWS_REGION, your profile)')
    .option('--profile <name>', 'AWS profile (else AWS_PROFILE, samconfig, the default chain)')
    .option('--endpoint-url <url>', 'send AWS calls to this endpoint (e.g. a local emulator)')
    .option('--config-env <env>', 'samconfig environment to read (default: "default")')
    .option('--config-file <path>', "samconfig file to read (relative paths from the template's folder, as sam does)")
    .option('--parameter-overrides <overrides>', 'template parameter values, as sam takes them (Key=Value ..., or file://params.yaml); replaces samconfig\'s')
    .option('--json', 'print one JSON document on stdout')
    .option('--no-color', 'no colours in output')
    .option('--verbose', 'more detail on stderr, and stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    // Every command's --help lists the global options too (subcommands inherit this setting).
    .configureHelp({ showGlobalOptions: true })
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

  program
    .command('invoke')
    .description('Run the function locally through `sam local invoke`, deployed through the Lambda API, or both side by side, and say why they differ.')
    .argument('[function]', 'template logical ID, or deployed name/ARN (may be omitted when the template has one function)')
    .option('--local', 'run it through `sam local invoke` (the default)')
    .option('--remote', 'invoke the deployed function')
    .option('--compare', 'run both and show them side by side')
    .option('--event <file|->', 'the event JSON (a file, or - for stdin); {} when omitted')
    .option('--qualifier <version|alias>', 'version or alias to invoke (deployed)')
    .option('--stack-name <name>', 'the deployed stack (else samconfig stack_name)')
    .option('--template <path>', 'the SAM template (else found the way sam finds it)')
    .option('--secret-id <name|arn>', 'the secret whose values are masked in output (else the one the function names)')
    .option('--as-deployed-role', 'run locally with the deployed execution role\'s credentials (STS AssumeRole), or emulate them with session policies')
    .option('--via-role <arn>', 'with --as-deployed-role: the role you may assume to emulate the deployed role on (else the profile\'s role_arn)')
    .option('--runtime <container|host>', 'local runs: sam\'s container (the default), or host: a child process here, no Docker needed')
    .option('--env-vars <file>', 'local runs: variable values as for sam local invoke --env-vars (else samconfig env_vars)')
    .option('--no-redact', 'show the secret\'s values where they appear in the payload or logs')
    .addHelpText('after', `\nExamples:\n  weather-secrets invoke --event events/event.json\n  weather-secrets invoke --compare --stack-name weather\n  weather-secrets invoke WeatherFunction --as-deployed-role\n  weather-secrets invoke --runtime host --as-deployed-role --via-role arn:aws:iam::123456789012:role/Developer\n${EXIT_CODES_HELP}`)
    .action((_function, _options, command: Command) => run('invoke', () => import('./handlers/invoke.js'), command));

  program
    .command('check-policy')
    .argument('[function]', 'same as --function')
    .description("Prove whether the deployed function's role can read the secret (live), or whether the template grants it (--static); if not, say exactly why and how to fix it.")
    .option('--function <name|arn|logicalId>', 'deployed function name or ARN, or the template logical ID (optional with one function)')
    .option('--secret-id <name|arn>', "the secret (else the function's environment, else openweatherapi)")
    .option('--template <path>', 'SAM template (default: as sam finds it)')
    .option('--stack-name <name>', 'stack to resolve a logical ID (else samconfig stack_name)')
    .option('--static', 'judge from the template alone, with no AWS call')
    .option('--all', 'every function × every secret it reads: of the templates (SAM, CloudFormation, cdk.out, .serverless), or live of --stack-name')
    .option('--all-functions', 'live: every function in the region (ListFunctions)')
    .option('--format <format>', 'with --all: human, json, sarif, junit or github (annotations)')
    .option('--fail-on <verdict>', 'with --all: exit 1 on "denied" only, or also on "undetermined" (the default)')
    .addHelpText('after', `\nExamples:\n  weather-secrets check-policy --static\n  weather-secrets check-policy --all --template cdk.out --format sarif > results.sarif\n  weather-secrets check-policy --all --stack-name openweather-demo --fail-on denied\n  weather-secrets check-policy --function WeatherFunction --stack-name openweather-demo\n  weather-secrets check-policy --function my-deployed-fn --secret-id openweatherapi --json\n\nExit codes: 0 the role can read the secret, 1 it cannot, 2 usage or malformed template,\n3 could not be determined (AWS error, no permission to look, a condition it cannot evaluate).`)
    .action((_function, _options, command: Command) => run('check-policy', () => import('./handlers/check-policy.js'), command));

  program
    .command('fix')
    .description('Edit the SAM template so the function\'s role may read the secret: prints a diff, or writes it with --write. No AWS access needed.')
    .argument('[function]', 'template logical ID (may be omitted when the template has one function)')
    .option('--secret-id <name|arn>', 'the secret (else the one the function names, else openweatherapi)')
    .option('--template <path>', 'the SAM template (else template.yaml/.yml/.json here)')
    .option('--kms-key-id <key>', 'customer-managed KMS key the secret is encrypted with, when the template does not say')
    .option('--write', 'write the change (else only print the diff)')
    .addHelpText('after', `\nExamples:\n  weather-secrets fix\n  weather-secrets fix WeatherFunction --write\n  weather-secrets fix --secret-id prod/openweather --template infra/template.yaml\n\nExit codes: 0 a diff was printed, the change written, or nothing to do; 2 the template cannot be edited safely (the reason is printed).`)
    .action((_function, _options, command: Command) => run('fix', () => import('./handlers/fix.js'), command));

  program
    .command('doctor')
    .argument('[function]', 'template logical ID or deployed name (optional with one function)')
    .description('Walk the whole chain (who and where, template, deployed function, secret, permissions, network) and name the root cause and its fix.')
    .option('--secret-id <name|arn>', "the secret (else the function's environment, else openweatherapi)")
    .option('--key <name>', 'the key the function expects in the secret', 'OPENWEATHER_API_KEY')
    .option('--template <path>', 'SAM template (default: as sam finds it)')
    .option('--stack-name <name>', 'stack to resolve a logical ID (else samconfig stack_name)')
    .option('--invoke', 'also run the function locally and deployed (invoke --compare)')
    .addHelpText('after', '\nExamples:\n  weather-secrets doctor\n  weather-secrets doctor WeatherFunction --stack-name openweather-demo\n  weather-secrets doctor my-deployed-fn --secret-id prod/openweather --invoke\n\nExit codes: 0 all good, 1 a problem found, 3 something could not be checked.')
    .action((_function, _options, command: Command) => run('doctor', () => import('./handlers/doctor.js'), command));

  program
    .command('completion')
    .description('Print a shell completion script: commands and their options.')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', `\nExamples:\n  weather-secrets completion bash > ~/.local/share/bash-completion/completions/weather-secrets\n  weather-secrets completion zsh > "\${fpath[1]}/_weather-secrets"\n  weather-secrets completion fish > ~/.config/fish/completions/weather-secrets.fish`)
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./completion.js');
      process.stdout.write(completionScript(shell, program));
    });

  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
