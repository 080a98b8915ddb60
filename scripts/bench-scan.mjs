#!/usr/bin/env node
// `npm run bench:scan`: seeds moto with 200 functions, 10 roles and 3 secrets, then runs
// `check-policy --all-functions` and `--all --stack-name` through a loopback proxy that adds 50 ms to
// every request, and one single-function check for comparison. Prints figures against the goals;
// asserts nothing (this machine is shared and noisy).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto } from './lib/moto-server.mjs';
import { roundTripDepth, startLatencyProxy } from './lib/latency-proxy.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'weather-secrets.cjs');
const FUNCTIONS = Number(process.env.FUNCTIONS ?? 200);
const ROLES = 10;
const SECRETS = 3;
const DELAY = Number(process.env.DELAY_MS ?? 50);
const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';

execFileSync(process.execPath, [join(root, 'scripts', 'setup-emulator.mjs')], { stdio: 'inherit' });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const moto = await startMoto(root);
const proxy = await startLatencyProxy(moto.endpoint, DELAY);
const work = mkdtempSync(join(tmpdir(), 'ws-bench-'));
try {
  const seedStart = Date.now();
  await seed(moto.endpoint);
  console.log(`seeded ${FUNCTIONS} functions (${FUNCTIONS / 2} in stack bench), ${ROLES} roles, ${SECRETS} secrets in ${((Date.now() - seedStart) / 1000).toFixed(1)} s; ${DELAY} ms added per request\n`);
  const single = await run(['check-policy', '--function', 'bench-fn-0', '--json']);
  report('single-function check', single);
  const region = await run(['check-policy', '--all-functions', '--json']);
  report(`--all-functions (${FUNCTIONS} functions)`, region, FUNCTIONS, single);
  const stack = await run(['check-policy', '--all', '--stack-name', 'bench', '--json']);
  report(`--all --stack-name (${FUNCTIONS / 2} functions)`, stack, FUNCTIONS / 2, single);
} finally {
  await proxy.close();
  moto.stop();
  rmSync(work, { recursive: true, force: true });
}

async function run(args) {
  proxy.reset();
  const rssFile = join(work, `rss-${Date.now()}`);
  const env = {
    PATH: process.env.PATH, HOME: work, NO_COLOR: '1', AWS_REGION: REGION, AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', RSS_FILE: rssFile,
  };
  const start = performance.now();
  // Asynchronously: the latency proxy answers from this same process.
  const child = await runChild(['--import', join(root, 'scripts', 'lib', 'report-rss.mjs'), bin, ...args], { env, cwd: work });
  const wall = performance.now() - start;
  const json = JSON.parse(child.stdout || '{}');
  const action = (what) => what.replace(/\/functions\/[^/]+\/configuration$/, '/functions/NAME/configuration');
  return { wall, exit: child.status, calls: proxy.log.length, depth: roundTripDepth(proxy.log), rssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024, json, byAction: countBy(proxy.log.map((l) => action(l.what))) };
}

function report(name, r, functions, single) {
  console.log(`${name}: exit ${r.exit}, ${(r.wall / 1000).toFixed(2)} s, ${r.calls} API calls, round-trip depth ${r.depth}, peak RSS ${r.rssMiB.toFixed(0)} MiB`);
  if (r.json.summary) console.log(`  verdicts: ${JSON.stringify(r.json.summary)}`);
  if (functions) {
    const budget = functions + 5 * ROLES + 3 * SECRETS;
    console.log(`  API calls ${r.calls} vs goal ≤ ${budget} (functions + 5×roles + 3×secrets): ${r.calls <= budget ? 'met' : 'NOT met'}`);
    console.log(`  peak RSS ${r.rssMiB.toFixed(0)} MiB vs goal ≤ 150 MiB: ${r.rssMiB <= 150 ? 'met' : 'NOT met'}`);
    console.log(`  wall ${(r.wall / single.wall).toFixed(2)}× one single-function check vs goal ≤ 3×: ${r.wall / single.wall <= 3 ? 'met' : 'NOT met'}`);
  }
  console.log(`  calls by action: ${Object.entries(r.byAction).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
}

function runChild(args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function countBy(list) {
  const out = {};
  for (const x of list) out[x] = (out[x] ?? 0) + 1;
  return out;
}

async function seed(endpoint) {
  const config = { region: REGION, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const { IAMClient, CreateRoleCommand, PutRolePolicyCommand, AttachRolePolicyCommand, CreatePolicyCommand } = await import('@aws-sdk/client-iam');
  const { LambdaClient, CreateFunctionCommand } = await import('@aws-sdk/client-lambda');
  const { SecretsManagerClient, CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  const { CloudFormationClient, CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
  const iam = new IAMClient(config);
  const lambda = new LambdaClient(config);
  const sm = new SecretsManagerClient(config);
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const secrets = Array.from({ length: SECRETS }, (_, i) => `bench/secret-${i}`);
  for (const name of secrets) await sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"OPENWEATHER_API_KEY":"bench"}' }));
  const logs = await iam.send(new CreatePolicyCommand({ PolicyName: 'bench-logs', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] }) }));
  // Half the roles for the region's loose functions, half for the stack's (created by CloudFormation).
  const roleArns = [];
  for (let r = 0; r < ROLES / 2; r++) {
    const role = await iam.send(new CreateRoleCommand({ RoleName: `bench-role-${r}`, AssumeRolePolicyDocument: trust }));
    await iam.send(new PutRolePolicyCommand({ RoleName: `bench-role-${r}`, PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:bench/*` }] }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: `bench-role-${r}`, PolicyArn: logs.Policy.Arn }));
    roleArns.push(role.Role.Arn);
  }
  const zip = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');
  const loose = Array.from({ length: FUNCTIONS / 2 }, (_, i) => i);
  for (let i = 0; i < loose.length; i += 10) {
    await Promise.all(loose.slice(i, i + 10).map((n) => lambda.send(new CreateFunctionCommand({
      FunctionName: `bench-fn-${n}`, Runtime: 'python3.12', Handler: 'app.h', Role: roleArns[n % roleArns.length], Code: { ZipFile: zip },
      Environment: { Variables: { SECRET_NAME: secrets[n % SECRETS] } },
    }))));
  }
  const resources = {};
  for (let r = 0; r < ROLES / 2; r++) {
    resources[`Role${r}`] = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: JSON.parse(trust) } };
  }
  for (let n = 0; n < FUNCTIONS / 2; n++) {
    resources[`Fn${n}`] = { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'app.h', Role: { 'Fn::GetAtt': [`Role${n % (ROLES / 2)}`, 'Arn'] }, Code: { ZipFile: 'def h(e, c):\n    return {}\n' }, Environment: { Variables: { SECRET_NAME: secrets[n % SECRETS] } } } };
  }
  const cfn = new CloudFormationClient(config);
  await cfn.send(new CreateStackCommand({ StackName: 'bench', TemplateBody: JSON.stringify({ Resources: resources }), Capabilities: ['CAPABILITY_IAM'] }));
  // Inline policies through IAM, not the template: moto answers stack-created ones in a form IAM never would.
  const { ListStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
  const listed = await cfn.send(new ListStackResourcesCommand({ StackName: 'bench' }));
  for (const r of listed.StackResourceSummaries ?? []) {
    if (r.ResourceType !== 'AWS::IAM::Role') continue;
    await iam.send(new PutRolePolicyCommand({ RoleName: r.PhysicalResourceId, PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:bench/*` }] }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: r.PhysicalResourceId, PolicyArn: logs.Policy.Arn }));
  }
}
