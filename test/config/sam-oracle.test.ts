/**
 * The real AWS SAM CLI (.venv-sam, pinned in scripts/sam-requirements.txt) is the oracle for how
 * configuration resolves. For each project layout, `sam deploy --no-execute-changeset --debug` prints
 * the config file it read, then "Deploying with following values" (stack name, region, parameter
 * overrides) before its first AWS call, which goes to a closed port on 127.0.0.1 and fails at once.
 * The tool's own resolution (target/template.ts + config/resolve.ts, as every command runs them) must
 * name the same file, region, stack name and parameter values.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resolveContext } from '../../src/config/resolve.js';
import { findTemplate } from '../../src/target/template.js';

const SAM = join(import.meta.dirname, '..', '..', '.venv-sam', 'bin', 'sam');

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  SecretName:
    Type: String
    Default: openweatherapi
  Stage:
    Type: String
    Default: dev
Resources:
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(event, context): return {}"
      Environment:
        Variables:
          SECRET_NAME: !Ref SecretName
`;

interface Layout {
  name: string;
  files: Record<string, string>;
  args: string[];
  env?: Record<string, string>;
}

const TOML = (body: string) => `version = 0.1\n${body}`;

const LAYOUTS: Layout[] = [
  { name: 'samconfig.toml beside the template in the working folder', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "weather"\nregion = "eu-central-1"\n') }, args: [] },
  { name: 'samconfig beside -t infra/template.yaml, none in the working folder', files: { 'infra/template.yaml': TEMPLATE, 'infra/samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "infra-stack"\nregion = "eu-west-1"\nparameter_overrides = "SecretName=\\"prod/owm\\""\n') }, args: ['-t', 'infra/template.yaml'] },
  { name: 'samconfig region beats AWS_REGION', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.global.parameters]\nregion = "eu-central-1"\n[default.deploy.parameters]\nstack_name = "weather"\n') }, args: [], env: { AWS_REGION: 'us-east-1' } },
  { name: 'no region in samconfig: AWS_DEFAULT_REGION over AWS_REGION, as botocore reads them', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "weather"\n') }, args: [], env: { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'us-west-2' } },
  { name: 'the command table beats global', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.global.parameters]\nregion = "us-east-1"\nstack_name = "global"\n[default.deploy.parameters]\nregion = "sa-east-1"\nstack_name = "deploy"\n') }, args: [] },
  { name: '--config-env picks the environment', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "d"\nregion = "us-east-1"\n[prod.deploy.parameters]\nstack_name = "p"\nregion = "eu-north-1"\nparameter_overrides = "Stage=prod"\n') }, args: ['--config-env', 'prod'] },
  { name: '--config-file relative to the template folder', files: { 'infra/template.yaml': TEMPLATE, 'infra/conf/other.toml': TOML('[default.deploy.parameters]\nstack_name = "other"\nregion = "ca-central-1"\n') }, args: ['-t', 'infra/template.yaml', '--config-file', 'conf/other.toml'] },
  { name: 'samconfig.yaml when there is no toml', files: { 'template.yaml': TEMPLATE, 'samconfig.yaml': 'version: 0.1\ndefault:\n  deploy:\n    parameters:\n      stack_name: from-yaml\n      region: eu-south-1\n      parameter_overrides:\n        SecretName: yaml/secret\n        Stage: qa\n' }, args: [] },
  { name: 'toml wins over yaml', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "toml"\nregion = "us-east-2"\n'), 'samconfig.yaml': 'version: 0.1\ndefault:\n  deploy:\n    parameters:\n      stack_name: yaml\n      region: eu-west-2\n' }, args: [] },
  { name: 'overrides: long form, escaped space, quotes', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "w"\nregion = "us-east-1"\nparameter_overrides = "ParameterKey=SecretName,ParameterValue=prod/owm ParameterKey=Stage,ParameterValue=\'blue green\'"\n') }, args: [] },
  { name: 'overrides: an array with an escaped space', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "w"\nregion = "us-east-1"\nparameter_overrides = ["SecretName=team\\\\ owm", "Stage=\\"prod\\""]\n') }, args: [] },
  { name: 'overrides: file:// beside the working folder', files: { 'template.yaml': TEMPLATE, 'params.yaml': 'SecretName: from/file\nStage: null\n', 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "w"\nregion = "us-east-1"\nparameter_overrides = "file://params.yaml"\n') }, args: [] },
  { name: '--parameter-overrides replaces samconfig\'s', files: { 'template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "w"\nregion = "us-east-1"\nparameter_overrides = "SecretName=from-config Stage=x"\n') }, args: ['--parameter-overrides', 'SecretName=from-flag'] },
  { name: 'SAM_TEMPLATE_FILE: samconfig from the working folder', files: { 'infra/template.yaml': TEMPLATE, 'samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "cwd"\nregion = "me-south-1"\n'), 'infra/samconfig.toml': TOML('[default.deploy.parameters]\nstack_name = "infra"\nregion = "af-south-1"\n') }, args: [], env: { SAM_TEMPLATE_FILE: 'infra/template.yaml' } },
];

interface Resolved {
  configFile?: string;
  stackName?: string;
  region?: string;
  overrides: Record<string, string>;
}

/** What sam itself resolves, read from its --debug log and its "Deploying with following values" block. */
async function samResolves(dir: string, layout: Layout): Promise<Resolved> {
  const run = await execa(SAM, ['deploy', '--no-execute-changeset', '--debug', ...layout.args], {
    cwd: dir,
    reject: false,
    timeout: 120_000,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      SAM_CLI_TELEMETRY: '0',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      ...layout.env,
    },
  });
  const out = `${String(run.stdout)}\n${String(run.stderr)}`;
  const value = (label: string) => new RegExp(`^\\s*${label}\\s*:\\s*(.*)$`, 'm').exec(out)?.[1]?.trim();
  const overrides = value('Parameter overrides');
  if (overrides === undefined) throw new Error(`sam did not reach the deploy step:\n${out.slice(-2000)}`);
  // "None": no --region and none in samconfig, so sam leaves it to botocore's own chain: ask botocore.
  const shown = value('Region');
  const region = shown === 'None' ? await botocoreRegion(dir, layout.env ?? {}) : shown;
  return {
    configFile: /Config file location: (.*)$/m.exec(out)?.[1]?.trim(),
    stackName: value('Stack name'),
    region,
    overrides: JSON.parse(overrides) as Record<string, string>,
  };
}

async function botocoreRegion(dir: string, env: Record<string, string>): Promise<string | undefined> {
  const python = join(SAM, '..', 'python');
  const run = await execa(python, ['-c', 'import boto3; print(boto3.session.Session().region_name or "")'], { cwd: dir, extendEnv: false, env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_CONFIG_FILE: join(dir, 'no-aws-config'), ...env } });
  return String(run.stdout).trim() || undefined;
}

/** What the tool resolves for the same layout, exactly as its commands do it (the deploy table). */
async function toolResolves(dir: string, layout: Layout): Promise<Resolved> {
  const flag = (name: string) => { const i = layout.args.indexOf(name); return i >= 0 ? layout.args[i + 1] : undefined; };
  const env = { ...layout.env };
  const template = findTemplate({ cwd: dir, explicit: flag('-t'), envTemplateFile: env.SAM_TEMPLATE_FILE, purpose: 'judge' });
  const context = await resolveContext({
    options: { configEnv: flag('--config-env'), configFile: flag('--config-file'), parameterOverrides: flag('--parameter-overrides') },
    env,
    cwd: dir,
    samconfigDir: template?.samconfigDir ?? dir,
    samCommands: ['deploy'],
    profileRegion: async () => undefined,
  });
  return { configFile: context.samconfig?.path, stackName: context.stackName?.value, region: context.region.value, overrides: context.parameterOverrides.values };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ws-sam-oracle-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('configuration resolves as the real SAM CLI resolves it', () => {
  it.concurrent.each(LAYOUTS.map((l) => [l.name, l] as const))('%s', async (_name, layout) => {
    const dir = project(layout.files);
    const [sam, tool] = await Promise.all([samResolves(dir, layout), toolResolves(dir, layout)]);
    // sam names a samconfig.toml that does not exist when there is none; the tool reads none then.
    const samFile = sam.configFile && Object.keys(layout.files).some((f) => join(dir, f) === sam.configFile) ? sam.configFile : undefined;
    expect({ ...tool, configFile: tool.configFile }).toEqual({ ...sam, configFile: samFile ?? tool.configFile });
    expect(tool.configFile).toBe(samFile);
  }, 180_000);
});
