/**
 * The harness's answer for one translated template: "can WeatherFunction's role read the secret?"
 * evaluated by @cloud-copilot/iam-simulate (AGPL: test-only, never imported from src/) in every world
 * the template leaves open (deploying account, random suffix, unseen policies, condition keys the
 * template cannot know). The answer is "undetermined" unless every world agrees.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { LITERAL_ACCOUNT, LITERAL_SUFFIX, NAME, REGION } from './generate.js';
import { resolve, type World } from './resolve.js';

export type Answer = 'allowed' | 'denied' | 'undetermined';
type Doc = { Version?: string; Statement: unknown };
export interface Snapshot { documents: Record<string, Doc> }

const ALLOW_ALL: Doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const DENY_ALL: Doc = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] };
const EMPTY: Doc = { Version: '2012-10-17', Statement: [] };
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

interface Open { account: string; suffix: string; sourceIp: string | undefined; vpce: boolean; stage: string | undefined; tagKnown: boolean; tag: string | undefined; unseen: number[] }

/** One value per open dimension the case mentions; dimensions it never mentions keep one value. */
function worlds(cfn: Record<string, unknown>, fullArn: boolean, unseenCount: number, vpc: boolean, externalSecret: boolean): Open[] {
  const text = JSON.stringify(cfn);
  const dims: Array<[keyof Open, unknown[]]> = [
    ['account', fullArn ? [LITERAL_ACCOUNT] : [LITERAL_ACCOUNT, '444455556666']],
    ['suffix', fullArn ? [LITERAL_SUFFIX] : [LITERAL_SUFFIX, 'Q1w2E3']],
    ['sourceIp', text.includes('aws:SourceIp') ? ['52.28.0.1', '3.120.0.1'] : ['52.28.0.1']],
    ['vpce', vpc && /SourceVpc|SourceIp/.test(text) ? [false, true] : [false]],
    ['stage', text.includes('VersionStage') ? [undefined, 'AWSCURRENT'] : [undefined]],
    ['tag', externalSecret && text.includes('ResourceTag') ? [undefined, 'prod'] : ['prod']],
  ];
  let all: Array<Partial<Open>> = [{ tagKnown: !externalSecret, unseen: [] }];
  for (const [key, values] of dims) all = all.flatMap((w) => values.map((v) => ({ ...w, [key]: v })));
  for (let i = 0; i < unseenCount; i++) all = all.flatMap((w) => [0, 1, 2].map((u) => ({ ...w, unseen: [...w.unseen!, u] })));
  return all as Open[];
}

interface Picture { identity: Array<{ name: string; policy: Doc }>; boundary?: Doc; resourcePolicy?: Doc; keyArn?: string; keyPolicy?: Doc; aliases: string[]; roleArn: string; secretArn: string }

function unseenDoc(choice: number): Doc { return choice === 0 ? EMPTY : choice === 1 ? ALLOW_ALL : DENY_ALL; }

/** Reads the role, its policies, boundary, resource policy and key in one world. */
function picture(cfn: Record<string, unknown>, snapshot: Snapshot, o: Open, secretIdArn: string | undefined, fixed?: Fixed): Picture | 'unseen-count' {
  const resources = cfn.Resources as Resources;
  const secretArn = fixed?.secretArn ?? secretIdArn ?? `arn:aws:secretsmanager:${REGION}:${o.account}:secret:${NAME}-${o.suffix}`;
  const physical: Record<string, string> = {};
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::SecretsManager::Secret') physical[id] = secretArn;
    if (r.Type === 'AWS::KMS::Key') { physical[id] = `key-${id}`; physical[`${id}.Arn`] = `arn:aws:kms:${REGION}:${o.account}:key/key-${id}`; }
    if (r.Type === 'AWS::IAM::Role') { physical[id] = id; physical[`${id}.Arn`] = `arn:aws:iam::${o.account}:role/${id}`; }
    if (r.Type === 'AWS::IAM::ManagedPolicy') physical[id] = `arn:aws:iam::${o.account}:policy/${id}`;
    if (r.Type === 'AWS::KMS::Alias') physical[id] = String(r.Properties?.AliasName);
  }
  Object.assign(physical, fixed?.physical);
  const params = Object.fromEntries(Object.entries((cfn.Parameters ?? {}) as Record<string, { Default?: string }>).map(([k, v]) => [k, String(v.Default)]));
  const w: World = { account: o.account, region: REGION, parameters: params, physical, conditions: (cfn.Conditions ?? {}) as Record<string, unknown>, mappings: (cfn.Mappings ?? {}) as World['mappings'] };
  const fn = resolve(resources.WeatherFunction!.Properties, w) as Record<string, unknown>;
  const roleArn = String(fn.Role);
  const roleId = Object.keys(resources).find((id) => physical[`${id}.Arn`] === roleArn);
  let unseen = 0;
  const managed = (arn: string): Doc => {
    const local = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && physical[id] === arn);
    if (local) return resolve(local[1].Properties!.PolicyDocument, w) as Doc;
    const doc = snapshot.documents[arn];
    if (doc) return doc;
    return unseenDoc(o.unseen[unseen++] ?? -1);
  };
  const identity: Picture['identity'] = [];
  let boundary: Doc | undefined;
  if (roleId) {
    const role = resolve(resources[roleId]!.Properties, w) as Record<string, unknown>;
    for (const p of (role.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: Doc }>) identity.push({ name: p.PolicyName, policy: p.PolicyDocument });
    for (const arn of (role.ManagedPolicyArns ?? []) as string[]) identity.push({ name: arn, policy: managed(arn) });
    if (role.PermissionsBoundary) boundary = managed(String(role.PermissionsBoundary));
    if (boundary && !isRecord(boundary)) throw new Error('bad boundary');
  } else {
    // A role not in the template: what it holds is unseen (it may allow or deny anything).
    identity.push({ name: 'external role', policy: unseenDoc(o.unseen[unseen++] ?? -1) });
  }
  if (o.unseen.length !== unseen) return 'unseen-count';
  const pic: Picture = { identity, roleArn, secretArn, aliases: [] };
  if (boundary) pic.boundary = boundary;
  for (const [, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::SecretsManager::ResourcePolicy' && resolve(r.Properties!.SecretId, w) === secretArn) pic.resourcePolicy = resolve(r.Properties!.ResourcePolicy, w) as Doc;
    if (r.Type === 'AWS::SecretsManager::Secret' && physical[Object.keys(resources).find((k) => resources[k] === r)!] === secretArn && r.Properties?.KmsKeyId !== undefined) {
      const key = String(resolve(r.Properties.KmsKeyId, w));
      const keyId = Object.keys(resources).find((k) => physical[k] === key || physical[`${k}.Arn`] === key)!;
      pic.keyArn = physical[`${keyId}.Arn`]!;
      const declared = resources[keyId]!.Properties?.KeyPolicy;
      // KMS developer guide, key-policy-default.html: without a policy the key trusts the account root.
      pic.keyPolicy = declared ? (resolve(declared, w) as Doc) : { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${o.account}:root` }, Action: 'kms:*', Resource: '*' }] };
      pic.aliases = Object.values(resources).filter((a) => a.Type === 'AWS::KMS::Alias' && resolve(a.Properties!.TargetKeyId, w) === physical[keyId]).map((a) => String(a.Properties!.AliasName));
    }
  }
  return pic;
}

/**
 * iam-simulate 0.1.173 finds 52.28.0.1 outside 0.0.0.0/0 (a 32-bit shift); per the IAM user guide
 * (reference_policies_elements_condition_operators.html, IP address operators, RFC 4632) /0 holds every
 * IPv4 address. Hand it the equivalent pair of /1 blocks instead.
 */
function avoidSlashZero<T>(simulation: T): T {
  return JSON.parse(JSON.stringify(simulation).split('"0.0.0.0/0"').join('["0.0.0.0/1","128.0.0.0/1"]')) as T;
}

async function simulate(p: Picture, o: Open, action: string, resource: string, resourcePolicy: Doc | undefined, extra: Record<string, string | string[]>): Promise<boolean> {
  const context: Record<string, string | string[]> = { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': p.roleArn, 'aws:PrincipalAccount': o.account, 'aws:ResourceAccount': o.account, ...extra };
  if (!o.vpce && o.sourceIp) context['aws:SourceIp'] = o.sourceIp;
  if (o.vpce) { context['aws:SourceVpce'] = 'vpce-0abc'; context['aws:SourceVpc'] = 'vpc-0abc'; }
  const response = await runSimulation(avoidSlashZero({
    request: { principal: p.roleArn, action, resource: { resource, accountId: o.account }, contextVariables: context },
    identityPolicies: p.identity, serviceControlPolicies: [], resourceControlPolicies: [],
    ...(p.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: p.boundary }] } : {}),
    ...(resourcePolicy ? { resourcePolicy } : {}),
  }), {});
  if (response.resultType !== 'single') throw new Error(`iam-simulate rejected the case: ${JSON.stringify(response).slice(0, 400)}`);
  return response.overallResult === 'Allowed';
}

async function worldAnswer(p: Picture, o: Open): Promise<boolean> {
  const smContext: Record<string, string> = {};
  if (o.stage) smContext['secretsmanager:VersionStage'] = o.stage;
  if (o.tag) smContext['aws:ResourceTag/env'] = o.tag;
  if (!(await simulate(p, o, 'secretsmanager:GetSecretValue', p.secretArn, p.resourcePolicy, smContext))) return false;
  if (!p.keyArn) return true;
  const kmsContext: Record<string, string | string[]> = { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com`, 'kms:CallerAccount': o.account };
  if (p.aliases.length > 0) kmsContext['kms:ResourceAliases'] = p.aliases;
  return simulate(p, o, 'kms:Decrypt', p.keyArn, p.keyPolicy, kmsContext);
}

export interface Truth { answer: Answer; worlds: number }

/** The live variant: one deployed world (moto's account, the real suffix and key, unseen policies as created). */
export interface Fixed { account: string; secretArn: string; physical: Record<string, string>; unseen: number }

export async function truthFor(cfn: Record<string, unknown>, snapshot: Snapshot, secretIdArn: string | undefined, fixed?: Fixed): Promise<Truth> {
  const resources = cfn.Resources as Resources;
  const fnProps = resources.WeatherFunction!.Properties ?? {};
  const externalSecret = !Object.values(resources).some((r) => r.Type === 'AWS::SecretsManager::Secret');
  // How many unseen documents a world must fill: count by trying (each world reports a mismatch).
  let seen: boolean | undefined;
  let count = 0;
  for (let unseen = 0; unseen <= 4; unseen++) {
    let all = worlds(cfn, secretIdArn !== undefined || fixed !== undefined, unseen, fnProps.VpcConfig !== undefined, externalSecret);
    // Live: one account, the secret's real tags (the template's, or none), unseen policies as created,
    // and no VPC endpoint (moto's VPCs of functions have none).
    if (fixed) all = all.filter((o) => o.unseen.every((u) => u === fixed.unseen) && o.suffix === all[0]!.suffix && !o.vpce).map((o) => ({ ...o, account: fixed.account, tag: externalSecret ? undefined : 'prod' }));
    const first = picture(cfn, snapshot, all[0]!, secretIdArn, fixed);
    if (first === 'unseen-count') continue;
    for (const o of all) {
      const p = picture(cfn, snapshot, o, secretIdArn, fixed) as Picture;
      const answer = await worldAnswer(p, o);
      count++;
      if (seen === undefined) seen = answer;
      else if (seen !== answer) return { answer: 'undetermined', worlds: count };
    }
    return { answer: seen ? 'allowed' : 'denied', worlds: count };
  }
  throw new Error('more than 4 unseen policies');
}
