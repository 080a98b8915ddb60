/** Shared set-up for the `invoke` end-to-end tests: a project dir, the stand-in sam, and emulator state. */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNT_ID, motoClientConfig, motoEndpoint, motoEnv, REGION } from '../support/moto.js';

export const STANDIN_DIR = join(import.meta.dirname, '..', 'fixtures', 'sam-standin');
/** A sam that prints SAM_ECHO_STDOUT / SAM_ECHO_STDERR: for payloads the stand-in has no scenario for. */
export const ECHO_SAM_DIR = join(import.meta.dirname, 'fixtures', 'echo-sam');
export const CANARY = 'CANARY-owm-3b7d1f09e2c84a55';
export const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

export const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  OpenWeatherSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: openweatherapi
  CacheQueue:
    Type: AWS::SQS::Queue
  OpenWeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: weather
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          SECRET_ARN: !Ref OpenWeatherSecret
          CACHE_QUEUE_URL: !Ref CacheQueue
          UNITS: metric
`;

export async function makeProject(template = TEMPLATE, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-invoke-test-'));
  await writeFile(join(dir, 'template.yaml'), template);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

export interface SamRecord {
  argv: string[];
  env: Record<string, string>;
  pid: number;
  /** What the --env-vars file held while sam ran (the stand-in records it). */
  envVars?: Record<string, Record<string, string>>;
}

export function readRecord(path: string): SamRecord | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SamRecord) : undefined;
}

/** Environment for the CLI with a sam directory first on PATH. */
export function samEnv(samDir: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  return motoEnv({ PATH: `${samDir}:${process.env.PATH}`, ...extra });
}

export async function seedSecret(value = JSON.stringify({ OPENWEATHER_API_KEY: CANARY })): Promise<string> {
  const out = await new SecretsManagerClient(motoClientConfig()).send(new CreateSecretCommand({ Name: 'openweatherapi', SecretString: value }));
  return out.ARN!;
}

/**
 * A deployed stack. moto 5's CloudFormation does not model AWS::SecretsManager::Secret (DescribeStackResources
 * lists it with neither logical nor physical ID), so the emulated stack carries the queue only: parity is
 * shown with CACHE_QUEUE_URL here, and with SECRET_ARN in test/invoke/invoke-command.test.ts (fake stack).
 */
export async function deployStack(stackName = 'weather'): Promise<void> {
  const body = { Resources: { CacheQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'weather-cache' } } } };
  await new CloudFormationClient(motoClientConfig()).send(new CreateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(body) }));
}

export async function deployFunction(name = 'weather', variables: Record<string, string> = { SECRET_NAME: 'openweatherapi' }): Promise<string> {
  const role = await new IAMClient(motoClientConfig()).send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: TRUST }));
  await new LambdaClient(motoClientConfig()).send(
    new CreateFunctionCommand({
      FunctionName: name, Runtime: 'python3.12', Handler: 'app.lambda_handler', Role: role.Role!.Arn!,
      Code: { ZipFile: new Uint8Array([80, 75, 5, 6, ...new Array(18).fill(0)]) },
      Environment: { Variables: variables },
    }),
  );
  return role.Role!.Arn!;
}

/**
 * moto answers Invoke without Docker once configured so. Call it before creating functions: the first
 * change of that setting appears to drop the Lambda functions moto already holds.
 */
export async function configureMotoLambda(): Promise<void> {
  await post('/moto-api/config', { lambda: { use_docker: false } });
}

/** Canned Invoke payloads, answered in order (see aws-facts.md). */
export async function queueMotoPayloads(...payloads: string[]): Promise<void> {
  await post('/moto-api/static/lambda-simple/response', { account_id: ACCOUNT_ID, region: REGION, results: payloads });
}

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${motoEndpoint()}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}
