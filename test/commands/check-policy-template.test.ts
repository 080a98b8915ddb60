/**
 * check-policy with a SAM template beside the deployed stack: a logical ID resolved through the stack,
 * the template granting what the deployed role lacks (not deployed yet), and --static with no AWS.
 */
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { motoEnv, resetMoto } from '../support/moto.js';
import { SECRET_PATTERN, allow, createSecret, deployStack, doc } from '../support/scenarios.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'openweather');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'templates');

async function project(template: string | { copyOf: string }, samconfig = 'version = 0.1\n[default.global.parameters]\nstack_name = "openweather-demo"\nregion = "eu-central-1"\n'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-check-'));
  if (typeof template === 'string') await writeFile(join(dir, 'template.yaml'), template);
  else await cp(template.copyOf, join(dir, 'template.yaml'));
  await writeFile(join(dir, 'samconfig.toml'), samconfig);
  return dir;
}

const FIXED_TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          SECRET_NAME: openweatherapi
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Sub "arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-??????"
`;

beforeEach(resetMoto);

describe('check-policy with a template and a deployed stack', () => {
  it('resolves the only function of the template through samconfig stack_name, and finds the broken example', async () => {
    await createSecret();
    const physical = await deployStack();
    const dir = await project({ copyOf: join(EXAMPLE, 'template.yaml') });
    const run = await runCli(['check-policy', '--json'], { env: motoEnv(), cwd: dir });
    expect(run.exitCode, run.stderr).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.function).toMatchObject({ name: physical, logicalId: 'WeatherFunction', source: 'WeatherFunction in stack openweather-demo' });
    expect(json.findings[0].code).toBe('no-grant');
    // The role is SAM's, so the fix is the SAM policy template, not raw IAM JSON.
    expect(json.findings[0].fix).toContain('AWSSecretsManagerGetSecretValuePolicy');
    expect(json.findings[0].fix).toContain('openweatherapi-??????');
  });

  it('the template grants access but the deployed role lacks it: "not deployed yet, run sam deploy"', async () => {
    await createSecret();
    await deployStack();
    const dir = await project(FIXED_TEMPLATE);
    const run = await runCli(['check-policy', '--function', 'WeatherFunction', '--json'], { env: motoEnv(), cwd: dir });
    expect(run.exitCode).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.findings[0]).toMatchObject({ code: 'template-not-deployed', fix: expect.stringContaining('sam deploy') });
  });

  it('after deploying the fix, the same check passes', async () => {
    await createSecret();
    await deployStack({ rolePolicies: { WeatherFunctionRolePolicy0: doc(allow(SECRET_PATTERN)) } });
    const dir = await project(FIXED_TEMPLATE);
    const run = await runCli(['check-policy'], { env: motoEnv(), cwd: dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('ALLOWED');
  });

  it('Role overriding Policies is reported next to the live verdict', async () => {
    await createSecret();
    await deployStack({ logicalId: 'OpenWeatherFunction' });
    const dir = await project({ copyOf: join(FIXTURES, 'role-plus-policies.yaml') });
    const run = await runCli(['check-policy', '--json'], { env: motoEnv(), cwd: dir });
    const codes = JSON.parse(run.stdout).findings.map((f: { code: string }) => f.code);
    expect(codes).toContain('role-overrides-policies');
  });

  it('a logical ID without a stack name is a usage error that says how to name the stack', async () => {
    const dir = await project(FIXED_TEMPLATE, 'version = 0.1\n[default.global.parameters]\nregion = "eu-central-1"\n');
    const run = await runCli(['check-policy'], { env: motoEnv(), cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--stack-name/);
  });

  it('a template FunctionName names the deployed function when no stack is known', async () => {
    await createSecret();
    const { createFunction, createRole } = await import('../support/scenarios.js');
    await createFunction(await createRole({ inline: { read: doc(allow(SECRET_PATTERN)) } }), { name: 'weather' });
    const dir = await project(FIXED_TEMPLATE.replace('      Handler:', '      FunctionName: weather\n      Handler:'), 'version = 0.1\n[default.global.parameters]\nregion = "eu-central-1"\n');
    const run = await runCli(['check-policy', '--json'], { env: motoEnv(), cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).function).toMatchObject({ name: 'weather', source: 'WeatherFunction (FunctionName in the template)' });
  });

  it('a function not deployed in the stack is exit 3 (as in invoke) with "sam deploy"', async () => {
    const dir = await project(FIXED_TEMPLATE);
    const run = await runCli(['check-policy'], { env: motoEnv(), cwd: dir });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/sam deploy/);
  });
});

describe('check-policy --static (no AWS at all)', () => {
  const offline = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', NO_COLOR: '1' };

  it('judges the example without credentials or network, taking the region from samconfig', async () => {
    const run = await runCli(['check-policy', '--static'], { env: offline, cwd: EXAMPLE });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✗ identity policies/);
    expect(run.stdout).toContain('AWSSecretsManagerGetSecretValuePolicy');
  });

  it('a malformed template exits 2 naming the file and line', async () => {
    const dir = await project('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: [unclosed\n');
    const run = await runCli(['check-policy', '--static'], { env: offline, cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/template\.yaml:\d+:\d+/);
  });

  it('an unknown function exits 2 and lists the functions of the template', async () => {
    const run = await runCli(['check-policy', '--static', '--function', 'Nope'], { env: offline, cwd: EXAMPLE });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('WeatherFunction');
  });
});
