/**
 * `invoke --remote` and `--compare` end to end. Success paths run against moto's Lambda (queued payloads);
 * FunctionError, LogResult and Lambda's error answers come from the wire-format stand-in, reached through
 * AWS_ENDPOINT_URL_LAMBDA while Secrets Manager, STS and IAM stay on moto.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allOutput, runCli, type CliRun } from '../support/cli.js';
import { startLambdaWireServer, wireConfiguration, type WireFunction, type WireServer } from '../support/lambda-wire-server.js';
import { motoClientConfig, motoEnv, resetMoto } from '../support/moto.js';
import { CANARY, configureMotoLambda, deployFunction, makeProject, queueMotoPayloads, samEnv, seedSecret, STANDIN_DIR, TRUST } from '../invoke/invoke-fixtures.js';

const REQUEST_ID = 'c0ffee00-1111-2222-3333-444455556666';
const DENIED =
  'An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:sts::123456789012:assumed-role/weather-role/weather ' +
  'is not authorized to perform: secretsmanager:GetSecretValue on resource: openweatherapi because no identity-based policy allows the secretsmanager:GetSecretValue action';
const LOG = `START RequestId: ${REQUEST_ID} Version: $LATEST\n[ERROR] ClientError: ${DENIED}\nEND RequestId: ${REQUEST_ID}\nREPORT RequestId: ${REQUEST_ID}\tDuration: 812.34 ms\tBilled Duration: 813 ms\tMemory Size: 128 MB\tMax Memory Used: 77 MB\t\n`;

let wire: WireServer | undefined;
beforeEach(async () => {
  await resetMoto();
  await configureMotoLambda();
});
afterEach(async () => {
  await wire?.close();
  wire = undefined;
});

async function withWire(fn: WireFunction, name = 'weather'): Promise<Record<string, string>> {
  await wire?.close();
  wire = await startLambdaWireServer({ [name]: fn });
  return motoEnv({ AWS_ENDPOINT_URL_LAMBDA: wire.endpoint });
}

async function remote(args: string[], env: Record<string, string> = motoEnv(), cwd?: string): Promise<CliRun> {
  const run = await runCli(['invoke', '--remote', ...args], { env, cwd: cwd ?? (await mkdtemp(join(tmpdir(), 'ws-empty-'))) });
  if (!args.includes('--no-redact')) expect(allOutput(run)).not.toContain(CANARY);
  return run;
}

const deniedFn = (extra: Partial<WireFunction> = {}): WireFunction => ({
  configuration: wireConfiguration('weather', { Environment: { Variables: { SECRET_NAME: 'openweatherapi' } } }),
  invoke: { payload: JSON.stringify({ errorMessage: DENIED, errorType: 'ClientError', requestId: REQUEST_ID }), functionError: 'Unhandled', log: LOG, executedVersion: '7' },
  ...extra,
});

describe('invoke --remote against moto', () => {
  it('succeeds (exit 0): status and the payload, pretty-printed', async () => {
    await deployFunction('weather');
    await queueMotoPayloads(JSON.stringify({ statusCode: 200, body: 'Oslo 4.5' }));
    const run = await remote(['weather']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('weather deployed: succeeded');
    expect(run.stdout).toMatch(/status\s+200/);
    expect(run.stdout).toContain('"body": "Oslo 4.5"');
  });

  it('--json is one document with mode, status, payload and classification', async () => {
    await deployFunction('weather');
    await queueMotoPayloads('{"ok": true}');
    const doc = JSON.parse((await remote(['weather', '--json'])).stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'invoke', mode: 'remote', status: 'succeeded', statusCode: 200, payload: { ok: true }, classification: { code: 'ok' } });
  });

  it('a function that does not exist is exit 3, listing the ones that do (moto answers Invoke 200 anyway)', async () => {
    await deployFunction('weather');
    const run = await remote(['wether']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('No deployed function wether');
    expect(run.stderr).toContain('Functions in this region: weather');
  });

  it('masks the known secret in the payload (named by the function\'s SECRET_NAME); --no-redact shows it', async () => {
    await seedSecret();
    await deployFunction('weather', { SECRET_NAME: 'openweatherapi' });
    await queueMotoPayloads(JSON.stringify({ debug: `key=${CANARY}` }), JSON.stringify({ debug: `key=${CANARY}` }));
    const masked = await remote(['weather']);
    expect(masked.stdout).toContain('"debug": "key=****"');
    const shown = await remote(['weather', '--no-redact']);
    expect(shown.stdout).toContain(CANARY);
  });
});

describe('invoke --remote against the Lambda wire stand-in', () => {
  it('FunctionError and the log tail: exit 1, secret-access-denied, version, REPORT duration, decoded log', async () => {
    const run = await remote(['weather', '--qualifier', 'live'], await withWire(deniedFn()));
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/function error\s+Unhandled/);
    expect(run.stdout).toMatch(/version\s+7/);
    expect(run.stdout).toContain('812.34 ms');
    expect(run.stdout).toContain('secret-access-denied: weather-role may not call secretsmanager:GetSecretValue');
    expect(run.stdout).toContain(`END RequestId: ${REQUEST_ID}`);
    expect(wire!.requests).toContain('POST /2015-03-31/functions/weather/invocations?Qualifier=live');
  });

  it.each([
    ['kms-access-denied', 'An error occurred (AccessDeniedException) when calling the GetSecretValue operation: Access to KMS is not allowed', {}],
    ['secret-not-found', "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.", {}],
    ['timeout-vpc', '2026-11-28T23:00:00.000Z c0ffee00 Task timed out after 3.00 seconds', { VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'], VpcId: 'vpc-1' } }],
    ['unhandled-exception', "'apiKey'", {}],
  ])('classifies %s (exit 1)', async (code, message, config) => {
    const fn: WireFunction = {
      configuration: wireConfiguration('weather', config),
      invoke: { payload: JSON.stringify({ errorMessage: message, errorType: code === 'unhandled-exception' ? 'KeyError' : 'Error' }), functionError: 'Unhandled', log: `${message}\n` },
    };
    const run = await remote(['weather', '--json'], await withWire(fn));
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'failed', functionError: 'Unhandled', classification: { code } });
  });

  it.each([
    ['ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:eu-central-1:123456789012:function:weather'],
    ['AccessDeniedException', 403, 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: lambda:InvokeFunction'],
    ['TooManyRequestsException', 429, 'Rate exceeded'],
  ])('Invoke answered %s: the invocation could not run, exit 3', async (type, status, message) => {
    const run = await remote(['weather'], await withWire(deniedFn({ invokeError: { type, status, message } })));
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('Lambda Invoke');
  });
});

describe('invoke --remote masks what the output decodes, not only the bytes on the wire', () => {
  // Go's and .NET's serializers write `<`, `>`, `&` as \u003c...: any character may come \u-escaped.
  const ESCAPED = `\\u0043${CANARY.slice(1)}`;

  const namingTheSecret = (payload: string, extra: Partial<WireFunction['invoke'] & object> = {}): WireFunction => ({
    configuration: wireConfiguration('weather', { Environment: { Variables: { SECRET_NAME: 'openweatherapi' } } }),
    invoke: { payload, log: 'END\n', ...extra },
  });

  it('a \\u-escaped secret value in the payload (value and key) is masked in the human output and --json', async () => {
    await seedSecret();
    const env = await withWire(namingTheSecret(`{"k":"${ESCAPED}","${ESCAPED}":1,"body":"key=${ESCAPED}"}`));
    const human = await remote(['weather'], env);
    expect(human.stdout).toContain('"k": "****"');
    expect(human.stdout).toContain('"body": "key=****"');
    const json = await remote(['weather', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'succeeded', payload: { k: '****', '****': 1, body: 'key=****' } });
    const plain = await remote(['weather', '--json', '--no-redact'], env);
    expect(JSON.parse(plain.stdout).payload.k).toBe(CANARY);
  });

  it('a \\u-escaped secret value in an error payload is masked in the classification too', async () => {
    await seedSecret();
    const env = await withWire(namingTheSecret(`{"errorMessage":"bad key ${ESCAPED}","errorType":"ValueError"}`, { functionError: 'Unhandled' }));
    const json = await remote(['weather', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'failed', payload: { errorMessage: 'bad key ****' }, classification: { summary: 'The function raised ValueError: bad key ****' } });
    // Not a runtime error object (an extra key): the summary falls back to the payload's text, masked too.
    const other = await withWire(namingTheSecret(`{"note":"bad key ${ESCAPED}"}`, { functionError: 'Unhandled' }));
    const human = await remote(['weather'], other);
    expect(human.stdout).toContain('bad key ****');
    expect(human.stdout).not.toContain(ESCAPED.slice(6));
  });

  it('a log tail that starts partway through a secret value (LogResult is the last 4 KB) masks that fragment', async () => {
    await seedSecret();
    const fragment = CANARY.slice(-10);
    const fn: WireFunction = {
      configuration: wireConfiguration('weather', { Environment: { Variables: { SECRET_NAME: 'openweatherapi' } } }),
      invoke: { payload: '{"ok": true}', log: `${fragment}"}\nEND RequestId: ${REQUEST_ID}\n` },
    };
    const env = await withWire(fn);
    for (const args of [['weather'], ['weather', '--json']]) {
      const run = await remote(args, env);
      expect(allOutput(run)).not.toContain(fragment);
      expect(allOutput(run)).toContain('****');
      expect(allOutput(run)).toContain(`END RequestId: ${REQUEST_ID}`);
    }
  });
});

describe('invoke --compare', () => {
  const TEMPLATE_NAMED = `Transform: AWS::Serverless-2016-10-31
Resources:
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: weather
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          SECRET_NAME: openweatherapi
`;

  it('local succeeds, deployed is denied: the headline says so, exit 1', async () => {
    await seedSecret();
    const env = { ...(await withWire(deniedFn())), ...samEnv(STANDIN_DIR, { SAM_STANDIN_SCENARIO: 'success' }), AWS_ENDPOINT_URL_LAMBDA: wire!.endpoint };
    const run = await runCli(['invoke', '--compare'], { env, cwd: await makeProject(TEMPLATE_NAMED) });
    expect(allOutput(run)).not.toContain(CANARY);
    expect(run.exitCode).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('works locally, fails deployed: weather-role may not call secretsmanager:GetSecretValue on openweatherapi: no identity-based policy allows it.');
    expect(run.stdout).toMatch(/outcome\s+succeeded\s+failed/);
    expect(run.stdout).toMatch(/classification\s+ok\s+secret-access-denied/);
    expect(run.stdout).toMatch(/duration\s+131.88 ms\s+812.34 ms/);
    const json = await runCli(['invoke', '--compare', '--json'], { env, cwd: await makeProject(TEMPLATE_NAMED) });
    expect(JSON.parse(json.stdout)).toMatchObject({ mode: 'compare', local: { status: 'succeeded' }, remote: { status: 'failed', classification: { code: 'secret-access-denied' } } });
  });

  // End to end with the real check-policy (src/commands/check-policy.ts): the deployed role named by the
  // wire stand-in (weather-role) exists in moto with no policy, so check-policy says denied and gives the fix.
  it('END-TO-END WITH CHECK-POLICY: the headline is followed by the check-policy verdict and fix', async () => {
    await seedSecret();
    await new IAMClient(motoClientConfig()).send(new CreateRoleCommand({ RoleName: 'weather-role', AssumeRolePolicyDocument: TRUST }));
    const env = { ...(await withWire(deniedFn())), ...samEnv(STANDIN_DIR, { SAM_STANDIN_SCENARIO: 'success' }), AWS_ENDPOINT_URL_LAMBDA: wire!.endpoint };
    const run = await runCli(['invoke', '--compare'], { env, cwd: await makeProject(TEMPLATE_NAMED) });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('works locally, fails deployed:');
    expect(run.stdout).toContain('check-policy:');
    expect(run.stdout).toContain('fix:');
    expect(run.stdout).toContain('secretsmanager:GetSecretValue');
  });
});
