/**
 * The live check: read the deployed function, its role's policies, the secret, its resource policy and
 * KMS key, and decide with the same evaluator as the static check. Independent calls run together.
 */
import type { IamApi, Simulation } from '../aws/iam.js';
import type { KmsApi } from '../aws/kms.js';
import type { Ec2Api } from '../aws/ec2.js';
import type { FunctionConfiguration } from '../aws/lambda.js';
import type { SecretsStore } from '../aws/secrets-manager.js';
import type { Finding } from '../core/findings.js';
import { parseArn, type AccessDecision, type NamedPolicy } from '../policy/index.js';
import { UNKNOWN_PUBLIC_IPV4 } from '../policy/ip.js';
import { SEVERITY_ORDER, VERSION_STAGE_PREMISE, decideInWorlds } from './worlds.js';
import { buildChain, requestFacts } from './chain.js';
import { diagnose } from './diagnose.js';
import type { OrganizationMembership, OrganizationsApi } from '../aws/organizations.js';
import { AMBIGUOUS_SECRET, resolveLiveSecret, type LiveSecret, type TemplateSecretHint } from './live-secret.js';
import type { CheckPolicyResult, FixTarget } from './types.js';
import { concreteSecretArnPattern } from './fixes.js';

export interface LiveDeps {
  iam: IamApi;
  secrets: SecretsStore;
  kms: KmsApi;
  /** Asked only for a function in a VPC; without it the VPC keys stay unknown. */
  ec2?: Ec2Api;
  /** Whether the account is in an organization (then SCPs/RCPs were not verified); without it, not said. */
  organizations?: OrganizationsApi;
}

export interface LiveCheckInput {
  fn: FunctionConfiguration;
  /** Already resolved by the caller (doctor), so the secret is not looked up twice. */
  secret?: LiveSecret;
  functionSource: string;
  logicalId?: string;
  secretId?: string;
  /** What the template says the function reads (a dynamic reference), when the deployed environment can't tell. */
  secretHint?: TemplateSecretHint;
  region: string;
  /** From the template, when the function is defined in one: how to phrase a SAM fix. */
  samFix?: Omit<Extract<FixTarget, { kind: 'sam' }>, 'kind' | 'secretName'>;
}

export async function checkLive(input: LiveCheckInput, deps: LiveDeps): Promise<CheckPolicyResult> {
  const roleName = input.fn.role.split('/').pop()!;
  const account = parseArn(input.fn.role)?.account ?? '';
  const secretPromise = input.secret ? Promise.resolve(input.secret) : resolveLiveSecret(deps.secrets, input.fn.environment, input.region, input.secretId, input.secretHint);
  // What depends only on the secret (its resource policy, its key, the simulation of the function's
  // role, whose ARN the function names) starts as soon as the secret is known, beside the role's policies.
  const secretSide = secretPromise.then((s) => (s.description ? Promise.all([
    deps.secrets.getResourcePolicy(s.description.arn),
    customerManagedKey(deps.kms, s.description.kmsKeyId),
    deps.iam.simulate({ policySourceArn: input.fn.role, actions: ['secretsmanager:GetSecretValue'], resources: [s.description.arn] }),
  ]) : undefined));
  secretSide.catch(() => undefined);
  // Needs nothing else: it goes out with the first calls, and adds no round trip.
  const membership = deps.organizations?.membership().catch(() => undefined);
  const [secret, role] = await Promise.all([secretPromise, deps.iam.getRolePolicies(roleName)]);
  const base = baseResult(input, secret);
  if (!role) {
    return { ...base, verdict: 'denied', findings: [{ code: 'role-not-found', severity: 'error', message: `The function's role ${input.fn.role} does not exist.`, fix: 'Redeploy the function (sam deploy) so its role is recreated.' }] };
  }
  if (!secret.description) return { ...base, verdict: 'denied', chain: chainFor(input, secret, undefined, 'fail'), findings: secret.findings };

  const secretArn = secret.description.arn;
  const [[resourcePolicy, key, simulation], vpcKeys] = await Promise.all([
    secretSide.then((side) => side!),
    vpcContext(deps.ec2, input.fn, parseArn(secretArn)?.region ?? input.region),
  ]);
  const worlds = decideInWorlds({
    principalArn: role.roleArn,
    principalAccount: account,
    sessionArn: `arn:aws:sts::${account}:assumed-role/${roleName}/${input.fn.name}`,
    secretArn,
    identityPolicies: role.identity,
    boundary: role.boundary ?? 'none',
    resourcePolicy: resourcePolicy ? { name: 'secret resource policy', kind: 'resource', source: `resource policy of ${secret.description.name}`, document: JSON.parse(resourcePolicy) } : 'none',
    customerManagedKey: key,
    absentContextKeys: vpcKeys.absent,
    context: { ...requestFacts(parseArn(secretArn)?.region ?? input.region), ...tagContext(secret.description.tags), ...vpcKeys.context },
  }, { account, suffix: '', secretName: secret.description.name, suffixKnown: true, fixedAccount: account, vpcRouteOpen: Boolean(vpcKeys.routeOpen) });
  const decision = worlds.primary;
  const name = secret.description.name;
  const fix: FixTarget = input.samFix
    ? { kind: 'sam', secretName: name, ...input.samFix, kmsKeyId: key ? key.keyArn : undefined }
    : { kind: 'iam', secretArnPattern: concreteSecretArnPattern('aws', input.region, parseArn(secretArn)?.account ?? account, name), kmsKeyArn: key?.keyArn, region: input.region, roleName };
  const findings: Finding[] = [
    ...deletionFindings(secret),
    ...diagnose({ decision, identityPolicies: role.identity, secretArn, secretName: name, fix, suffixKnown: true, accountKnown: true, crossAccount: parseArn(secretArn)?.account !== account }),
    ...simulationFindings(simulation, decision),
  ];
  if (worlds.hinge) {
    findings.push({
      code: 'depends-on-open-fact',
      severity: 'warning',
      message: `The answer depends on ${worlds.hinge}, which could not be looked up.`,
      ...(/VPC/.test(worlds.hinge) ? { fix: "Allow ec2:DescribeVpcEndpoints to the caller, so the check can see whether the function's VPC has a Secrets Manager interface endpoint." } : {}),
    });
  }
  const ambiguous = secret.findings.filter((f) => f.code === AMBIGUOUS_SECRET);
  findings.unshift(...ambiguous);
  const verdict = findings.some((f) => f.code === 'secret-scheduled-for-deletion' || f.code === 'simulation-denies') ? 'denied'
    : findings.some((f) => f.code === 'simulation-implicit-deny') ? 'undetermined'
    // The default may not be the secret the function reads: never "can read" on a guess.
    : ambiguous.length && worlds.verdict === 'allowed' ? 'undetermined' : worlds.verdict;
  if (worlds.verdict === 'allowed' && /secretsmanager:VersionStage/i.test(JSON.stringify(role.identity))) findings.push(VERSION_STAGE_PREMISE);
  if (verdict !== 'denied') findings.push(...organizationFindings(await membership, account));
  return {
    ...base,
    verdict,
    identityEvaluation: simulation.available ? 'iam-simulation' : 'evaluator',
    role: { arn: role.roleArn, description: `${role.roleArn}${role.boundary ? ` (boundary ${role.boundary.name})` : ''}` },
    secret: { ...base.secret, arn: secretArn, kmsKey: key?.keyArn ?? secret.description.kmsKeyId ?? 'aws/secretsmanager', exists: true },
    chain: chainFor(input, secret, decision, secret.description.deletedDate ? 'fail' : 'pass', key?.keyArn),
    deciding: decision.deciding,
    findings,
    decision,
    simulation: simulation.available ? { available: true, decision: simulation.results[0]?.decision } : { available: false, reason: simulation.reason },
  };
}

/** undefined for the AWS managed key (aws/secretsmanager): every principal of the account may use it. */
async function customerManagedKey(kms: KmsApi, kmsKeyId: string | undefined) {
  if (!kmsKeyId || /alias\/aws\/secretsmanager$/.test(kmsKeyId)) return undefined;
  const key = await kms.describeKey(kmsKeyId);
  if (!key || key.manager === 'AWS') return undefined;
  const keyPolicy: NamedPolicy | 'unknown' = await kms
    .getKeyPolicy(key.keyId)
    .then((document): NamedPolicy => ({ name: `key policy of ${key.arn}`, kind: 'key', source: `key policy of ${key.arn}`, document }))
    .catch(() => 'unknown' as const);
  return { keyArn: key.arn, keyPolicy };
}

/**
 * SCPs and RCPs can deny what IAM allows (IAM user guide, reference_policies_evaluation-logic.html);
 * reading them takes the organization's management account, and IAM's simulator leaves out SCPs with
 * conditions and every RCP. So inside an organization an "allowed" is allowed as far as IAM goes.
 */
export function organizationFindings(membership: OrganizationMembership | undefined, account: string): Finding[] {
  if (!membership || membership.member === false) return [];
  const look = `aws organizations list-policies-for-target --target-id ${account || 'ACCOUNT_ID'} --filter SERVICE_CONTROL_POLICY (and RESOURCE_CONTROL_POLICY), from the management account`;
  if (membership.member === 'unknown') {
    return [{
      code: 'organization-unknown',
      severity: 'warning',
      message: `Could not tell whether account ${account} belongs to an AWS organization (${membership.reason}). If it does, its service control policies and resource control policies were not verified: they can deny what IAM allows.`,
      fix: `Allow organizations:DescribeOrganization to find out, or ask the organization's administrators: ${look}`,
      detail: { account },
    }];
  }
  return [{
    code: 'organization-policies-not-verified',
    severity: 'warning',
    message: `Account ${account} belongs to organization ${membership.organizationId}${membership.managementAccount ? ` (management account ${membership.managementAccount})` : ''}: its service control policies and resource control policies can deny what IAM allows, and were not verified.`,
    fix: `To verify them: ${look}`,
    detail: { account, organization: membership.organizationId, ...(membership.managementAccount && { managementAccount: membership.managementAccount }) },
  }];
}

function deletionFindings(secret: LiveSecret): Finding[] {
  const deleted = secret.description?.deletedDate;
  if (!deleted) return [];
  return [{
    code: 'secret-scheduled-for-deletion',
    severity: 'error',
    message: `The secret ${secret.description!.name} is scheduled for deletion (${deleted.toISOString()}); reads fail until it is restored.`,
    fix: `aws secretsmanager restore-secret --secret-id ${secret.description!.name}   (or: weather-secrets put --restore)`,
  }];
}

interface VpcKeys { context: Record<string, string>; absent: string[]; note?: Finding; /** In a VPC, its route to Secrets Manager not known: decide both. */ routeOpen?: boolean }

/**
 * Outside a VPC: no VPC keys, an unknown public source address. Inside: look for the VPC's Secrets
 * Manager interface endpoint (with private DNS the SDK's requests go through it); when EC2 may not be
 * asked, or the endpoint's DNS is private-less, the keys stay unknown.
 */
async function vpcContext(ec2: Ec2Api | undefined, fn: FunctionConfiguration, region: string): Promise<VpcKeys> {
  if (!fn.vpc) return { context: { 'aws:SourceIp': UNKNOWN_PUBLIC_IPV4 }, absent: ['aws:SourceVpce', 'aws:SourceVpc'] };
  const vpcId = fn.vpc.vpcId;
  if (!ec2 || !vpcId) return { context: {}, absent: [], routeOpen: true };
  const endpoints = await ec2.secretsManagerEndpoints(vpcId, region).catch(() => undefined);
  if (!endpoints) return { context: {}, absent: [], routeOpen: true };
  const viaEndpoint = endpoints.filter((e) => e.privateDns);
  if (viaEndpoint.length === 1) return { context: { 'aws:SourceVpce': viaEndpoint[0]!.id, 'aws:SourceVpc': vpcId }, absent: ['aws:SourceIp'] };
  if (endpoints.length === 0) return { context: { 'aws:SourceIp': UNKNOWN_PUBLIC_IPV4 }, absent: ['aws:SourceVpce', 'aws:SourceVpc'] };
  return { context: {}, absent: [], routeOpen: true };
}

/** The secret's tags as the request carries them (Secrets Manager user guide, auth-and-access_tags.html). */
function tagContext(tags: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).flatMap(([k, v]) => [[`aws:ResourceTag/${k}`, v], [`secretsmanager:ResourceTag/${k}`, v]]));
}

/**
 * IAM's simulator sees SCPs without conditions but neither SCPs with conditions nor RCPs
 * (IAM user guide, access_policies_testing-policies.html). An explicitDeny it reports is real; an
 * implicitDeny of something the policies allow may come from what it does not model: undetermined.
 */
function simulationFindings(simulation: Simulation, decision: AccessDecision): Finding[] {
  if (!simulation.available) {
    return [{ code: 'simulation-unavailable', severity: 'info', message: `IAM policy simulation unavailable (${simulation.reason}); the identity side was judged by weather-secrets' own evaluator.` }];
  }
  const simDecision = simulation.results[0]?.decision;
  const identity = decision.links.find((l) => l.link === 'identity');
  if (simDecision === 'implicitDeny' && identity?.status === 'pass') {
    return [{ code: 'simulation-implicit-deny', severity: 'warning', message: "IAM's policy simulator says implicitDeny for the role, though its policies allow it. The simulator does not evaluate SCPs with conditions nor RCPs, and may lack context values, so this is not proof of a denial.", fix: 'Ask your AWS administrator whether a service control policy or resource control policy limits secretsmanager:GetSecretValue.' }];
  }
  if (simDecision && simDecision !== 'allowed' && identity?.status === 'pass') {
    return [{ code: 'simulation-denies', severity: 'error', message: `IAM's policy simulator says ${simDecision} for the role, though its policies allow it: a service control policy or another guardrail blocks it.`, fix: 'Ask your AWS administrator which SCP or boundary denies secretsmanager:GetSecretValue.' }];
  }
  return [];
}

function baseResult(input: LiveCheckInput, secret: LiveSecret): CheckPolicyResult {
  return {
    command: 'check-policy',
    verdict: 'undetermined',
    method: 'live',
    identityEvaluation: 'evaluator',
    region: input.region,
    function: { name: input.fn.name, arn: input.fn.arn, logicalId: input.logicalId, source: input.functionSource },
    role: { arn: input.fn.role, description: input.fn.role },
    secret: { id: secret.id, source: secret.source, exists: Boolean(secret.description) },
    chain: [],
    findings: [],
  };
}

function chainFor(input: LiveCheckInput, secret: LiveSecret, decision: AccessDecision | undefined, secretStatus: 'pass' | 'fail', keyArn?: string) {
  return buildChain({
    functionText: `${input.fn.name} (${input.functionSource})`,
    roleText: input.fn.role,
    roleStatus: 'pass',
    decision,
    kmsText: keyArn ? `customer-managed key ${keyArn}` : 'aws/secretsmanager (AWS managed key)',
    secretText: `${secret.description?.arn ?? secret.id} (${secret.source})${secret.description?.deletedDate ? ' — scheduled for deletion' : ''}`,
    secretStatus,
  });
}
