#!/usr/bin/env node
// `npm run demo`: the whole story in half a minute, against a local AWS emulator (moto) on 127.0.0.1.
// No AWS account is used. The example app (examples/openweather) is copied to a temp folder, so
// `fix --write` never touches the repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto } from './lib/moto-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'weather-secrets.cjs');
const ACCOUNT = '123456789012'; // moto's default account
const REGION = 'eu-central-1'; // from the example's samconfig.toml
const tty = process.stdout.isTTY;
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s) => (tty ? `\x1b[2m${s}\x1b[22m` : s);

execFileSync(process.execPath, [join(root, 'scripts', 'setup-emulator.mjs')], { stdio: 'inherit' });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const started = Date.now();
const moto = await startMoto(root);
const weather = await startOpenWeatherStub();
const project = mkdtempSync(join(tmpdir(), 'weather-secrets-demo-'));
const cleanup = () => {
  moto.stop();
  weather.close();
  rmSync(project, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

// The developer's shell: emulator endpoint, throwaway credentials, and nothing from ~/.aws.
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_ACCESS_KEY_ID: 'demo',
  AWS_SECRET_ACCESS_KEY: 'demo',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...(tty ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }),
};

let failed = false;
try {
  cpSync(join(root, 'examples', 'openweather'), project, { recursive: true, filter: (src) => !src.includes(`${join('openweather', 'test')}`) });
  say(`weather-secrets demo — no AWS account needed: AWS is emulated by moto at ${moto.endpoint},`);
  say(`and OpenWeather by a stub at ${weather.url}. The example app is copied to ${project}.`);

  step(1, 'Store the OpenWeather key in Secrets Manager (piped, never on the command line)');
  cli(['put'], { input: 'demo-openweather-key-0000' });

  step(2, "Deploy the example as its template says: the role SAM generates has no access to the secret");
  await deployBrokenStack();
  say(dim('  stack openweather-demo: WeatherFunction + WeatherFunctionRole (CloudWatch Logs only)'));

  step(3, 'Locally it works: the real handler runs on this machine (no Docker), with YOUR credentials, like `sam local invoke`');
  await runHandlerLocally();

  step(4, 'weather-secrets doctor: why does the deployed function fail?');
  const broken = cli(['doctor'], { expect: 1 });

  step(5, 'weather-secrets fix --write: patch the template');
  cli(['fix', '--write']);

  step(6, "Deploy the fix: apply the fixed template's role policy, as `sam deploy` would");
  await deployFixedPolicy();

  step(7, 'weather-secrets doctor again');
  const healed = cli(['doctor'], { expect: 0 });
  failed = broken !== 1 || healed !== 0;
  say('');
  say(bold(failed ? 'The demo did not go as expected (see above).' : `Works locally, fails deployed — found and fixed in ${((Date.now() - started) / 1000).toFixed(1)} s.`));
} catch (error) {
  failed = true;
  process.stderr.write(`demo failed: ${error.message}\n`);
} finally {
  cleanup();
}
process.exit(failed ? 1 : 0);

function say(text) {
  process.stdout.write(`${text}\n`);
}

function step(n, title) {
  say(`\n${bold(`${n}. ${title}`)}`);
}

/** Runs the built CLI in the project folder, echoing the command line the way a user would type it. */
function cli(args, options = {}) {
  say(dim(`$ ${options.input ? 'printf %s "$OPENWEATHER_API_KEY" | ' : ''}weather-secrets ${args.join(' ')}`));
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: project, env, input: options.input ?? '', stdio: ['pipe', 'inherit', 'inherit'] });
  if (options.expect !== undefined && run.status !== options.expect) throw new Error(`weather-secrets ${args.join(' ')} exited ${run.status}, expected ${options.expect}`);
  if (options.expect === undefined && run.status !== 0) throw new Error(`weather-secrets ${args.join(' ')} exited ${run.status}`);
  return run.status;
}

function clientConfig() {
  return { region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } };
}

/** What `sam deploy` of the broken template leaves: the function and its generated role. */
async function deployBrokenStack() {
  const { CloudFormationClient, CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const template = {
    Resources: {
      WeatherFunctionRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust } },
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
  await new CloudFormationClient(clientConfig()).send(new CreateStackCommand({ StackName: 'openweather-demo', TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_IAM'] }));
  await putRolePolicy('WeatherFunctionRolePolicy0', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] });
}

/** Reads the fixed template with weather-secrets' own template reader and applies the function's inline policies. */
async function deployFixedPolicy() {
  const { analyseTemplateFunction, substituteTokens } = await import('../dist/template/index.js');
  const analysis = await analyseTemplateFunction(join(project, 'template.yaml'), 'WeatherFunction', { region: REGION, accountId: ACCOUNT });
  const inline = analysis.permissions.policies.filter((p) => p.name.startsWith('WeatherFunctionRolePolicy'));
  for (const policy of inline) {
    const document = JSON.parse(substituteTokens(JSON.stringify(policy.document), { accountId: ACCOUNT }));
    await putRolePolicy(policy.name, document);
    say(dim(`  ${policy.name}: ${JSON.stringify(document.Statement.map((s) => s.Action))}`));
  }
}

async function putRolePolicy(name, document) {
  const { CloudFormationClient, DescribeStackResourceCommand } = await import('@aws-sdk/client-cloudformation');
  const { IAMClient, PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
  const role = await new CloudFormationClient(clientConfig()).send(new DescribeStackResourceCommand({ StackName: 'openweather-demo', LogicalResourceId: 'WeatherFunctionRole' }));
  await new IAMClient(clientConfig()).send(new PutRolePolicyCommand({ RoleName: role.StackResourceDetail.PhysicalResourceId, PolicyName: name, PolicyDocument: JSON.stringify(document) }));
}

/**
 * `invoke --runtime host`: the example's Python handler as a child process through weather-secrets'
 * own runtime shim, with the developer's credentials: exactly why local runs succeed. Asynchronous,
 * because the OpenWeather stub answers from this same process. The handler needs boto3, which Lambda's
 * runtime ships; the emulator's venv has it, so it stands in for the app's own virtual environment.
 */
async function runHandlerLocally() {
  const { execa } = await import('execa');
  const args = ['invoke', '--runtime', 'host', '--event', 'events/event.json'];
  say(dim(`$ weather-secrets ${args.join(' ')}`));
  const run = await execa(process.execPath, [bin, ...args], {
    cwd: project,
    reject: false,
    timeout: 60_000,
    extendEnv: false,
    env: { ...env, VIRTUAL_ENV: join(root, '.venv'), OPENWEATHER_BASE_URL: weather.url },
    stdout: 'inherit',
    stderr: 'inherit',
  });
  if (run.exitCode !== 0) throw new Error(`weather-secrets ${args.join(' ')} exited ${run.exitCode}`);
}

/** A stand-in for api.openweathermap.org: accepts the demo key, answers Vienna's weather. */
function startOpenWeatherStub() {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const key = new URL(req.url, 'http://stub').searchParams.get('appid');
      const ok = key === 'demo-openweather-key-0000';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { name: 'Vienna', main: { temp: 7.3 }, weather: [{ description: 'light rain' }], cod: 200 } : { cod: 401, message: 'Invalid API key.' }));
    });
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }));
  });
}
