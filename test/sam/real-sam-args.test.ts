/**
 * Hands the argv samLocalInvoke builds to the real AWS SAM CLI (.venv-sam/bin/sam, pinned in
 * scripts/sam-requirements.txt) and checks that sam's own parser accepts it: sam must get past
 * argument parsing, read our parameter overrides back unchanged, and stop only at its container-runtime
 * check (there is no Docker here). A usage error (exit 2, "No such option", "Invalid value") would mean
 * the argv is wrong for the sam users actually run.
 *
 * No network: no credentials are given (with credentials sam calls STS GetCallerIdentity first), and
 * HOME, the AWS config files and DOCKER_HOST point into a temporary directory.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samLocalInvoke } from '../../src/sam/cli.js';
import { EnvironmentError } from '../../src/core/errors.js';

const SAM = join(import.meta.dirname, '..', '..', '.venv-sam', 'bin', 'sam');

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  SecretName:
    Type: String
  Greeting:
    Type: String
  HomeDir:
    Type: String
Resources:
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.lambda_handler
      CodeUri: src/
      Environment:
        Variables:
          SECRET_NAME: !Ref SecretName
`;

let dir: string;
beforeAll(() => {
  if (!existsSync(SAM)) throw new Error('The real SAM CLI is not installed: run `npm run setup:emulator` (npm test does it for you).');
  dir = mkdtempSync(join(tmpdir(), 'ws-real-sam-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'home'));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  writeFileSync(join(dir, 'src', 'app.py'), 'def lambda_handler(event, context):\n    return {}\n');
  writeFileSync(join(dir, 'event.json'), '{}');
  writeFileSync(join(dir, 'env.json'), JSON.stringify({ WeatherFunction: { SECRET_NAME: 'openweatherapi' } }));
  writeFileSync(join(dir, 'aws-config'), '[profile weather-dev]\nregion = eu-west-1\n');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Python's repr() of a string without single quotes, as sam's debug log prints parameter values. */
const pyRepr = (value: string) => `'${value.replaceAll('\\', '\\\\')}'`;

describe('the real sam accepts the argv samLocalInvoke builds', () => {
  it('parses every option and stops at the container-runtime check, not at a usage error', async () => {
    const parameters = { SecretName: 'openweatherapi', Greeting: 'a "quoted" hello, world', HomeDir: 'C:\\weather' };
    const stderr: string[] = [];
    const error = await samLocalInvoke(
      {
        logicalId: 'WeatherFunction',
        templatePath: 'template.yaml',
        eventPath: 'event.json',
        envVarsPath: 'env.json',
        parameterOverrides: parameters,
        region: 'eu-west-1',
        profile: 'weather-dev',
        configEnv: 'default',
        cwd: dir,
        env: {
          HOME: join(dir, 'home'),
          SAM_CLI_TELEMETRY: '0',
          SAM_DEBUG: 'true', // environment, not argv: makes sam log what it parsed
          AWS_CONFIG_FILE: join(dir, 'aws-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
          DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}`,
        },
        onStderr: (chunk) => stderr.push(chunk),
        timeoutMs: 60_000,
      },
      { command: SAM },
    ).catch((caught: unknown) => caught);

    const log = stderr.join('');
    expect(log).not.toMatch(/No such option|Invalid value|is not a valid format|Usage: sam/);
    expect(error, log).toBeInstanceOf(EnvironmentError);
    expect(error).toMatchObject({ code: 'no-container-runtime' });
    expect(log).toContain('Error: Running AWS SAM projects locally requires a container runtime.');
    // sam read the overrides back exactly, quotes and backslash included.
    const converted = Object.entries(parameters).map(([key, value]) => `'${key}': ${pyRepr(value)}`).join(', ');
    expect(log).toContain(`Converted 3 parameters: {${converted}}`);
    expect(log).toContain('config environment: default');
  });
});
