/**
 * `invoke --local` end to end: the built CLI as a child process, the stand-in sam on PATH (there is no
 * container runtime here), moto for the stack and the secret. Every run checks the canary never shows.
 */
import { execa } from 'execa';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { allOutput, BIN, runCli, type CliRun } from '../support/cli.js';
import { resetMoto } from '../support/moto.js';
import { CANARY, deployFunction, deployStack, ECHO_SAM_DIR, makeProject, readRecord, samEnv, seedSecret, STANDIN_DIR } from '../invoke/invoke-fixtures.js';

let recordFile: string;
beforeEach(async () => {
  await resetMoto();
  recordFile = join(await mkdtemp(join(tmpdir(), 'ws-record-')), 'record.json');
});

async function local(args: string[], scenario: string, options: { cwd?: string; extra?: Record<string, string | undefined>; input?: string; samDir?: string } = {}): Promise<CliRun> {
  const cwd = options.cwd ?? (await makeProject());
  const env = samEnv(options.samDir ?? STANDIN_DIR, { SAM_STANDIN_RECORD: recordFile, SAM_STANDIN_SCENARIO: scenario, ...options.extra });
  const run = await runCli(['invoke', ...args], { env, cwd, input: options.input });
  expect(allOutput(run)).not.toContain(CANARY);
  return run;
}

function recordedArgv(): string[] {
  return readRecord(recordFile)!.argv;
}

describe('invoke --local through sam', () => {
  it('succeeds (exit 0) with exactly the argv sam needs, and the event file is gone afterwards', async () => {
    const cwd = await makeProject();
    const run = await local([], 'success', { cwd });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('OpenWeatherFunction locally: succeeded');
    expect(run.stdout).toContain('131.88 ms');
    expect(run.stdout).toContain('"city\\": \\"Oslo');
    expect(run.stderr).toContain('START RequestId'); // sam's stderr streamed through
    const argv = recordedArgv();
    expect(argv).toEqual(['local', 'invoke', 'OpenWeatherFunction', '--template', join(cwd, 'template.yaml'), '--event', expect.stringMatching(/weather-secrets-invoke-.*\/event\.json$/), '--region', 'eu-central-1']);
    expect(existsSync(argv[6]!)).toBe(false);
    expect(existsSync(dirname(argv[6]!))).toBe(false);
    expect(argv.join(' ')).not.toMatch(/testing|AWS_SECRET|--profile/);
  });

  it.each([
    ['function-error', 'unhandled-exception'],
    ['access-denied', 'secret-access-denied'],
    ['timeout', 'timeout'],
  ])('scenario %s: the function ran and failed, exit 1, classified %s', async (scenario, code) => {
    const run = await local(['--json'], scenario);
    expect(run.exitCode).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'invoke', mode: 'local', status: 'failed', classification: { code } });
    expect(doc.logTail).toContain('START RequestId');
  });

  it('names the credentials as the cause when the container saw an invalid token (invalid-local-credentials)', async () => {
    const denied = { errorType: 'ClientError', errorMessage: 'An error occurred (UnrecognizedClientException) when calling the GetSecretValue operation: The security token included in the request is invalid.' };
    const run = await local([], '', { samDir: ECHO_SAM_DIR, extra: { SAM_ECHO_STDOUT: JSON.stringify(denied) } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('invalid-local-credentials');
  });

  it('masks the known secret where the function prints it, and --no-redact shows it', async () => {
    await seedSecret();
    const echo = { SAM_ECHO_STDOUT: JSON.stringify({ config: { key: CANARY } }), SAM_ECHO_STDERR: `loaded key ${CANARY}\n` };
    // No --secret-id: the template's secret resource (Name: openweatherapi) is the known secret.
    const run = await local([], '', { samDir: ECHO_SAM_DIR, extra: echo });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('"key": "****"');
    expect(run.stderr).toContain('loaded key ****');
    const shown = await runCli(['invoke', '--no-redact'], { env: samEnv(ECHO_SAM_DIR, echo), cwd: await makeProject() });
    expect(shown.stdout).toContain(CANARY);
  });

  it('sam missing: exit 3 with how to install it', async () => {
    const run = await local([], 'success', { extra: { PATH: dirname(process.execPath) } });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('AWS SAM CLI (`sam`) is not installed');
    expect(run.stderr).toContain('install-sam-cli');
  });

  it.each(['no-container-runtime', 'docker-legacy'])('%s: exit 3, said plainly', async (scenario) => {
    const run = await local([], scenario);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('needs a container runtime (Docker or Finch), and none is running');
    expect(run.stderr).toContain('weather-secrets invoke --runtime host');
  });

  it('--verbose prints the causes of a failed sam run without the secret sam printed before failing', async () => {
    await seedSecret();
    const run = await local(['--verbose'], 'leaky-no-container-runtime', { extra: { SAM_STANDIN_CANARY: CANARY } });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('needs a container runtime (Docker or Finch), and none is running');
    expect(run.stderr).toContain('caused by:');
    expect(run.stderr).toContain('sam exited with code 1');
    expect(run.stderr).toContain('loaded config {"apiKey": "****"}'); // the streamed log, masked
  });

  it('bad event JSON is exit 2 and sam never runs', async () => {
    const run = await local(['--event', '-'], 'success', { input: '{"city": ' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('The event is not valid JSON');
    expect(readRecord(recordFile)).toBeUndefined();
  });

  it('passes the event from a file; an unknown function is exit 2 with the functions listed', async () => {
    const cwd = await makeProject(undefined, { 'event.json': '{"city": "Bergen"}' });
    const ok = await local(['OpenWeatherFunction', '--event', 'event.json'], 'success', { cwd });
    expect(ok.exitCode).toBe(0);
    const unknown = await local(['Nope'], 'success', { cwd });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('Functions in the template: OpenWeatherFunction');
  });

  it('a stack that cannot be read is a warning, never a failure', async () => {
    const run = await local(['--stack-name', 'not-deployed'], 'success');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('warning: stack not-deployed does not exist');
    expect(recordedArgv()).not.toContain('--env-vars');
  });
});

describe('environment parity, Ctrl-C and --as-deployed-role', () => {
  it('fills stack-defined variables from the deployed stack in a 0600 file that exists only while sam runs; Ctrl-C stops sam, exit 130', async () => {
    await deployStack('weather');
    const cwd = await makeProject(undefined, { 'samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nstack_name = "weather"\n' });
    const env = samEnv(STANDIN_DIR, { SAM_STANDIN_RECORD: recordFile, SAM_STANDIN_SCENARIO: 'slow' });
    const child = execa(process.execPath, [BIN, 'invoke'], { env, extendEnv: false, cwd, reject: false, stdin: 'ignore' });
    const record = await waitFor(() => readRecord(recordFile));
    const envVars = record.argv[record.argv.indexOf('--env-vars') + 1]!;
    expect(statSync(envVars).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(envVars)).mode & 0o777).toBe(0o700);
    const content = readFileSync(envVars, 'utf8');
    expect(JSON.parse(content)).toEqual({ OpenWeatherFunction: { CACHE_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/weather-cache' } });
    expect(content).not.toContain(CANARY);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(isAlive(record.pid)).toBe(false);
    expect(existsSync(dirname(envVars))).toBe(false);
    expect(`${result.stdout}${result.stderr}`).not.toContain(CANARY);
  });

  it('with the stack, a normal run removes the private dir afterwards and says what it filled', async () => {
    await deployStack('weather');
    const run = await local(['--stack-name', 'weather'], 'success');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('weather: filled CACHE_QUEUE_URL');
    const argv = recordedArgv();
    expect(existsSync(argv[argv.indexOf('--env-vars') + 1]!)).toBe(false);
  });

  it('--as-deployed-role passes the role\'s temporary credentials through the environment only', async () => {
    const roleArn = await deployFunction('weather');
    // A named profile too: sam must not get it, or it would ignore the credentials in its environment.
    const cwd = await makeProject(undefined, { credentials: '[dev]\naws_access_key_id = testing\naws_secret_access_key = testing\n' });
    const run = await local(['--as-deployed-role', '--profile', 'dev'], 'success', { cwd, extra: { AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'credentials') } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(roleArn);
    const record = readRecord(recordFile)!;
    expect(record.env.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(record.env.AWS_ACCESS_KEY_ID).not.toBe('testing');
    expect(record.env.AWS_SESSION_TOKEN).toBeTruthy();
    expect(record.env.AWS_PROFILE).toBeUndefined();
    const argv = record.argv.join(' ');
    for (const credential of [record.env.AWS_ACCESS_KEY_ID, record.env.AWS_SECRET_ACCESS_KEY, record.env.AWS_SESSION_TOKEN]) expect(argv).not.toContain(credential);
    expect(record.argv).not.toContain('--profile');
  });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('--env-vars and the shell, as sam local invoke applies them', () => {
  it("merges the file's values for this function's declared variables with the deployed ones, in sam's --env-vars file", async () => {
    await deployStack('weather');
    const cwd = await makeProject(undefined, { 'env.json': JSON.stringify({ Parameters: { UNITS: 'imperial', NOT_DECLARED: 'x' }, OpenWeatherFunction: { SECRET_ARN: 'prod/owm' } }) });
    const run = await local(['--stack-name', 'weather', '--env-vars', 'env.json'], 'success', { cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readRecord(recordFile)!.envVars).toEqual({ OpenWeatherFunction: { CACHE_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/weather-cache', SECRET_ARN: 'prod/owm', UNITS: 'imperial' } });
    expect(run.stdout).toMatch(/from file\s+env\.json: (SECRET_ARN, UNITS|UNITS, SECRET_ARN)/);
    expect(run.stdout).toContain('weather: filled CACHE_QUEUE_URL');
    expect(allOutput(run)).not.toContain('imperial');
  });

  it("samconfig's env_vars is the default, as for sam; a secret named there is the one masked", async () => {
    const { SecretsManagerClient, CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    const { motoClientConfig } = await import('../support/moto.js');
    await new SecretsManagerClient(motoClientConfig()).send(new CreateSecretCommand({ Name: 'prod/owm', SecretString: JSON.stringify({ OPENWEATHER_API_KEY: CANARY }) }));
    const cwd = await makeProject(undefined, {
      'samconfig.toml': 'version = 0.1\n[default.local_invoke.parameters]\nenv_vars = "env.json"\n',
      'env.json': JSON.stringify({ OpenWeatherFunction: { SECRET_ARN: 'prod/owm' } }),
    });
    const run = await local(['--json'], 'success', { cwd, samDir: ECHO_SAM_DIR, extra: { SAM_ECHO_STDOUT: JSON.stringify({ key: CANARY }) } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).redaction).toMatchObject({ applied: true, secretId: 'prod/owm' });
  });

  it('a declared variable set in the shell is named (sam uses it, the deployed function will not)', async () => {
    const run = await local([], 'success', { extra: { UNITS: 'kelvin' } });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/UNITS comes from your shell, not the template, as in sam local invoke/);
    expect(run.stdout).toMatch(/from shell\s+UNITS/);
    expect(run.stderr).not.toContain('kelvin');
    expect(readRecord(recordFile)!.envVars).toBeUndefined();
  });

  it.each([
    ['a missing file', undefined, /Cannot read the --env-vars file env\.json: no such file/],
    ['a file that is not JSON', '{"OpenWeatherFunction": {"KEY": "CANARY-owm-3b7d1f09e2c84a55"', /The --env-vars file env\.json is not valid JSON/],
  ])('%s: exit 2, one line, sam never runs', async (_name, content, message) => {
    const cwd = await makeProject(undefined, content === undefined ? {} : { 'env.json': content });
    const run = await local(['--env-vars', 'env.json'], 'success', { cwd });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(readRecord(recordFile)).toBeUndefined();
  });

  it('--env-vars with --remote is a usage error', async () => {
    const run = await local(['--remote', '--env-vars', 'env.json'], 'success');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--env-vars applies to local runs');
  });
});

describe('the real SAM CLI', () => {
  // Where `npm run setup:emulator` installs aws-sam-cli (its own venv, or the emulator's in older set-ups).
  const realSam = ['.venv-sam', '.venv'].map((venv) => join(import.meta.dirname, '..', '..', venv, 'bin')).find((bin) => existsSync(join(bin, 'sam'))) ?? '/nonexistent';
  // The whole CLI against the real sam: it must get past argument parsing (every flag we pass, the
  // env-vars file and parameter overrides included) and stop only at its container-runtime check.
  it.skipIf(!existsSync(join(realSam, 'sam')))('accepts the argv invoke builds, and its no-Docker stop is exit 3', async () => {
    await deployStack('weather');
    const samconfig = 'version = 0.1\n[default.deploy.parameters]\nstack_name = "weather"\nparameter_overrides = "Stage=\\"dev test\\""\n';
    const template = TEMPLATE_WITH_PARAMETER;
    const cwd = await makeProject(template, { 'samconfig.toml': samconfig });
    await local([], 'success', { cwd });
    expect(recordedArgv()).toEqual(expect.arrayContaining(['--env-vars', '--parameter-overrides', 'Stage="dev test"', '--region']));
    const home = await mkdtemp(join(tmpdir(), 'ws-home-'));
    const env = samEnv(realSam, { HOME: home, DOCKER_HOST: `unix://${home}/no-docker.sock`, SAM_CLI_TELEMETRY: '0' });
    const run = await runCli(['invoke', '--verbose'], { env, cwd, timeout: 120_000 });
    expect(run.stderr).not.toMatch(/No such option|Invalid value|Usage:/);
    expect(run.stderr).toContain('needs a container runtime (Docker or Finch), and none is running');
    expect(run.exitCode).toBe(3);
  }, 120_000);
});

const TEMPLATE_WITH_PARAMETER = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: prod
Resources:
  CacheQueue:
    Type: AWS::SQS::Queue
  OpenWeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          CACHE_QUEUE_URL: !Ref CacheQueue
          STAGE: !Ref Stage
`;
