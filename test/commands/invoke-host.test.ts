/**
 * `invoke --local --runtime host` end to end: the built CLI runs the example app's real Python handler
 * (examples/openweather/src/app.py) as a child process on this machine, no Docker and no sam, against
 * moto for Secrets Manager and a local stand-in for OpenWeather (OPENWEATHER_BASE_URL, as in the
 * example's own test). Session-policy emulation (--as-deployed-role) goes through a loopback recorder
 * in front of moto's STS, which keeps what each call carried.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { cpSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allOutput, runCli, type CliRun } from '../support/cli.js';
import { startLambdaWireServer, wireConfiguration, type WireServer } from '../support/lambda-wire-server.js';
import { ACCOUNT_ID, motoClientConfig, motoEndpoint, motoEnv, resetMoto } from '../support/moto.js';
import { policyArnsOf, startStsRecorder, type StsRecorder } from '../support/sts-recorder.js';
import { seedSecret, TRUST } from '../invoke/invoke-fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'openweather');
/** The handler needs boto3, which the Lambda runtime ships: the emulator's venv has it (as if activated). */
const VENV = join(ROOT, '.venv');
const KEY = 'CANARY-owm-host-5e1d0c3b9a7f';
const DEVELOPER_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/Developer`;

let weather: Server;
let weatherUrl: string;
let recorder: StsRecorder | undefined;
let wire: WireServer | undefined;

beforeAll(async () => {
  weather = createServer((req, res) => {
    const ok = new URL(req.url ?? '/', 'http://stub').searchParams.get('appid') === KEY;
    res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(ok ? { name: 'Vienna', main: { temp: 7.31 }, weather: [{ description: 'broken clouds' }], cod: 200 } : { cod: 401, message: 'Invalid API key.' }));
  });
  await new Promise<void>((resolve) => weather.listen(0, '127.0.0.1', resolve));
  weatherUrl = `http://127.0.0.1:${(weather.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => weather.close(() => resolve())));
beforeEach(() => resetMoto());
afterEach(async () => {
  await recorder?.close();
  await wire?.close();
  recorder = wire = undefined;
});

async function exampleProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-host-'));
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.startsWith(join(EXAMPLE, 'test')) });
  return dir;
}

async function host(args: string[], cwd: string, extra: Record<string, string> = {}): Promise<CliRun> {
  const env = motoEnv({ VIRTUAL_ENV: VENV, OPENWEATHER_BASE_URL: weatherUrl, ...extra });
  const run = await runCli(['invoke', '--runtime', 'host', ...args], { env, cwd });
  expect(allOutput(run)).not.toContain(KEY);
  return run;
}

/** What `sam deploy` of the example leaves, as the demo deploys it; returns the function's name and role name. */
async function deployExample(policies: Record<string, unknown> = {}): Promise<{ functionName: string; roleName: string }> {
  const cfn = new CloudFormationClient(motoClientConfig());
  const template = {
    Resources: {
      WeatherFunctionRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: JSON.parse(TRUST) } },
      WeatherFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'python3.12', Handler: 'app.lambda_handler', Timeout: 10, MemorySize: 128,
          Role: { 'Fn::GetAtt': ['WeatherFunctionRole', 'Arn'] },
          Code: { ZipFile: 'def lambda_handler(event, context):\n    return {}\n' },
          Environment: { Variables: { SECRET_NAME: 'openweatherapi' } },
        },
      },
    },
  };
  await cfn.send(new CreateStackCommand({ StackName: 'openweather-demo', TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_IAM'] }));
  const physical = async (id: string) => (await cfn.send(new DescribeStackResourceCommand({ StackName: 'openweather-demo', LogicalResourceId: id }))).StackResourceDetail!.PhysicalResourceId!;
  const roleName = await physical('WeatherFunctionRole');
  const iam = new IAMClient(motoClientConfig());
  for (const [name, document] of Object.entries(policies)) {
    await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: name, PolicyDocument: JSON.stringify(document) }));
  }
  return { functionName: await physical('WeatherFunction'), roleName };
}

const LOGS_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] };
const READ_SECRET = { Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:eu-central-1:${ACCOUNT_ID}:secret:openweatherapi-??????` }] };

describe('invoke --local --runtime host: the example app without Docker', () => {
  it("runs the real Python handler with Lambda's environment and context: 200 with the weather, logs on stderr", async () => {
    await seedSecret(JSON.stringify({ OPENWEATHER_API_KEY: KEY }));
    const cwd = await exampleProject();
    const run = await host(['--event', 'events/event.json'], cwd);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('WeatherFunction locally: succeeded');
    expect(run.stdout).toContain('\\"city\\": \\"Vienna\\"');
    expect(run.stdout).toMatch(/runtime\s+python3\.12 on this machine: .*\.venv\/bin\/python \(the active virtual environment/);
    expect(run.stderr).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
    expect(run.stderr).toMatch(/^REPORT RequestId: .*Duration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB/m);
    // The stack is not deployed here: a warning, not a failure.
    expect(run.stderr).toContain('stack openweather-demo does not exist');
  }, 60_000);

  it.each([
    ['--env-vars', (cwd: string) => writeFile(join(cwd, 'env.json'), JSON.stringify({ Parameters: { SECRET_NAME: 'prod/owm' } })).then(() => ({ args: ['--env-vars', 'env.json'], extra: {} })), /from file\s+env\.json: SECRET_NAME/],
    ['the shell', async () => ({ args: [], extra: { SECRET_NAME: 'prod/owm' } }), /from shell\s+SECRET_NAME/],
  ])('SECRET_NAME from %s is what the handler reads, and that secret is the one masked', async (_name, prepare, shown) => {
    const { SecretsManagerClient, CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    await new SecretsManagerClient(motoClientConfig()).send(new CreateSecretCommand({ Name: 'prod/owm', SecretString: JSON.stringify({ OPENWEATHER_API_KEY: KEY }) }));
    const cwd = await exampleProject();
    const { args, extra } = await prepare(cwd);
    const run = await host([...args, '--event', 'events/event.json'], cwd, extra);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('WeatherFunction locally: succeeded');
    expect(run.stdout).toMatch(shown);
    expect(run.stdout).toMatch(/masked\s+values of prod\/owm/);
  }, 60_000);

  it("loads the function's local layer as Lambda mounts it, and skips an interpreter that does not run", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-host-layer-'));
    await writeFile(join(dir, 'template.yaml'), LAYER_TEMPLATE);
    const { mkdir, chmod } = await import('node:fs/promises');
    await mkdir(join(dir, 'src'));
    await mkdir(join(dir, 'layer', 'python'), { recursive: true });
    await writeFile(join(dir, 'src', 'app.py'), 'import helper\n\ndef handler(event, context):\n    return {"from_layer": helper.answer()}\n');
    await writeFile(join(dir, 'layer', 'python', 'helper.py'), 'def answer():\n    return 42\n');
    // The app's own venv comes first, but this one is broken (a removed base Python): it is skipped.
    await mkdir(join(dir, '.venv', 'bin'), { recursive: true });
    await writeFile(join(dir, '.venv', 'bin', 'python'), '#!/bin/sh\necho "no such interpreter" >&2\nexit 127\n');
    await chmod(join(dir, '.venv', 'bin', 'python'), 0o755);
    const run = await host(['--json'], dir);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded', payload: { from_layer: 42 }, host: { interpreter: join(VENV, 'bin', 'python') } });
    expect(run.stderr).toMatch(/Skipped .*\.venv\/bin\/python \(the app's virtual environment \.venv\) does not run/);
  }, 60_000);

  it('--json: the payload, the host interpreter and its version check; the handler error path is exit 1, classified', async () => {
    const cwd = await exampleProject();
    // No secret in the emulator: the handler answers 500 naming ResourceNotFoundException.
    const run = await host(['--json'], cwd);
    expect(run.exitCode).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, mode: 'local', status: 'failed', classification: { code: 'secret-not-found' }, host: { runtime: 'python3.12', requestId: expect.any(String) } });
    expect(doc.payload.statusCode).toBe(500);
    if (doc.host.versionMatches === false) expect(run.stderr).toContain("The function's runtime is python3.12, but");
  }, 60_000);

  it("a handler that sleeps past the function's Timeout is stopped: exit 1, classified timeout", async () => {
    const cwd = await exampleProject();
    await writeFile(join(cwd, 'src', 'slow.py'), 'import time\n\ndef handler(event, context):\n    print("remaining", context.get_remaining_time_in_millis())\n    time.sleep(30)\n');
    await writeFile(join(cwd, 'template.yaml'), SLOW_TEMPLATE);
    const started = Date.now();
    const run = await host(['--json'], cwd);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout).classification).toMatchObject({ code: 'timeout', detail: { seconds: 1 } });
    expect(run.stderr).toMatch(/remaining (9\d\d|1000)\b/);
    expect(run.stderr).toContain('Task timed out after 1.00 seconds');
  }, 60_000);

  it('names a package the handler imports but this Python lacks, with the app\'s requirements', async () => {
    const cwd = await exampleProject();
    await writeFile(join(cwd, 'src', 'app.py'), 'import requests_nowhere\n\ndef lambda_handler(event, context):\n    return {}\n');
    await writeFile(join(cwd, 'src', 'requirements.txt'), 'requests_nowhere==1.0\n');
    const run = await host([], cwd);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('missing package requests_nowhere');
    expect(run.stdout).toContain('src/requirements.txt lists it');
    expect(run.stdout).toContain('-m venv .venv && .venv/bin/pip install -r src/requirements.txt');
  }, 60_000);
});

describe('--as-deployed-role emulated with session policies (the role trusts only lambda.amazonaws.com)', () => {
  async function withRecorder(): Promise<Record<string, string>> {
    recorder = await startStsRecorder(motoEndpoint());
    return { AWS_ENDPOINT_URL_STS: recorder.endpoint };
  }

  it("--via-role: AssumeRole on the developer's role carries the function role's inline policy and managed ARN; the handler runs with those credentials", async () => {
    await seedSecret(JSON.stringify({ OPENWEATHER_API_KEY: KEY }));
    const { roleName } = await deployExample({ WeatherFunctionRolePolicy0: LOGS_POLICY, WeatherFunctionRolePolicy1: READ_SECRET });
    const iam = new IAMClient(motoClientConfig());
    const managed = await iam.send(new CreatePolicyCommand({ PolicyName: 'weather-extra', PolicyDocument: JSON.stringify(LOGS_POLICY) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: managed.Policy!.Arn! }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Developer', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] }) }));
    const run = await host(['--as-deployed-role', '--via-role', DEVELOPER_ROLE, '--json'], await exampleProject(), await withRecorder());
    expect(run.exitCode).toBe(0);
    const assume = recorder!.calls.filter((c) => c.Action === 'AssumeRole');
    expect(assume.map((c) => c.RoleArn)).toEqual([DEVELOPER_ROLE]); // never the function's role: its trust says no
    const policy = JSON.parse(assume[0]!.Policy!);
    expect(policy.Statement).toEqual([LOGS_POLICY.Statement[0], { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: READ_SECRET.Statement[0]!.Resource }]);
    expect(policyArnsOf(assume[0]!)).toEqual([managed.Policy!.Arn!]);
    const doc = JSON.parse(run.stdout);
    expect(doc.asDeployedRole).toMatchObject({ method: 'session-policy', via: DEVELOPER_ROLE, sessionPolicies: { policyArns: [managed.Policy!.Arn!] } });
    expect(doc.asDeployedRole.limits.join(' ')).toMatch(/resource policy or KMS key policy.*permissions boundary.*service control policies/s);
    expect(doc.payload.statusCode).toBe(200);
  }, 60_000);

  it('without --via-role, IAM-user credentials use GetFederationToken with the same policies', async () => {
    await deployExample({ WeatherFunctionRolePolicy0: READ_SECRET });
    const run = await host(['--as-deployed-role'], await exampleProject(), await withRecorder());
    const federation = recorder!.calls.filter((c) => c.Action === 'GetFederationToken');
    expect(federation).toHaveLength(1);
    expect(JSON.parse(federation[0]!.Policy!).Statement[0].Action).toBe('secretsmanager:GetSecretValue');
    expect(recorder!.calls.some((c) => c.Action === 'AssumeRole')).toBe(false);
    expect(run.stdout).toContain('emulated (an approximation): its policies as GetFederationToken for');
    expect(run.stdout).toContain('not reproduced:');
  }, 60_000);

  it('policies over the 2,048-character limit are refused with the reason: nothing runs, exit 3', async () => {
    const big = { Version: '2012-10-17', Statement: Array.from({ length: 30 }, (_, i) => ({ Effect: 'Allow', Action: `s3:GetObject`, Resource: `arn:aws:s3:::weather-bucket-number-${i}/*`, Condition: { StringEquals: { 'aws:ResourceTag/team': `team-${i}` } } })) };
    await deployExample({ WeatherFunctionRolePolicy0: big });
    const run = await host(['--as-deployed-role', '--via-role', DEVELOPER_ROLE], await exampleProject(), await withRecorder());
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/Cannot emulate the deployed role .* with session policies: the function role's policies need \d{4} characters as session policies .*STS allows 2048/);
    expect(run.stderr).not.toContain('START RequestId');
    expect(recorder!.calls.some((c) => c.Action === 'AssumeRole' || c.Action === 'GetFederationToken')).toBe(false);
  }, 60_000);
});

describe('deployed values for a host run', () => {
  it('Fn::ImportValue comes from the exports (ListExports); a dynamic reference is named, never resolved', async () => {
    const cfn = new CloudFormationClient(motoClientConfig());
    const shared = { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'shared-cache' } } }, Outputs: { Url: { Value: { Ref: 'Queue' }, Export: { Name: 'shared-cache-url' } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'shared', TemplateBody: JSON.stringify(shared) }));
    await seedSecret(JSON.stringify({ OPENWEATHER_API_KEY: KEY }));
    const cwd = await mkdtemp(join(tmpdir(), 'ws-host-imports-'));
    await writeFile(join(cwd, 'template.yaml'), IMPORTS_TEMPLATE);
    await writeFile(join(cwd, 'env.py'), 'import os\n\ndef handler(event, context):\n    return {k: os.environ.get(k) for k in ("CACHE_URL", "API_KEY", "UNITS", "AWS_LAMBDA_FUNCTION_NAME")}\n');
    const run = await host(['--json'], cwd);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.payload).toEqual({ CACHE_URL: expect.stringMatching(/shared-cache$/), API_KEY: '{{resolve:secretsmanager:openweatherapi:SecretString:OPENWEATHER_API_KEY}}', UNITS: 'metric', AWS_LAMBDA_FUNCTION_NAME: 'EnvFunction' });
    expect(doc.dynamicReferences).toEqual([{ name: 'API_KEY', reference: '{{resolve:secretsmanager:openweatherapi:SecretString:OPENWEATHER_API_KEY}}' }]);
    expect(run.stderr).toContain('API_KEY is the dynamic reference {{resolve:secretsmanager:openweatherapi:SecretString:OPENWEATHER_API_KEY}}');
  }, 60_000);
});

describe('invoke --compare --runtime host', () => {
  it('shows the local host run and the deployed run side by side', async () => {
    await seedSecret(JSON.stringify({ OPENWEATHER_API_KEY: KEY }));
    const { functionName } = await deployExample();
    const denied = `An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/weather-role/${functionName} is not authorized to perform: secretsmanager:GetSecretValue on resource: openweatherapi because no identity-based policy allows the secretsmanager:GetSecretValue action`;
    wire = await startLambdaWireServer({
      [functionName]: {
        configuration: wireConfiguration(functionName, { Environment: { Variables: { SECRET_NAME: 'openweatherapi' } } }),
        invoke: { payload: JSON.stringify({ statusCode: 500, body: JSON.stringify({ error: `cannot read secret openweatherapi: ${denied}` }) }), log: `[ERROR] ${denied}\nREPORT RequestId: r\tDuration: 812.34 ms\t\n` },
      },
    });
    const run = await host(['--compare'], await exampleProject(), { AWS_ENDPOINT_URL_LAMBDA: wire.endpoint });
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toContain('works locally, fails deployed: weather-role may not call secretsmanager:GetSecretValue');
    expect(run.stdout).toMatch(/outcome\s+succeeded\s+failed/);
    expect(run.stdout).toMatch(/classification\s+ok\s+secret-access-denied/);
    expect(run.stdout).toMatch(/runs\s+here, python3\.12 host\s+Lambda/);
    expect(run.stdout).toContain('WeatherFunction locally: succeeded');
    expect(run.stdout).toContain(`${functionName} deployed: failed`);
  }, 90_000);
});

const IMPORTS_TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  EnvFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: env.handler
      Runtime: python3.12
      Environment:
        Variables:
          CACHE_URL: !ImportValue shared-cache-url
          API_KEY: '{{resolve:secretsmanager:openweatherapi:SecretString:OPENWEATHER_API_KEY}}'
          UNITS: metric
`;

const SLOW_TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  SlowFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: slow.handler
      Runtime: python3.12
      Timeout: 1
`;

const LAYER_TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  LayeredFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Layers:
        - !Ref Shared
`;
