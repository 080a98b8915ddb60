/**
 * Live variant of the differential harness: each generated template is "deployed" into moto the way
 * CloudFormation would leave it (the translated role with its policies, the secret with its key, tags and
 * resource policy, the function), then `check-policy --json` (live) is compared with iam-simulate on
 * the same deployed world. Unseen policies of the static run exist here: they are created as allow-all.
 * AWS managed policies are created as customer-managed copies with the same document (moto's IAM runs
 * without its managed-policy set, see global-setup.ts).
 */
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { ACCOUNT_ID, motoClientConfig, motoEnv, resetMoto } from '../support/moto.js';
import { LAMBDA_TRUST } from '../support/scenarios.js';
import { NAME, REGION, generateCase } from './generate.js';
import { type Outcome, Translator, disagreements, figures, loadSnapshot, report } from './harness.js';
import { resolve, type World } from './resolve.js';
import { type Snapshot, truthFor } from './truth.js';

const CASES = Number(process.env.DIFF_LIVE_CASES ?? 200);
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
const EMPTY_ZIP = new Uint8Array([80, 75, 5, 6, ...new Array(18).fill(0)]);
const SHIPPED = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'managed-policies.json'), 'utf8')) as { policies: Record<string, { arn: string; document: unknown }> };

let dir: string;
let snapshot: Snapshot & { path: string };
let translator: Translator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ws-diff-live-'));
  snapshot = await loadSnapshot(dir);
  translator = new Translator(snapshot.path);
});
afterAll(async () => {
  translator.close();
  await rm(dir, { recursive: true, force: true });
});

const clients = () => ({ iam: new IAMClient(motoClientConfig(REGION)), kms: new KMSClient(motoClientConfig(REGION)), sm: new SecretsManagerClient(motoClientConfig(REGION)), lambda: new LambdaClient(motoClientConfig(REGION)) });

/** A managed policy document small enough for IAM: AWS's own, else the shipped (relevant) statements. */
function managedDocument(arn: string): unknown {
  const full = snapshot.documents[arn];
  if (full && JSON.stringify(full).length < 6000) return full;
  return Object.values(SHIPPED.policies).find((p) => p.arn === arn)?.document ?? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: '*' }] };
}

/** Seeds moto with the translated template in moto's world; returns the function name and the truth's fixed world. */
async function deploy(cfn: Record<string, unknown>, seed: number) {
  const c = clients();
  const resources = cfn.Resources as Resources;
  const physical: Record<string, string> = {};
  const params = Object.fromEntries(Object.entries((cfn.Parameters ?? {}) as Record<string, { Default?: string }>).map(([k, v]) => [k, String(v.Default)]));
  const world = (): World => ({ account: ACCOUNT_ID, region: REGION, parameters: params, physical, conditions: (cfn.Conditions ?? {}) as Record<string, unknown>, mappings: {} });
  for (const [id, r] of Object.entries(resources)) if (r.Type === 'AWS::IAM::Role') { physical[id] = id; physical[`${id}.Arn`] = `arn:aws:iam::${ACCOUNT_ID}:role/${id}`; }
  if (resources.AppKey) {
    const policy = resources.AppKey.Properties?.KeyPolicy;
    const key = await c.kms.send(new CreateKeyCommand({ Policy: policy ? JSON.stringify(resolve(policy, world())) : undefined }));
    physical.AppKey = key.KeyMetadata!.KeyId!;
    physical['AppKey.Arn'] = key.KeyMetadata!.Arn!;
  }
  if (resources.AppKeyAlias) physical.AppKeyAlias = 'alias/weather';
  const secretProps = resources.AppSecret ? (resolve(resources.AppSecret.Properties, world()) as Record<string, unknown>) : {};
  const secret = await c.sm.send(new CreateSecretCommand({ Name: NAME, SecretString: '{"OPENWEATHER_API_KEY":"CANARY-live-diff"}', KmsKeyId: secretProps.KmsKeyId as string | undefined, Tags: secretProps.Tags as Array<{ Key: string; Value: string }> | undefined }));
  physical.AppSecret = secret.ARN!;
  if (resources.AppSecretPolicy) {
    await c.sm.send(new PutResourcePolicyCommand({ SecretId: secret.ARN!, ResourcePolicy: JSON.stringify(resolve(resources.AppSecretPolicy.Properties!.ResourcePolicy, world())) }));
  }
  const fn = resolve(resources.WeatherFunction!.Properties, world()) as Record<string, unknown>;
  const roleName = String(fn.Role).split('/').pop()!;
  await c.iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(LAMBDA_TRUST) }));
  const role = resources[roleName] ? (resolve(resources[roleName]!.Properties, world()) as Record<string, unknown>) : { Policies: [{ PolicyName: 'shared', PolicyDocument: ALLOW_ALL }] };
  for (const p of (role.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: unknown }>) {
    await c.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: p.PolicyName, PolicyDocument: JSON.stringify({ Version: '2012-10-17', ...(p.PolicyDocument as object) }) }));
  }
  const managed = async (arn: string): Promise<string> => {
    const document = arn.includes(':aws:policy/') ? managedDocument(arn) : ALLOW_ALL;
    const name = `${arn.split('/').pop()}-copy`;
    // moto insists on a Version (IAM itself would default to 2008-10-17); none of these use variables.
    const out = await c.iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify({ Version: '2012-10-17', ...(document as object) }) })).catch(() => undefined);
    return out?.Policy?.Arn ?? `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`;
  };
  for (const arn of new Set((role.ManagedPolicyArns ?? []) as string[])) await c.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: await managed(arn) }));
  if (role.PermissionsBoundary) await c.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: await managed(String(role.PermissionsBoundary)) }));
  const name = `wf-${seed}`;
  await c.lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'python3.12', Handler: 'index.handler', Role: `arn:aws:iam::${ACCOUNT_ID}:role/${roleName}`, Code: { ZipFile: EMPTY_ZIP },
    Environment: { Variables: { SECRET_NAME: NAME } }, VpcConfig: fn.VpcConfig as { SubnetIds: string[]; SecurityGroupIds: string[] } | undefined,
  }));
  return { name, fixed: { account: ACCOUNT_ID, secretArn: secret.ARN!, physical, unseen: 1 } };
}

describe('differential (live, on moto): check-policy against aws-sam-translator + iam-simulate', () => {
  it(`${CASES} deployed scenarios: no false "can read", no crash, >= 99% agreement where knowable`, async () => {
    const outcomes: Outcome[] = [];
    for (let seed = 100_001; outcomes.length < CASES; seed++) {
      const c = generateCase(seed);
      if (c.secretId) continue;
      const t = await translator.translate(c.template);
      if (!t.ok) continue;
      await resetMoto();
      const { name, fixed } = await deploy(t.cfn, seed);
      const truth = (await truthFor(t.cfn, snapshot, undefined, fixed)).answer;
      const run = await runCli(['check-policy', '--function', name, '--secret-id', NAME, '--json'], { env: motoEnv({ AWS_REGION: REGION }), cwd: dir });
      let tool: Outcome['tool'] = 'crash';
      let detail = `exit ${run.exitCode}: ${run.stderr.slice(0, 300)}`;
      try {
        const json = JSON.parse(run.stdout) as { verdict: Outcome['tool']; findings: Array<{ code: string; message: string }> };
        if ([0, 1, 3].includes(run.exitCode)) { tool = json.verdict; detail = json.findings.map((f) => `${f.code}: ${f.message}`).join(' | ').slice(0, 600); }
      } catch { /* crash */ }
      outcomes.push({ seed, tags: [...c.tags], truth, tool, detail });
    }
    console.log(report(outcomes));
    const bad = disagreements(outcomes);
    for (const o of bad.slice(0, 3)) console.log(`seed ${o.seed}: truth ${o.truth}, tool ${o.tool}: ${o.detail}\n${JSON.stringify(generateCase(o.seed).template, null, 1)}`);
    const f = figures(outcomes);
    expect({ falseCanRead: f.falseAllow, crashes: f.crashes }).toEqual({ falseCanRead: 0, crashes: 0 });
    expect(f.agree / f.knowable).toBeGreaterThanOrEqual(0.99);
  }, 2_400_000);
});
