/** `check-policy --all` / `--all-functions`: the scan, rendered as a table, JSON, SARIF, JUnit or GitHub annotations. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { once } from '../../core/once.js';
import { SCHEMA_VERSION } from '../../core/findings.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkPolicyAll } from '../../commands/check-policy-all.js';
import type { FailOn, ScanResult } from '../../check/scan.js';
import type { LiveScanClients } from '../../check/scan-live.js';
import type { AwsClientConfig } from '../../aws/config.js';
import { lazyApi } from '../../aws/lazy.js';
import { renderGithub, renderJunit, renderSarif, renderScanTable, type ScanFormat } from '../render/check-policy-all.js';
import { resolveForCommand } from './context.js';
import type { HandlerOutcome } from './types.js';
import type { Io } from '../io.js';

const FORMATS: ScanFormat[] = ['human', 'json', 'sarif', 'junit', 'github'];
const package_ = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string; homepage?: string };

export async function handleAll(positional: string[], options: Record<string, unknown>, io: Io): Promise<HandlerOutcome> {
  const format = scanFormat(options, io);
  const failOn = failOnOf(options.failOn);
  if (positional[0] || options.function) throw new UsageError('--all checks every function: drop the function name, or drop --all.', { code: 'usage' });
  if (options.allFunctions && options.stackName) throw new UsageError('--all-functions checks the whole region: drop --stack-name, or use --all.', { code: 'usage' });
  const live = Boolean(options.allFunctions || (options.stackName && !options.static));
  // --template may name a folder (cdk.out) here; samconfig is then read as without one.
  const templateFile = typeof options.template === 'string' && isFile(resolve(io.cwd, options.template)) ? options.template : undefined;
  const { context, aws } = await resolveForCommand(io, { samCommands: ['deploy'], template: templateFile });
  const showProgress = live && Boolean(io.stderr.isTTY) && !io.flags.json && format === 'human';
  const result = await checkPolicyAll(
    { templatePath: options.template as string | undefined, stackName: live ? (options.stackName as string | undefined) : undefined, allFunctions: Boolean(options.allFunctions), failOn },
    {
      region: context.region.value,
      cwd: io.cwd,
      envTemplateFile: io.env.SAM_TEMPLATE_FILE,
      parameterOverrides: context.parameterOverrides.values,
      clients: once(() => liveScanClients(aws)),
      reporter: io.reporter,
      ...(showProgress ? { progress: (done: number, total: number) => io.stderr.write(`\r${done} of ${total} functions${done === total ? '\n' : ''}`) } : {}),
    },
  );
  return { result, human: (style) => (format === 'human' ? renderScanTable(result, style) : formatted(result, format)) };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function formatted(result: ScanResult, format: ScanFormat): string {
  if (format === 'sarif') return renderSarif(result, { version: package_.version, readmeUrl: readmeUrl() });
  if (format === 'junit') return renderJunit(result);
  if (format === 'github') return renderGithub(result);
  return JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...result }, null, 2);
}

/** The README on the project's home page: where every SARIF rule's help link points. */
function readmeUrl(): string {
  return `${(package_.homepage ?? 'https://github.com/weather-secrets/weather-secrets#readme').replace(/#readme$/, '')}/blob/main/README.md`;
}

function scanFormat(options: Record<string, unknown>, io: Io): ScanFormat {
  const format = (options.format as string | undefined) ?? 'human';
  if (!FORMATS.includes(format as ScanFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}.`, { code: 'usage' });
  if (io.flags.json && format !== 'human' && format !== 'json') throw new UsageError(`--json and --format ${format} both set the output: pick one.`, { code: 'usage' });
  return format as ScanFormat;
}

function failOnOf(value: unknown): FailOn {
  if (value === undefined) return 'undetermined';
  if (value === 'denied' || value === 'undetermined') return value;
  throw new UsageError('--fail-on must be denied or undetermined.', { code: 'usage' });
}

async function liveScanClients(config: AwsClientConfig): Promise<LiveScanClients> {
  // Many calls at once: back off on throttling unless the user chose a retry mode.
  const aws: AwsClientConfig = { ...config, defaultRetryMode: 'adaptive' };
  return {
    lambda: lazyApi(async () => (await import('../../aws/lambda.js')).createLambdaApi(aws)),
    iam: lazyApi(async () => (await import('../../aws/iam.js')).createIamApi(aws)),
    secrets: lazyApi(async () => (await import('../../aws/secrets-manager.js')).createSecretsStore(aws)),
    kms: lazyApi(async () => (await import('../../aws/kms.js')).createKmsApi(aws)),
    ec2: lazyApi(async () => (await import('../../aws/ec2.js')).createEc2Api(aws)),
    stacks: lazyApi(async () => (await import('../../aws/cloudformation.js')).createCloudFormationApi(aws)),
    functions: lazyApi(async () => (await import('../../aws/lambda-list.js')).createFunctionLister(aws)),
  };
}
