/** End to end: the built CLI (`npm run build` first), with no AWS credentials and no AWS endpoint. */
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';

const TEMPLATES = join(import.meta.dirname, '..', 'fixtures', 'templates');
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ws-fix-cli-'));
  // No credentials, no profile, no region: fix must need none of them.
  env = { PATH: process.env.PATH ?? '', HOME: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
});

async function template(name: string): Promise<string> {
  const path = join(dir, 'template.yaml');
  await copyFile(join(TEMPLATES, name), path);
  return path;
}

describe('weather-secrets fix (built CLI)', () => {
  test('prints the diff on stdout, exit 0, file untouched; the region changes nothing', async () => {
    const path = await template('blog-placeholder.yaml');
    const before = await readFile(path);
    const plain = await runCli(['fix'], { env, cwd: dir });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toContain('--- a/template.yaml\n+++ b/template.yaml\n');
    expect(plain.stdout).toContain('+            SecretArn: !Sub "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:openweatherapi-??????"');
    expect(plain.stdout).toMatch(/run again with --write/);
    expect(await readFile(path)).toEqual(before);
    const withFlag = await runCli(['--region', 'eu-central-1', 'fix'], { env, cwd: dir });
    const withEnv = await runCli(['fix'], { env: { ...env, AWS_REGION: 'us-west-2' }, cwd: dir });
    expect(withFlag.stdout).toBe(plain.stdout);
    expect(withEnv.stdout).toBe(plain.stdout);
  });

  test('--write writes, and a second run has nothing to do', async () => {
    const path = await template('no-suffix.yaml');
    const first = await runCli(['fix', 'OpenWeatherFunction', '--write'], { env, cwd: dir });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/^Wrote template\.yaml/);
    expect(await readFile(path, 'utf8')).toContain('openweatherapi-??????');
    const second = await runCli(['fix', '--write'], { env, cwd: dir });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/^Nothing to do:/);
  });

  test('--json: one document with the changes and the diff', async () => {
    await template('cmk-without-decrypt.yaml');
    const run = await runCli(['fix', '--json'], { env, cwd: dir });
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'fix',
      template: 'template.yaml',
      function: 'OpenWeatherFunction',
      status: 'would-change',
      written: false,
      changes: [{ code: 'add-kms-decrypt', path: 'Resources.OpenWeatherFunction.Properties.Policies', line: 30 }],
    });
    expect(json.diff).toContain('+            KeyId: !Ref WeatherKey');
  });

  test('an external role: the IAM statement, exit 0, nothing written', async () => {
    const path = await template('globals-env.yaml');
    const before = await readFile(path);
    const run = await runCli(['fix', 'PlainFunction', '--write'], { env, cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Not changed:/);
    expect(run.stdout).toContain('"Action": "secretsmanager:GetSecretValue"');
    expect(await readFile(path)).toEqual(before);
  });

  test.each([
    ['deny-notresource.yaml', [], /explicit Deny/],
    ['conditions.yaml', [], /Fn::If/],
    ['globals-env.yaml', ['Missing'], /has no function Missing[\s\S]*OpenWeatherFunction, PlainFunction/],
    ['malformed.yaml', [], /template\.yaml:6:\d+: malformed YAML/],
  ])('%s %j: exit 2, the reason on stderr, the file untouched', async (name, args, reason) => {
    const path = await template(name);
    const before = await readFile(path);
    const run = await runCli(['fix', ...args, '--write'], { env, cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stdout).toBe('');
    expect(await readFile(path)).toEqual(before);
  });

  test('exit 2 with --json: the error as JSON on stdout', async () => {
    await template('deny-notresource.yaml');
    const run = await runCli(['fix', '--json'], { env, cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ command: 'fix', error: { code: 'explicit-deny' } });
  });

  test('--help names the options', async () => {
    const run = await runCli(['fix', '--help'], { env, cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/--write[\s\S]*--secret-id[\s\S]*--template/);
  });
});
