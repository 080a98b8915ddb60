#!/usr/bin/env node
// `npm run bench`: the figures of issue 11 in one run, as ratios. Prints, asserts nothing.
//  - start-up: `--help` and `--version` against a bare `node -e 0` (medians);
//  - a live single-function check through a loopback proxy adding DELAY_MS to each request in front of
//    moto: its sequential round-trip depth, request count, peak RSS and wall time;
//  - the static check's time against `--version`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto } from './lib/moto-server.mjs';
import { roundTripDepth, startLatencyProxy } from './lib/latency-proxy.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'weather-secrets.cjs');
const RUNS = Number(process.env.RUNS ?? 11);
const DELAY = Number(process.env.DELAY_MS ?? 50);
const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

execFileSync(process.execPath, [join(root, 'scripts', 'setup-emulator.mjs')], { stdio: 'inherit' });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const work = mkdtempSync(join(tmpdir(), 'ws-bench-'));
const baseEnv = { PATH: process.env.PATH, HOME: work, NO_COLOR: '1', AWS_REGION: REGION, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

const timeOf = async (args, env = baseEnv) => {
  await runChild(args, env); // warm-up (fills Node 22's compile cache)
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await runChild(args, env);
    times.push(performance.now() - start);
  }
  return median(times);
};

const node = await timeOf(['-e', '0']);
const help = await timeOf([bin, '--help']);
const version = await timeOf([bin, '--version']);
console.log(`start-up (median of ${RUNS}, Node ${process.versions.node}${typeof (await import('node:module')).default.enableCompileCache === 'function' ? ', compile cache on' : ', no compile cache in this Node'}):`);
console.log(`  node -e 0            ${node.toFixed(0)} ms`);
console.log(`  --help               ${help.toFixed(0)} ms  = ${(help / node).toFixed(2)}× node -e 0  (goal ≤ 1.2×)`);
console.log(`  --version            ${version.toFixed(0)} ms  = ${(version / node).toFixed(2)}× node -e 0  (goal ≤ 1.2×)`);

const template = join(root, 'examples', 'openweather', 'template.yaml');
const staticCheck = await timeOf([bin, 'check-policy', '--static', '--template', template, '--json']);
console.log(`static check           ${staticCheck.toFixed(0)} ms  = ${(staticCheck / version).toFixed(2)}× --version`);

const moto = await startMoto(root);
const proxy = await startLatencyProxy(moto.endpoint, DELAY);
try {
  const fn = await seed(moto.endpoint);
  const rssFile = join(work, 'rss');
  proxy.reset();
  const start = performance.now();
  const run = await runChild(['--import', join(root, 'scripts', 'lib', 'report-rss.mjs'), bin, 'check-policy', '--function', fn, '--json'], { ...baseEnv, AWS_ENDPOINT_URL: proxy.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_EC2_METADATA_DISABLED: 'true', RSS_FILE: rssFile });
  const wall = performance.now() - start;
  const verdict = JSON.parse(run.stdout || '{}').verdict;
  console.log(`live single check (${DELAY} ms per request, verdict ${verdict}):`);
  console.log(`  round-trip depth ${roundTripDepth(proxy.log)} (goal ≤ 4), ${proxy.log.length} requests, peak RSS ${(Number(readFileSync(rssFile, 'utf8')) / 1024).toFixed(0)} MiB, ${wall.toFixed(0)} ms`);
  const t0 = Math.min(...proxy.log.map((l) => l.start));
  if (process.env.TIMELINE) for (const l of proxy.log) console.log(`    ${(l.start - t0).toFixed(0).padStart(5)}–${(l.end - t0).toFixed(0).padStart(5)} ms  ${l.what.replace(/\/functions\/[^/]+\/configuration/, '/functions/NAME/configuration')}`);
  console.log(`  requests: ${proxy.log.map((l) => l.what.replace(/\/functions\/[^/]+\/configuration/, '/functions/NAME/configuration')).join(', ')}`);
} finally {
  await proxy.close();
  moto.stop();
  rmSync(work, { recursive: true, force: true });
}

function runChild(args, env) {
  return new Promise((resolve, reject) => {
    // Asynchronously: the latency proxy answers from this same process.
    const child = spawn(process.execPath, args, { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

async function seed(endpoint) {
  const config = { region: REGION, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const { IAMClient, CreateRoleCommand, PutRolePolicyCommand, CreatePolicyCommand, AttachRolePolicyCommand } = await import('@aws-sdk/client-iam');
  const { LambdaClient, CreateFunctionCommand } = await import('@aws-sdk/client-lambda');
  const { SecretsManagerClient, CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  const iam = new IAMClient(config);
  await new SecretsManagerClient(config).send(new CreateSecretCommand({ Name: 'openweatherapi', SecretString: '{"OPENWEATHER_API_KEY":"bench"}' }));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const role = await iam.send(new CreateRoleCommand({ RoleName: 'bench-role', AssumeRolePolicyDocument: trust }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'bench-role', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:openweatherapi-??????` }] }) }));
  const logs = await iam.send(new CreatePolicyCommand({ PolicyName: 'bench-logs', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] }) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'bench-role', PolicyArn: logs.Policy.Arn }));
  const zip = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');
  await new LambdaClient(config).send(new CreateFunctionCommand({ FunctionName: 'bench-fn', Runtime: 'python3.12', Handler: 'app.h', Role: role.Role.Arn, Code: { ZipFile: zip }, Environment: { Variables: { SECRET_NAME: 'openweatherapi' } } }));
  return 'bench-fn';
}
