/**
 * The malformed-input corpus: templates, samconfig files, flags, stdin values and events that a user
 * (or a broken tool upstream) hands weather-secrets. Each one, through the built CLI, must end with
 * exit 2, one `error:` line (a hint line may follow), no stack trace, and nothing written: no secret in
 * the emulator, the template file byte for byte as it was.
 */
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { execa } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { motoClientConfig, motoEnv, resetMoto } from '../support/moto.js';

const FN = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.12\n';
const bomb = ['Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a}\n', 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n']
  .concat(Array.from({ length: 8 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]\n`))
  .join('');
const longName = 'N'.repeat(5000);

/** Template files: each is run through check-policy (read) and fix --write (must not write). */
const TEMPLATES: Array<[string, string | Buffer, string?]> = [
  ['alias bomb (billion laughs)', bomb],
  ['unknown tag !Bogus on a scalar', FN.replace('Handler: app.handler', 'Handler: !Bogus app.handler')],
  ['unknown tag on a mapping', FN.replace('    Properties:\n', '    Properties: !Foo\n')],
  ['unknown tag on a sequence', `${FN}      Policies: !Seq\n        - AWSLambdaBasicExecutionRole\n`],
  ['invalid UTF-8 bytes', Buffer.concat([Buffer.from(FN), Buffer.from([0xc3, 0x28, 0x0a])])],
  ['a lone continuation byte', Buffer.concat([Buffer.from('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Description: caf'), Buffer.from([0xa9, 0x0a])])],
  ['UTF-16 with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FN, 'utf16le')])],
  ['a NUL byte', `${FN}      Description: a\u0000b\n`],
  ['Properties: 42', 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: 42\n'],
  ['Properties: a string', 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: hello\n'],
  ['Properties: a list', 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: [1, 2]\n'],
  ['JSON with a trailing comma', '{"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "a",}}}}', 'template.json'],
  ['JSON with a BOM and a trailing comma', '\uFEFF{"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "a"},}}}', 'template.json'],
  ['JSON with a comment', '{\n  # note\n  "Resources": {"Fn": {"Type": "AWS::Serverless::Function"}}\n}', 'template.json'],
  ['JSON with unquoted keys', '{Resources: {Fn: {Type: "AWS::Serverless::Function"}}}', 'template.json'],
  ['JSON cut short', '{"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {', 'template.json'],
  ['JSON Properties: 42', '{"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": 42}}}', 'template.json'],
  ['JSON top-level array', '[{"Resources": {}}]', 'template.json'],
  ['a duplicate key', `${FN}  Fn:\n    Type: AWS::SQS::Queue\n`],
  ['no Resources', 'AWSTemplateFormatVersion: "2010-09-09"\nDescription: nothing\n'],
  ['Resources: 42', 'Resources: 42\n'],
  ['a resource without Type', 'Resources:\n  Fn:\n    Properties: {}\n'],
  ['Type: 42', 'Resources:\n  Fn:\n    Type: 42\n'],
  ['a top-level list', '- Resources\n- Fn\n'],
  ['an empty file', ''],
  ['only a scalar', 'hello\n'],
  ['bad indentation', 'Resources:\n  Fn:\n      Type: AWS::Serverless::Function\n    Properties: {}\n'],
  ['a tab for indentation', 'Resources:\n\tFn:\n\t\tType: AWS::Serverless::Function\n'],
  ['an unclosed quote', 'Resources:\n  Fn:\n    Type: "AWS::Serverless::Function\n'],
  ['two YAML documents', `${FN}---\n${FN}`],
  ['an alias to no anchor', `${FN}      Description: *nope\n`],
  ['a 5,000-character resource name without Type', `Resources:\n  ${longName}:\n    Properties: {}\n`],
  ['far above CloudFormation\'s size limit (3 MB)', `${FN}      Description: "${'x'.repeat(3 * 1024 * 1024)}"\n`],
];

interface FlagCase {
  name: string;
  args: string[];
  input?: string | Buffer;
  env?: Record<string, string>;
  files?: Record<string, string>;
}

const VALID = `${FN}      Environment:\n        Variables:\n          SECRET_NAME: openweatherapi\n`;
const SAM_OK = 'version = 0.1\n[default.deploy.parameters]\nstack_name = "weather"\n';

const OTHERS: FlagCase[] = [
  { name: 'samconfig.toml without version', args: ['check-policy', 'Fn'], files: { 'samconfig.toml': '[default.deploy.parameters]\nstack_name = "weather"\n' } },
  { name: 'samconfig.toml with a string version', args: ['check-policy', 'Fn'], files: { 'samconfig.toml': 'version = "0.1"\n[default.deploy.parameters]\nregion = "eu-central-1"\n' } },
  { name: 'samconfig.toml syntax error', args: ['check-policy', 'Fn'], files: { 'samconfig.toml': 'version = 0.1\n[default.deploy.parameters\nstack_name = "weather"\n' } },
  { name: 'samconfig.toml with a bad key', args: ['check-policy', 'Fn'], files: { 'samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nstack name = "weather"\n' } },
  { name: 'samconfig.yaml syntax error', args: ['check-policy', 'Fn'], files: { 'samconfig.yaml': 'version: 0.1\ndefault:\n  deploy:\n    parameters: [unclosed\n' } },
  { name: 'samconfig.yaml without version', args: ['check-policy', 'Fn'], files: { 'samconfig.yaml': 'default:\n  deploy:\n    parameters:\n      stack_name: weather\n' } },
  { name: "--region ''", args: ['put', '--region', ''], input: 'CANARY-corpus-value-1' },
  { name: "--region 'not a region'", args: ['put', '--region', 'not a region'], input: 'CANARY-corpus-value-1' },
  { name: '--region with a shell metacharacter', args: ['check-policy', 'Fn', '--region', 'eu-central-1;rm'] },
  { name: '--region in capitals', args: ['check-policy', 'Fn', '--region', 'EU-CENTRAL-1'] },
  { name: '--region without its number', args: ['doctor', '--region', 'eu-central'] },
  { name: "--endpoint-url 'not a url'", args: ['put', '--endpoint-url', 'not a url'], input: 'CANARY-corpus-value-1' },
  { name: '--endpoint-url ftp://', args: ['check-policy', 'Fn', '--endpoint-url', 'ftp://127.0.0.1/'] },
  { name: "--endpoint-url ''", args: ['doctor', '--endpoint-url', ''] },
  { name: "--secret-id '' in a static check", args: ['check-policy', 'Fn', '--secret-id', ''] },
  { name: '--secret-id with spaces in a static check', args: ['check-policy', 'Fn', '--secret-id', 'open weather api'] },
  { name: '--secret-id of 5,000 characters', args: ['check-policy', 'Fn', '--secret-id', longName] },
  { name: '--secret-id with spaces for put', args: ['put', '--secret-id', 'open weather'], input: 'CANARY-corpus-value-1' },
  { name: '--secret-id: a malformed ARN', args: ['put', '--secret-id', 'arn:aws:secretsmanager:eu-central-1:12:secret'], input: 'CANARY-corpus-value-1' },
  { name: 'put: a whitespace-only value', args: ['put'], input: '   \t  \n' },
  { name: 'put: an empty value', args: ['put'], input: '' },
  { name: 'put: a NUL on stdin', args: ['put'], input: 'CANARY\u0000corpus' },
  { name: 'put: invalid UTF-8 on stdin', args: ['put'], input: Buffer.from([0x43, 0x41, 0xff, 0xfe, 0x4e]) },
  { name: 'put: an arrow-key escape sequence in the value', args: ['put'], input: 'CANARY-corpus\u001b[Dvalue' },
  { name: 'put: a whitespace-only --from-env', args: ['put', '--from-env', 'KEYVAR'], env: { KEYVAR: '   ' } },
  { name: 'put: an unset --from-env', args: ['put', '--from-env', 'NOT_SET_ANYWHERE'] },
  { name: "put: --key ''", args: ['put', '--key', ''], input: 'CANARY-corpus-value-1' },
  { name: 'put: --tag without =', args: ['put', '--tag', 'novalue'], input: 'CANARY-corpus-value-1' },
  { name: 'put: --value on the command line', args: ['put', '--value', 'CANARY-corpus-value-1'] },
  { name: 'an unknown option carrying a value', args: ['put', '--valu=CANARY-corpus-value-1'] },
  { name: 'invoke: an event over 6 MB', args: ['invoke', '--remote', 'weather', '--event', 'big.json'], files: { 'big.json': `{"pad": "${'x'.repeat(6 * 1024 * 1024 + 10)}"}` } },
  { name: 'invoke: an event that is not JSON', args: ['invoke', '--remote', 'weather', '--event', 'bad.json'], files: { 'bad.json': '{city: Oslo}' } },
  { name: 'invoke: an event with a NUL', args: ['invoke', '--remote', 'weather', '--event', '-'], input: '{"a": "b\u0000"}' },
  { name: 'invoke: a missing event file', args: ['invoke', '--remote', 'weather', '--event', 'nope.json'] },
  { name: 'invoke: --region malformed', args: ['invoke', '--remote', 'weather', '--region', 'mars-1'] },
];

let TMP: string;
beforeAll(async () => {
  await resetMoto();
  TMP = await mkdtemp(join(tmpdir(), 'ws-corpus-'));
});

async function run(args: string[], cwd: string, input?: string | Buffer, env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [BIN, ...args], {
    env: motoEnv(env), extendEnv: false, cwd, reject: false, timeout: 60_000,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function expectCleanRefusal(result: { exitCode?: number; stdout: string; stderr: string }): void {
  expect(result.exitCode, result.stderr).toBe(2);
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines.filter((l) => l.startsWith('error:')), result.stderr).toHaveLength(1);
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  expect(result.stderr).not.toMatch(/^\s+at |unexpected failure|\^/m);
  expect(result.stderr.length).toBeLessThan(1000);
  expect(`${result.stdout}${result.stderr}`).not.toContain('CANARY');
}

async function project(file: string, content: string | Buffer, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(TMP, 'p-'));
  await writeFile(join(dir, file), content);
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
  return dir;
}

describe.each(TEMPLATES)('template: %s', (_name, content, file = 'template.yaml') => {
  it('check-policy refuses it: exit 2, one line', async () => {
    const dir = await project(file, content);
    expectCleanRefusal(await run(['check-policy', '--template', file, '--region', 'eu-central-1'], dir));
  });
  it('fix --write refuses it and leaves the file as it was', async () => {
    const dir = await project(file, content);
    const before = await readFile(join(dir, file));
    expectCleanRefusal(await run(['fix', '--write', '--template', file, '--region', 'eu-central-1'], dir));
    expect((await readFile(join(dir, file))).equals(before)).toBe(true);
  });
});

describe.each(OTHERS)('$name', (testCase) => {
  it('is refused: exit 2, one line, nothing written', async () => {
    const dir = await project('template.yaml', VALID, { ...(testCase.files ?? {}), ...(testCase.files?.['samconfig.toml'] || testCase.files?.['samconfig.yaml'] ? {} : { 'samconfig.toml': SAM_OK }) });
    expectCleanRefusal(await run(testCase.args, dir, testCase.input, testCase.env));
    const secrets = await new SecretsManagerClient(motoClientConfig()).send(new ListSecretsCommand({}));
    expect(secrets.SecretList ?? []).toHaveLength(0);
  });
});

it(`the corpus holds at least 60 malformed inputs (${TEMPLATES.length * 2 + OTHERS.length} runs)`, () => {
  expect(TEMPLATES.length + OTHERS.length).toBeGreaterThanOrEqual(60);
});
