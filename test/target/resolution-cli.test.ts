/**
 * What is checked is resolved as SAM, CloudFormation and KMS resolve it, through the built CLI: which
 * template (and the stale build copy), which samconfig and region, which parameter values, which
 * secret (dynamic references, full ARNs, never a key value), which KMS key, which role, which stack.
 */
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allOutput, runCli } from '../support/cli.js';
import { motoEndpoint, motoEnv, resetMoto } from '../support/moto.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { CANARY, configureMotoLambda, deployFunction, ECHO_SAM_DIR, makeProject, queueMotoPayloads, samEnv } from '../invoke/invoke-fixtures.js';
import { allow, createCustomerKey, createFunction, createRole, createSecret, delegatingKeyPolicy, deployStack, doc, SECRET_PATTERN } from '../support/scenarios.js';

/** No AWS at all: a static check must not need it. */
const OFFLINE = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', NO_COLOR: '1' };

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-resolve-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

const fn = (env: string, policies = '', extraProps = '') => `Transform: AWS::Serverless-2016-10-31
Parameters:
  SecretName:
    Type: String
    Default: openweatherapi
Resources:
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
      CodeUri: src/
${extraProps}      Environment:
        Variables:
${env}
${policies ? `      Policies:\n${policies}` : ''}`;

const GRANT = (arn = '!Sub "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${SecretName}-??????"') => `        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: ${arn}
`;
const BY_PARAMETER = '          SECRET_NAME: !Ref SecretName';
/** The grant AWS documents: the secret's name and `-??????` for its random suffix. */
const CANONICAL_GRANT = GRANT('!Sub "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:openweatherapi-??????"');
const SAMCONFIG = 'version = 0.1\n[default.global.parameters]\nregion = "eu-central-1"\n';

async function staticJson(args: string[], cwd: string, env: Record<string, string> = OFFLINE) {
  const run = await runCli(['check-policy', '--static', '--json', ...args], { env, cwd });
  return { run, json: run.stdout ? JSON.parse(run.stdout) : undefined };
}

describe('samconfig and region, found where sam finds them', () => {
  it('--template infra/template.yaml reads infra/samconfig.toml: its region and its parameter override', async () => {
    const dir = await project({
      'infra/template.yaml': fn(BY_PARAMETER, GRANT()),
      'infra/samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nregion = "eu-west-1"\nparameter_overrides = "SecretName=\\"prod/owm\\""\n',
    });
    const { run, json } = await staticJson(['--template', 'infra/template.yaml'], dir);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(json).toMatchObject({ region: 'eu-west-1', verdict: 'allowed', secret: { id: 'prod/owm' } });
  });

  it('--config-file is read from the template\'s folder; a missing one is exit 2', async () => {
    const dir = await project({ 'infra/template.yaml': fn(BY_PARAMETER, GRANT()), 'infra/conf/stage.toml': 'version = 0.1\n[default.deploy.parameters]\nregion = "ca-central-1"\n' });
    const { json } = await staticJson(['--template', 'infra/template.yaml', '--config-file', 'conf/stage.toml'], dir);
    expect(json.region).toBe('ca-central-1');
    const missing = await runCli(['check-policy', '--static', '--template', 'infra/template.yaml', '--config-file', 'nope.toml'], { env: OFFLINE, cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.toml');
  });

  it('samconfig region beats AWS_REGION, as in sam; --region beats both', async () => {
    const dir = await project({ 'template.yaml': fn(BY_PARAMETER, GRANT()), 'samconfig.toml': SAMCONFIG });
    expect((await staticJson([], dir, { ...OFFLINE, AWS_REGION: 'us-east-1' })).json.region).toBe('eu-central-1');
    expect((await staticJson(['--region', 'ap-south-1'], dir, { ...OFFLINE, AWS_REGION: 'us-east-1' })).json.region).toBe('ap-south-1');
  });
});

describe('parameter_overrides, as sam parses them', () => {
  it('file:// overrides name the secret; --parameter-overrides replaces samconfig\'s; a malformed one is exit 2', async () => {
    const dir = await project({
      'template.yaml': fn(BY_PARAMETER, GRANT()),
      'params.yaml': 'SecretName: from/file\n',
      'samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nregion = "eu-central-1"\nparameter_overrides = "file://params.yaml"\n',
    });
    expect((await staticJson([], dir)).json.secret.id).toBe('from/file');
    expect((await staticJson(['--parameter-overrides', 'SecretName="team/owm" Stage=prod'], dir)).json.secret.id).toBe('team/owm');
    const bad = await runCli(['check-policy', '--static', '--parameter-overrides', 'not an override'], { env: OFFLINE, cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('parameter_overrides');
  });

  it('an override for a parameter the template does not declare is named, not silently dropped', async () => {
    const dir = await project({ 'template.yaml': fn(BY_PARAMETER, GRANT()), 'samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nregion = "eu-central-1"\nparameter_overrides = "SecretName=prod/owm SecretNmae=typo"\n' });
    const { json } = await staticJson([], dir);
    expect(json.secret.id).toBe('prod/owm');
    expect(json.findings.find((f: { code: string }) => f.code === 'parameter-override-unknown').message).toContain('SecretNmae');
    const fixed = await runCli(['fix', '--json'], { env: OFFLINE, cwd: dir });
    expect(JSON.parse(fixed.stdout).notes.map((n: { code: string }) => n.code)).toContain('parameter-override-unknown');
  });
});

describe('the build copy does not hide an edit', () => {
  it('after fix --write, check-policy --static judges the edited source and names the stale build copy', async () => {
    const broken = fn('          SECRET_NAME: openweatherapi');
    const dir = await project({ 'template.yaml': broken, '.aws-sam/build/template.yaml': broken, 'samconfig.toml': SAMCONFIG });
    const old = Date.now() / 1000 - 120;
    await utimes(join(dir, '.aws-sam/build/template.yaml'), old, old);
    const fixed = await runCli(['fix', '--write'], { env: OFFLINE, cwd: dir });
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    const { run, json } = await staticJson([], dir);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(json.verdict).toBe('allowed');
    expect(json.findings.map((f: { code: string }) => f.code)).toContain('build-template-stale');
    expect(run.stderr).toContain('.aws-sam/build/template.yaml is older');
    expect((await runCli(['fix'], { env: OFFLINE, cwd: dir })).stdout).toMatch(/nothing to do/i);
  });
});

describe('which secret the function reads', () => {
  it('a {{resolve:secretsmanager:...}} dynamic reference is that secret, not the default a leftover grant covers', async () => {
    const dir = await project({
      'template.yaml': fn("          OPENWEATHER_API_KEY: '{{resolve:secretsmanager:prod/owm:SecretString:OPENWEATHER_API_KEY}}'", CANONICAL_GRANT),
      'samconfig.toml': SAMCONFIG,
    });
    const { run, json } = await staticJson([], dir);
    expect(run.exitCode).toBe(1);
    expect(json.secret.id).toBe('prod/owm');
    const dynamic = json.findings.find((f: { code: string }) => f.code === 'dynamic-reference');
    expect(dynamic.message).toMatch(/deploy time/);
    expect(dynamic.message).toMatch(/plain text/);
  });

  it('a full-ARN --secret-id is the template\'s secret of that name: its customer-managed key is checked', async () => {
    const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root' }, Action: 'kms:*', Resource: '*' }] }
  OpenWeatherSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: openweatherapi
      KmsKeyId: !Ref Key
${fn('          SECRET_NAME: openweatherapi', CANONICAL_GRANT).split('Resources:\n')[1]}`;
    const dir = await project({ 'template.yaml': template, 'samconfig.toml': SAMCONFIG });
    const arn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:openweatherapi-AbCdEf';
    const { run, json } = await staticJson(['--secret-id', arn], dir);
    expect(run.exitCode).toBe(1);
    expect(json.secret).toMatchObject({ id: arn, arn });
    expect(json.findings.map((f: { code: string }) => f.code)).toContain('kms-decrypt-missing');
    // ${AWS::AccountId} is the ARN's account: the canonical grant is not "another account".
    expect(json.findings.map((f: { code: string }) => f.code)).not.toContain('arn-wrong-account');
  });

  it('the canonical !Sub grant with a full-ARN --secret-id is allowed, not "wrong account"', async () => {
    const dir = await project({ 'template.yaml': fn('          SECRET_NAME: openweatherapi', CANONICAL_GRANT), 'samconfig.toml': SAMCONFIG });
    const { run, json } = await staticJson(['--secret-id', 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:openweatherapi-AbCdEf'], dir);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(json.verdict).toBe('allowed');
  });

  it('--secret-id naming a secret the template references by !Ref is shown by that name, not the logical ID', async () => {
    const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  OpenWeatherSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: openweatherapi
${fn('          SECRET_ARN: !Ref OpenWeatherSecret', GRANT('!Ref OpenWeatherSecret')).split('Resources:\n')[1]}`;
    const dir = await project({ 'template.yaml': template, 'samconfig.toml': SAMCONFIG });
    const { run, json } = await staticJson(['--secret-id', 'openweatherapi'], dir);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(json.secret.id).toBe('openweatherapi');
    expect(run.stdout).not.toContain('"id": "OpenWeatherSecret"');
  });
});

describe('which KMS key the secret uses', () => {
  const withKey = (kmsKeyId: string, extraResources = '', policies = GRANT('!Ref OpenWeatherSecret')) => `Transform: AWS::Serverless-2016-10-31
Resources:
${extraResources}  OpenWeatherSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: openweatherapi
      KmsKeyId: ${kmsKeyId}
${fn('          SECRET_ARN: !Ref OpenWeatherSecret', policies).split('Resources:\n')[1]}`;
  const KEY_AND_ALIAS = `  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root' }, Action: 'kms:*', Resource: '*' }] }
  KeyAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/weather
      TargetKeyId: !Ref Key
`;
  const samconfig = SAMCONFIG;

  it('an alias the template does not define is undetermined (exit 3), never the AWS managed key', async () => {
    const dir = await project({ 'template.yaml': withKey('alias/weather'), 'samconfig.toml': samconfig });
    const { run, json } = await staticJson([], dir);
    expect(run.exitCode, run.stdout).toBe(3);
    expect(json.verdict).toBe('undetermined');
    expect(json.findings.map((f: { code: string }) => f.code)).toContain('kms-key-unresolved');
  });

  it('an AWS::KMS::Alias of the template leads to its key: denied without kms:Decrypt, allowed with KMSDecryptPolicy on the key', async () => {
    const denied = await project({ 'template.yaml': withKey('alias/weather', KEY_AND_ALIAS), 'samconfig.toml': samconfig });
    const first = await staticJson([], denied);
    expect(first.run.exitCode, first.run.stdout).toBe(1);
    expect(first.json.findings.map((f: { code: string }) => f.code)).toContain('kms-decrypt-missing');
    const granted = await project({ 'template.yaml': withKey('!Ref KeyAlias', KEY_AND_ALIAS, `${GRANT('!Ref OpenWeatherSecret')}        - KMSDecryptPolicy:\n            KeyId: !Ref Key\n`), 'samconfig.toml': samconfig });
    const second = await staticJson([], granted);
    expect(second.run.exitCode, second.run.stdout).toBe(0);
  });
});

describe('roles', () => {
  it('Role: !Sub arn:...:role/${WeatherRole} is the template\'s role, and no internal token reaches output', async () => {
    const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  WeatherRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: !Sub arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-??????
${fn('          SECRET_NAME: openweatherapi', '', '      Role: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${WeatherRole}\n').split('Resources:\n')[1]}`;
    const dir = await project({ 'template.yaml': template, 'samconfig.toml': SAMCONFIG });
    const human = await runCli(['check-policy', '--static'], { env: OFFLINE, cwd: dir });
    expect(human.exitCode, human.stdout).toBe(0);
    expect(human.stdout).toContain('role WeatherRole');
    const { json, run } = await staticJson([], dir);
    expect(json.verdict).toBe('allowed');
    expect(allOutput(run) + allOutput(human)).not.toMatch(/\{\{(resource:|AWS::)/);
  });
});

describe('live: what is sent to AWS, and stacks', () => {
  let proxy: RecordingProxy | undefined;
  beforeEach(resetMoto);
  afterEach(async () => { await proxy?.close(); proxy = undefined; });

  it('a variable holding the key itself is never sent to Secrets Manager as a secret id', async () => {
    const KEY = '0123456789abcdef0123456789abcdef';
    const TOKEN = 'Zx9QwErTy7UiOp3AsDfGh1JkL';
    await createSecret();
    await createFunction(await createRole({ inline: { read: doc(allow(SECRET_PATTERN)) } }), { name: 'weather', env: { OPENWEATHER_API_KEY: KEY, CLIENT_SECRET: TOKEN, SECRET_KEY: TOKEN } });
    proxy = await startRecordingProxy(motoEndpoint());
    const run = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint }), cwd: tmpdir() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).secret.id).toBe('openweatherapi');
    const sent = proxy.requests.filter((r) => /secretsmanager/i.test(r.target)).map((r) => r.body).join('\n');
    expect(sent).toContain('openweatherapi');
    expect(sent).not.toContain(KEY);
    expect(sent).not.toContain(TOKEN);
  });

  it('WEATHER_SECRET=prod/owm is the secret check-policy checks (the same rule masks it in invoke)', async () => {
    await createSecret('prod/owm');
    await createFunction(await createRole({ inline: { read: doc(allow('arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/owm-??????')) } }), { name: 'weather', env: { WEATHER_SECRET: 'prod/owm' } });
    const run = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).secret).toMatchObject({ id: 'prod/owm', source: 'environment variable WEATHER_SECRET' });
  });

  it('WEATHER_SECRET=prod/owm that does not exist: the readable default is not a "can read" (undetermined, exit 3)', async () => {
    await createSecret('openweatherapi');
    await createFunction(await createRole({ inline: { read: doc(allow(SECRET_PATTERN)) } }), { name: 'weather', env: { WEATHER_SECRET: 'prod/owm' } });
    const run = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(run.exitCode, run.stdout).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.verdict).toBe('undetermined');
    expect(result.findings.find((f: { code: string }) => f.code === 'secret-ambiguous')).toMatchObject({ detail: { variable: 'WEATHER_SECRET', looked_for: 'prod/owm', checked: 'openweatherapi' } });
    const human = await runCli(['check-policy', 'weather'], { env: motoEnv(), cwd: tmpdir() });
    expect(human.stdout + human.stderr).toMatch(/WEATHER_SECRET=prod\/owm may name the secret/);
  });

  it('invoke masks the same WEATHER_SECRET=prod/owm that check-policy checks', async () => {
    await createSecret('prod/owm', { OPENWEATHER_API_KEY: CANARY });
    const cwd = await makeProject(fn('          WEATHER_SECRET: prod/owm'), { 'samconfig.toml': SAMCONFIG });
    const echo = { SAM_ECHO_STDOUT: JSON.stringify({ key: CANARY }), SAM_ECHO_STDERR: `loaded ${CANARY}\n` };
    const run = await runCli(['invoke', '--json'], { env: samEnv(ECHO_SAM_DIR, echo), cwd });
    expect(allOutput(run)).not.toContain(CANARY);
    expect(JSON.parse(run.stdout).redaction).toMatchObject({ applied: true, secretId: 'prod/owm' });
  });

  it('invoke --remote masks WEATHER_SECRET=prod/owm of the deployed function, as check-policy checks it', async () => {
    await configureMotoLambda();
    await createSecret('prod/owm', { OPENWEATHER_API_KEY: CANARY });
    await deployFunction('weather', { WEATHER_SECRET: 'prod/owm' });
    await queueMotoPayloads(JSON.stringify({ key: CANARY }));
    const run = await runCli(['invoke', 'weather', '--remote', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(allOutput(run)).not.toContain(CANARY);
    expect(JSON.parse(run.stdout).redaction).toMatchObject({ applied: true, secretId: 'prod/owm' });
  });

  it('a function that names no secret: invoke masks the default that check-policy checks (openweatherapi)', async () => {
    await configureMotoLambda();
    await createSecret('openweatherapi', { OPENWEATHER_API_KEY: CANARY });
    await deployFunction('weather', { CITY: 'Berlin' });
    await queueMotoPayloads(JSON.stringify({ key: CANARY }));
    const run = await runCli(['invoke', 'weather', '--remote', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(allOutput(run)).not.toContain(CANARY);
    expect(JSON.parse(run.stdout).redaction).toMatchObject({ applied: true, secretId: 'openweatherapi' });
    const checked = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(JSON.parse(checked.stdout).secret).toMatchObject({ id: 'openweatherapi', source: 'default' });
  });

  it('a secret encrypted through a KMS alias is checked against the key the alias names', async () => {
    const key = await createCustomerKey(delegatingKeyPolicy);
    const { KMSClient, CreateAliasCommand } = await import('@aws-sdk/client-kms');
    await new KMSClient({ region: 'eu-central-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }).send(new CreateAliasCommand({ AliasName: 'alias/weather', TargetKeyId: key.keyId }));
    await createSecret('openweatherapi', { OPENWEATHER_API_KEY: 'x' }, 'alias/weather');
    await createFunction(await createRole({ inline: { read: doc(allow(SECRET_PATTERN)) } }), { name: 'weather' });
    const run = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: { code: string }) => f.code)).toContain('kms-decrypt-missing');
  });

  it('a logical ID is found on the second page of ListStackResources and in a nested stack', async () => {
    await createSecret();
    const physical = await deployStack({ stackName: 'child-stack', rolePolicies: { read: doc(allow(SECRET_PATTERN)) } });
    const page = (token: string | undefined, resources: Array<[string, string, string]>, next?: string) => `<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStackResourcesResult><StackResourceSummaries>${resources.map(([l, p, t]) => `<member><LogicalResourceId>${l}</LogicalResourceId><PhysicalResourceId>${p}</PhysicalResourceId><ResourceType>${t}</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus><LastUpdatedTimestamp>2026-01-01T00:00:00Z</LastUpdatedTimestamp></member>`).join('')}</StackResourceSummaries>${next ? `<NextToken>${next}</NextToken>` : ''}</ListStackResourcesResult><ResponseMetadata><RequestId>${token ?? 'first'}</RequestId></ResponseMetadata></ListStackResourcesResponse>`;
    const filler = Array.from({ length: 100 }, (_, i) => [`Topic${i}`, `arn:aws:sns:eu-central-1:123456789012:t${i}`, 'AWS::SNS::Topic'] as [string, string, string]);
    const childArn = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/child-stack/1';
    proxy = await startRecordingProxy(motoEndpoint(), (body) => {
      const params = new URLSearchParams(body);
      if (params.get('Action') !== 'ListStackResources') return undefined;
      if (params.get('StackName') === 'root') return params.get('NextToken') ? { body: page('2', [['Api', childArn, 'AWS::CloudFormation::Stack']]) } : { body: page(undefined, filler, 'page-2') };
      if (params.get('StackName') === childArn) return { body: page('child', [['WeatherFunction', physical, 'AWS::Lambda::Function']]) };
      return undefined;
    });
    const dir = await project({ 'template.yaml': fn('          SECRET_NAME: openweatherapi'), 'samconfig.toml': 'version = 0.1\n[default.global.parameters]\nstack_name = "root"\nregion = "eu-central-1"\n' });
    const run = await runCli(['check-policy', 'WeatherFunction', '--json'], { env: motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint }), cwd: dir });
    expect(run.exitCode, run.stderr).not.toBe(2);
    expect(JSON.parse(run.stdout).function).toMatchObject({ name: physical, source: 'WeatherFunction in stack root' });
  });

  it('doctor given a deployed name in a folder with a template does not fail the template check', async () => {
    await createSecret();
    await createFunction(await createRole({ inline: { read: doc(allow(SECRET_PATTERN)) } }), { name: 'weather' });
    const dir = await project({ 'template.yaml': fn('          SECRET_NAME: openweatherapi') });
    const run = await runCli(['doctor', 'weather', '--json'], { env: motoEnv(), cwd: dir });
    const template = JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === 'template');
    expect(template.status).not.toBe('fail');
    expect(template.summary).toContain('deployed');
  });
});
