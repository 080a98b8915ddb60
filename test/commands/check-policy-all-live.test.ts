/**
 * check-policy --all, live against moto: every function of a deployed stack (a nested stack's too)
 * and every function of the region, each judged by the single live check.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { motoClientConfig, motoEndpoint, motoEnv, resetMoto } from '../support/moto.js';
import { LAMBDA_TRUST, SECRET_PATTERN, allow, clients, createFunction, createRole, createSecret, doc } from '../support/scenarios.js';

beforeEach(resetMoto);

const fnResource = (role: string, env: Record<string, string>) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'python3.12', Handler: 'app.h', Role: { 'Fn::GetAtt': [role, 'Arn'] }, Code: { ZipFile: 'def h(e, c):\n    return {}\n' }, Environment: { Variables: env } },
});

async function deployStacks(): Promise<Record<string, string>> {
  const { CloudFormationClient, CreateStackCommand, ListStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = new CloudFormationClient(motoClientConfig());
  const nested = { Resources: { AlertsRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST } }, AlertsFunction: fnResource('AlertsRole', { SECRET_NAME: 'openweatherapi' }) } };
  // The nested template goes into moto's S3 by its REST API (path style): no S3 client needed for two calls.
  const bucket = '<CreateBucketConfiguration><LocationConstraint>eu-central-1</LocationConstraint></CreateBucketConfiguration>';
  expect((await fetch(`${motoEndpoint()}/templates`, { method: 'PUT', body: bucket })).ok).toBe(true);
  expect((await fetch(`${motoEndpoint()}/templates/alerts.json`, { method: 'PUT', body: JSON.stringify(nested) })).ok).toBe(true);
  const template = {
    Resources: {
      WeatherRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST } },
      ForecastRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST } },
      WeatherFunction: fnResource('WeatherRole', { SECRET_NAME: 'openweatherapi' }),
      ForecastFunction: fnResource('ForecastRole', { SECRET_NAME: 'openweatherapi' }),
      Alerts: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://s3.amazonaws.com/templates/alerts.json' } },
    },
  };
  await cfn.send(new CreateStackCommand({ StackName: 'weather', TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_IAM'] }));
  const physical: Record<string, string> = {};
  for (const r of (await cfn.send(new ListStackResourcesCommand({ StackName: 'weather' }))).StackResourceSummaries ?? []) physical[r.LogicalResourceId!] = r.PhysicalResourceId!;
  return physical;
}

async function grant(roleName: string) {
  const { PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
  await clients().iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'read', PolicyDocument: JSON.stringify(doc(allow(SECRET_PATTERN))) }));
}

describe('check-policy --all --stack-name (live)', () => {
  it('checks every function of the stack and its nested stack', async () => {
    await createSecret();
    const physical = await deployStacks();
    await grant(physical.WeatherRole!);
    const run = await runCli(['check-policy', '--all', '--stack-name', 'weather', '--json'], { env: motoEnv(), cwd: '/' });
    expect(run.stderr).not.toMatch(/of \d+ functions/); // no progress without a TTY, never with --json
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ scope: 'all', method: 'live' });
    const rows = json.checks.map((c: { function: { logicalId: string }; stack: string; verdict: string; code?: string }) => [c.stack, c.function.logicalId, c.verdict, c.code ?? '']).sort();
    expect(rows).toEqual([
      ['weather', 'ForecastFunction', 'denied', 'no-grant'],
      ['weather', 'WeatherFunction', 'allowed', ''],
      ['weather/Alerts', 'AlertsFunction', 'denied', 'no-grant'],
    ]);
    expect(run.exitCode).toBe(1);
  });

  it('a stack that does not exist is a usage error (exit 2)', async () => {
    const run = await runCli(['check-policy', '--all', '--stack-name', 'nope'], { env: motoEnv(), cwd: '/' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('No stack nope');
  });
});

describe('check-policy --all-functions (live)', () => {
  it('checks every function of the region; --format github annotates each failing one', async () => {
    await createSecret();
    const readRole = await createRole({ name: 'reader', inline: { read: doc(allow(SECRET_PATTERN)) } });
    const bareRole = await createRole({ name: 'bare' });
    await createFunction(readRole, { name: 'fn-a' });
    await createFunction(readRole, { name: 'fn-b' });
    await createFunction(bareRole, { name: 'fn-c' });
    const json = JSON.parse((await runCli(['check-policy', '--all-functions', '--json'], { env: motoEnv(), cwd: '/' })).stdout);
    expect(json.checks.map((c: { function: { name: string }; verdict: string }) => [c.function.name, c.verdict]).sort()).toEqual([['fn-a', 'allowed'], ['fn-b', 'allowed'], ['fn-c', 'denied']]);
    const gh = await runCli(['check-policy', '--all-functions', '--format', 'github'], { env: motoEnv(), cwd: '/' });
    expect(gh.exitCode).toBe(1);
    expect(gh.stdout).toMatch(/^::error title=weather-secrets no-grant::fn-c → openweatherapi: denied\./m);
    // Live results have no template line: SARIF names the function as a logical location, and stays valid.
    const sarif = JSON.parse((await runCli(['check-policy', '--all-functions', '--format', 'sarif'], { env: motoEnv(), cwd: '/' })).stdout);
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    const Ajv = (createRequire(import.meta.url)('ajv-draft-04') as { default: new (o: object) => { compile(s: object): (d: unknown) => boolean } }).default;
    expect(new Ajv({ strict: false, unicodeRegExp: false }).compile(schema)(sarif)).toBe(true);
    expect(sarif.runs[0].results.map((r: { locations: Array<{ logicalLocations: Array<{ name: string }> }> }) => r.locations[0]!.logicalLocations[0]!.name)).toEqual(['fn-c']);
  });
});

describe('check-policy --all-functions with many roles (live)', () => {
  it('reads the roles with GetAccountAuthorizationDetails, not one by one, and judges as the per-role path does', async () => {
    const { startRecordingProxy } = await import('../support/recording-proxy.js');
    await createSecret();
    const expected: Array<[string, string]> = [];
    const logsOnly = doc({ Effect: 'Allow', Action: 'logs:*', Resource: '*' });
    for (let i = 0; i < 24; i++) {
      // A third of the roles have no grant; some grant through a managed policy; two have a boundary that blocks it.
      const grants = i % 3 !== 0;
      const managed = grants && i % 4 === 1;
      const blocked = i === 2 || i === 5;
      const arn = await createRole({
        name: `role-${i}`,
        ...(grants && !managed && { inline: { read: doc(allow(SECRET_PATTERN)) } }),
        ...(managed && { managed: { [`read-${i}`]: doc(allow(SECRET_PATTERN)) } }),
        ...(blocked && { boundary: logsOnly }),
      });
      await createFunction(arn, { name: `fn-${String(i).padStart(2, '0')}` });
      expected.push([`fn-${String(i).padStart(2, '0')}`, grants && !blocked ? 'allowed' : 'denied']);
    }
    const scan = async (denyBulk: boolean) => {
      const denied = '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: iam:GetAccountAuthorizationDetails</Message></Error><RequestId>1</RequestId></ErrorResponse>';
      const proxy = await startRecordingProxy(motoEndpoint(), (body) => (denyBulk && new URLSearchParams(body).get('Action') === 'GetAccountAuthorizationDetails' ? { status: 403, body: denied } : undefined));
      try {
        const run = await runCli(['check-policy', '--all-functions', '--json'], { env: motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint }), cwd: '/' });
        const json = JSON.parse(run.stdout);
        expect(json.checks.map((c: { function: { name: string }; verdict: string }) => [c.function.name, c.verdict]).sort()).toEqual(expected.sort());
        const actions = proxy.requests.map((r) => r.target);
        return { bulk: actions.filter((a) => a === 'GetAccountAuthorizationDetails').length, perRole: actions.filter((a) => ['GetRole', 'ListRolePolicies', 'GetRolePolicy', 'ListAttachedRolePolicies'].includes(a)).length };
      } finally {
        await proxy.close();
      }
    };
    expect(await scan(false)).toEqual({ bulk: 1, perRole: 0 });
    // Not allowed to read them in bulk: each role is read on its own, with the same verdicts.
    expect((await scan(true)).perRole).toBeGreaterThanOrEqual(24 * 3);
  });
});
