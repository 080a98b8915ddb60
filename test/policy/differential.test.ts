/**
 * Differential test: our identity-side verdict against @cloud-copilot/iam-simulate (AGPL, used only
 * here as a dev-time oracle, never from src/) on generated identity policies. Every condition key
 * is either given a value or declared absent, so our evaluator must never answer "undetermined".
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../src/policy/decide.js';
import type { ConditionBlock, PolicyStatement } from '../../src/policy/types.js';
import { ACCOUNT, GET, KEY, ROLE, SECRET, enableIamUserPermissions, policy } from './fixtures.js';

/** Small seeded PRNG (mulberry32) so a failure reproduces from its case number. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PREFIX = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:';
const ACTIONS = [
  GET, 'secretsmanager:Get*', 'secretsmanager:*', '*', 'SecretsManager:getsecretvalue', 'secretsmanager:G?tSecretValue',
  'secretsmanager:GetSecretValu?', 'secretsmanager:GetSecretValue?', 'secretsmanager:Describe*', 'kms:Decrypt', 'secretsmanager:*Secret*',
];
const RESOURCES = [
  SECRET, '*', `${PREFIX}*`, `${PREFIX}prod/*`, `${PREFIX}prod/weather.api+key`, `${PREFIX}prod/weather.api+key-??????`,
  `${PREFIX}prod/weather.api+key-?????`, `${PREFIX}prod/weather.api+key-???????`, `${PREFIX}prod/weather.api+key-*`,
  `${PREFIX}prod/weatherXapi+key-*`, `${PREFIX}prod/weather.api.key-*`, `${PREFIX}PROD/*`, `${PREFIX}prod/weather.api+key-[xxxxxx]`,
  'arn:aws:secretsmanager:*:123456789012:secret:prod/*', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:*',
  'arn:aws:secretsmanager:eu-west-1:210987654321:secret:*', `${PREFIX}prod/weather.api+key-AbC12?`, `${PREFIX}prod/weather.api+key-abc123`,
];
/** Request context values; keys left out of a case are declared absent. */
const CONTEXT: Record<string, string> = {
  'secretsmanager:VersionStage': 'AWSCURRENT',
  'aws:SecureTransport': 'true',
  'aws:PrincipalTag/team': 'weather',
};
const CONDITIONS: ConditionBlock[] = [
  { StringEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT' } },
  { StringEquals: { 'secretsmanager:VersionStage': ['AWSPENDING', 'AWSCURRENT'] } },
  { StringNotEquals: { 'secretsmanager:VersionStage': 'AWSPENDING' } },
  { StringNotEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT' } },
  { StringLike: { 'secretsmanager:VersionStage': 'AWS*' } },
  { StringNotLike: { 'secretsmanager:VersionStage': 'AWSC?RRENT' } },
  { StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'WEATHER' } },
  { StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'Weather' } },
  { StringEqualsIfExists: { 'aws:PrincipalTag/team': 'billing' } },
  { StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'billing' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { Bool: { 'aws:SecureTransport': 'false' } },
  { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  { Null: { 'aws:PrincipalTag/team': 'true' } },
  { Null: { 'aws:PrincipalTag/team': 'false' } },
  { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/Weather*' } },
  { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } },
  { ArnEquals: { 'aws:PrincipalArn': ROLE } },
  { StringEquals: { 'aws:PrincipalAccount': ACCOUNT }, StringLike: { 'secretsmanager:VersionStage': '*CURRENT' } },
];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

function some<T>(r: () => number, items: readonly T[]): T[] {
  return Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(r, items));
}

interface Pools { actions: string[]; resources: string[]; conditions: ConditionBlock[] }
const SECRET_POOLS: Pools = { actions: ACTIONS, resources: RESOURCES, conditions: CONDITIONS };

function statement(r: () => number, pools: Pools): PolicyStatement {
  const s: PolicyStatement = { Effect: r() < 0.75 ? 'Allow' : 'Deny' };
  if (r() < 0.85) s.Action = some(r, pools.actions);
  else s.NotAction = some(r, pools.actions);
  if (r() < 0.85) s.Resource = some(r, pools.resources);
  else s.NotResource = some(r, pools.resources);
  if (r() < 0.5) s.Condition = pick(r, pools.conditions);
  return s;
}

const PRINCIPALS = [ROLE, `arn:aws:iam::${ACCOUNT}:root`, '*', `arn:aws:iam::${ACCOUNT}:role/Other`];

interface Case {
  statements: PolicyStatement[];
  context: Record<string, string>;
  boundary?: PolicyStatement[];
  resourcePolicy?: PolicyStatement[];
}

function statements(r: () => number, pools: Pools = SECRET_POOLS): PolicyStatement[] {
  return Array.from({ length: 1 + Math.floor(r() * 3) }, () => statement(r, pools));
}

/** A same-account resource or key policy: generated statements with a Principal. */
function resourceStatements(r: () => number, pools: Pools = SECRET_POOLS): PolicyStatement[] {
  return statements(r, pools).map((s) => ({ ...s, Principal: r() < 0.2 ? '*' : { AWS: pick(r, PRINCIPALS) } }));
}

function generate(seed: number, chain = false): Case {
  const r = rng(seed);
  const c: Case = { statements: statements(r), context: Object.fromEntries(Object.entries(CONTEXT).filter(() => r() < 0.7)) };
  if (chain && r() < 0.5) c.boundary = statements(r);
  if (chain && r() < 0.7) c.resourcePolicy = resourceStatements(r);
  return c;
}

const doc = (statementList: PolicyStatement[]) => ({ Version: '2012-10-17', Statement: statementList });

async function oracle(c: Case): Promise<'allowed' | 'denied'> {
  const response = await runSimulation(
    {
      request: {
        principal: ROLE, action: GET, resource: { resource: SECRET, accountId: ACCOUNT },
        contextVariables: { ...c.context, 'aws:PrincipalArn': ROLE, 'aws:PrincipalAccount': ACCOUNT },
      },
      identityPolicies: [{ name: 'generated', policy: doc(c.statements) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(c.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: doc(c.boundary) }] } : {}),
      ...(c.resourcePolicy ? { resourcePolicy: doc(c.resourcePolicy) } : {}),
    },
    {},
  );
  if (response.resultType !== 'single') throw new Error(`oracle rejected the case: ${JSON.stringify(response)}`);
  return response.overallResult === 'Allowed' ? 'allowed' : 'denied';
}

function ours(c: Case): string {
  const absent = Object.keys(CONTEXT).filter((k) => !(k in c.context));
  return decideAccess({
    principalArn: ROLE, principalAccount: ACCOUNT, secretArn: SECRET,
    identityPolicies: [policy('identity', c.statements, 'generated')], context: c.context, absentContextKeys: absent,
    boundary: c.boundary ? policy('boundary', c.boundary) : 'none',
    resourcePolicy: c.resourcePolicy ? policy('resource', c.resourcePolicy) : 'none',
  }).verdict;
}

describe('differential against @cloud-copilot/iam-simulate', () => {
  it.each([
    ['identity policies only', false],
    ['identity policies, a boundary and a same-account resource policy', true],
  ])('agrees on 400 generated cases: %s', async (_label, chain) => {
    const disagreements: string[] = [];
    let allowed = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const c = generate(seed, chain);
      const [expected, actual] = [await oracle(c), ours(c)];
      if (expected === 'allowed') allowed++;
      if (expected !== actual) disagreements.push(`seed ${seed}: oracle ${expected}, ours ${actual}: ${JSON.stringify(c)}`);
    }
    expect(disagreements).toEqual([]);
    // Guard against a generator that only ever produces one answer.
    expect(allowed).toBeGreaterThan(40);
    expect(allowed).toBeLessThan(360);
  });
});

const KMS_POOLS: Pools = {
  actions: ['kms:Decrypt', 'kms:*', 'kms:De*', '*', 'kms:Encrypt', 'KMS:decrypt', 'kms:Decryp?', 'kms:Decrypt?', 'kms:GenerateDataKey*'],
  resources: [
    KEY, '*', 'arn:aws:kms:eu-west-1:123456789012:key/*', 'arn:aws:kms:*:123456789012:key/1234abcd-*',
    'arn:aws:kms:us-east-1:123456789012:key/*', 'arn:aws:kms:eu-west-1:123456789012:alias/weather', `${KEY}?`,
  ],
  conditions: [
    { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    { StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' } },
    { StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } },
    { StringNotEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } },
    { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
    { StringNotEquals: { 'kms:CallerAccount': ACCOUNT } },
    // No kms:EncryptionContext:SecretARN here: iam-simulate 0.1.173 reports that key as missing even
    // when the request supplies it (explain: failedBecauseMissing), so it cannot referee it.
    { Bool: { 'aws:SecureTransport': 'true' } },
    { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Weather*' } },
  ],
};

const KMS_CONTEXT = {
  'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com',
  'kms:CallerAccount': ACCOUNT,
  'kms:EncryptionContext:SecretARN': SECRET,
};

interface KmsCase { identity: PolicyStatement[]; keyPolicy: PolicyStatement[]; boundary?: PolicyStatement[]; context: Record<string, string> }

function generateKms(seed: number): KmsCase {
  const r = rng(seed);
  const c: KmsCase = {
    identity: statements(r, KMS_POOLS),
    keyPolicy: resourceStatements(r, KMS_POOLS),
    context: Object.fromEntries(Object.entries(CONTEXT).filter(() => r() < 0.7)),
  };
  if (r() < 0.3) c.keyPolicy.push(enableIamUserPermissions);
  if (r() < 0.4) c.boundary = statements(r, KMS_POOLS);
  return c;
}

async function kmsOracle(c: KmsCase): Promise<'allowed' | 'denied'> {
  const response = await runSimulation(
    {
      request: {
        principal: ROLE, action: 'kms:Decrypt', resource: { resource: KEY, accountId: ACCOUNT },
        contextVariables: { ...c.context, ...KMS_CONTEXT, 'aws:PrincipalArn': ROLE, 'aws:PrincipalAccount': ACCOUNT },
      },
      identityPolicies: [{ name: 'generated', policy: doc(c.identity) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: doc(c.keyPolicy),
      ...(c.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: doc(c.boundary) }] } : {}),
    },
    {},
  );
  if (response.resultType !== 'single') throw new Error(`oracle rejected the case: ${JSON.stringify(response)}`);
  return response.overallResult === 'Allowed' ? 'allowed' : 'denied';
}

/** Our kms-key link in isolation: the secret side is granted separately so only KMS decides. */
function oursKms(c: KmsCase): string {
  const absent = Object.keys(CONTEXT).filter((k) => !(k in c.context));
  const decision = decideAccess({
    principalArn: ROLE, principalAccount: ACCOUNT, secretArn: SECRET,
    identityPolicies: [policy('identity', c.identity)], context: c.context, absentContextKeys: absent,
    boundary: c.boundary ? policy('boundary', c.boundary) : 'none',
    customerManagedKey: { keyArn: KEY, keyPolicy: policy('key', c.keyPolicy) },
  });
  const status = decision.links.find((l) => l.link === 'kms-key')!.status;
  return status === 'pass' ? 'allowed' : status === 'fail' ? 'denied' : 'undetermined';
}

describe('differential against @cloud-copilot/iam-simulate (kms:Decrypt through a customer-managed key)', () => {
  it('agrees on 400 generated key policies, identity policies and boundaries', async () => {
    const disagreements: string[] = [];
    let allowed = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const c = generateKms(seed);
      const [expected, actual] = [await kmsOracle(c), oursKms(c)];
      if (expected === 'allowed') allowed++;
      if (expected !== actual) disagreements.push(`seed ${seed}: oracle ${expected}, ours ${actual}: ${JSON.stringify(c)}`);
    }
    expect(disagreements).toEqual([]);
    expect(allowed).toBeGreaterThan(20);
    expect(allowed).toBeLessThan(380);
  });
});
