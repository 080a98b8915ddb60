/**
 * `--as-deployed-role`: temporary credentials that carry the deployed function's permissions, so a
 * local run meets the same permissions as the deployed one (what sam never offered: aws-sam-cli
 * issues 332, 1941).
 *
 * Exact when the execution role trusts the caller (STS AssumeRole on it). It normally trusts only
 * lambda.amazonaws.com; then the role is emulated with session policies (src/invoke/session-policy.ts)
 * on a role the developer may assume (--via-role, or the profile's role_arn), or on a federated
 * session for IAM-user credentials. We never fall back to the developer's own credentials: that would
 * be exactly the misleading run the flag exists to avoid.
 */
import { EnvironmentError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import type { IamApi, RolePolicies } from '../aws/iam.js';
import type { LambdaApi } from '../aws/lambda.js';
import type { AssumeRoleOutcome, StsApi, TemporaryCredentials } from '../aws/sts.js';
import { EMULATION_LIMITS, packSessionPolicies, trustAdmitsAwsPrincipals, type SessionPolicies } from './session-policy.js';

export interface ViaRole {
  arn: string;
  /** `--via-role`, or `role_arn of profile dev`. */
  source: string;
  /** The STS client whose credentials may assume it (the profile's source_profile for its own role_arn). */
  sts: () => Promise<StsApi>;
}

export interface DeployedRoleDeps {
  lambda: LambdaApi;
  sts: StsApi;
  iam: () => Promise<IamApi>;
  reporter: Reporter;
  viaRole?: ViaRole;
}

export interface DeployedRole {
  roleArn: string;
  /** Environment for sam: the only way these credentials travel. */
  env: Record<string, string>;
  credentials: TemporaryCredentials;
  /** `assume-role`: the role itself. The others emulate it with its policies as session policies. */
  method: 'assume-role' | 'session-policy' | 'federation-token';
  /** The identity whose session carries the session policies. */
  via?: string;
  sessionPolicies?: { policyArns: string[]; inlineChars: number; plaintextChars: number };
  /** What an emulated run cannot reproduce (empty for an exact run). */
  limits: string[];
}

export async function assumeDeployedRole(functionName: string, deps: DeployedRoleDeps): Promise<DeployedRole> {
  const config = await deps.lambda.getFunctionConfiguration(functionName);
  if (!config) {
    throw new EnvironmentError(`The deployed function ${functionName} does not exist, so its role is unknown.`, {
      code: 'function-not-found',
      hint: 'Deploy it first, or check --stack-name and --region.',
    });
  }
  const roleArn = config.role;
  const role = await readRole(roleArn, deps);
  if (!role.policies || trustAdmitsAwsPrincipals(role.policies.trustPolicy)) {
    const direct = await deps.sts.assumeRole(roleArn, sessionName(functionName));
    if (direct.ok) return exact(roleArn, direct.credentials);
  }
  if (!role.policies) {
    const caller = await deps.sts.getCallerIdentity();
    throw notAssumable(roleArn, caller.arn, `its policies could not be read to emulate it with session policies (${role.problem}); that needs iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy and iam:GetPolicyVersion.`);
  }
  return emulate(functionName, roleArn, role.policies, deps);
}

async function readRole(roleArn: string, deps: DeployedRoleDeps): Promise<{ policies?: RolePolicies; problem?: string }> {
  try {
    const policies = await (await deps.iam()).getRolePolicies(roleArn.split('/').pop()!);
    return policies ? { policies } : { problem: 'the role does not exist' };
  } catch (error) {
    if (error instanceof EnvironmentError) return { problem: error.message };
    throw error;
  }
}

async function emulate(functionName: string, roleArn: string, policies: RolePolicies, deps: DeployedRoleDeps): Promise<DeployedRole> {
  const caller = await deps.sts.getCallerIdentity();
  const isUser = /:user\//.test(caller.arn);
  if (!deps.viaRole && !isUser) throw notAssumable(roleArn, caller.arn);
  const account = deps.viaRole ? (/^arn:[^:]+:iam::(\d{12}):/.exec(deps.viaRole.arn)?.[1] ?? caller.account) : caller.account;
  const packed = packSessionPolicies(policies.identity, account);
  if (!packed.ok) {
    throw new EnvironmentError(`Cannot emulate the deployed role ${roleArn} with session policies: ${packed.reason}.`, {
      code: 'session-policy-too-large',
      hint: 'Nothing ran: a smaller session policy would grant more than the role. Let your identity assume the role itself (its trust policy), or run deployed with --remote.',
    });
  }
  const via = deps.viaRole ? `${deps.viaRole.arn} (${deps.viaRole.source})` : `${caller.arn} (GetFederationToken)`;
  deps.reporter.progress(`Emulating ${roleArn}: its policies as session policies on ${via}...`);
  const outcome = deps.viaRole
    ? await (await deps.viaRole.sts()).assumeRole(deps.viaRole.arn, sessionName(functionName), packed.policies)
    : await deps.sts.getFederationToken(federationName(functionName), packed.policies);
  if (!outcome.ok) throw emulationFailed(roleArn, via, outcome);
  const limits = [...EMULATION_LIMITS];
  return {
    roleArn,
    env: credentialEnv(outcome.credentials),
    credentials: outcome.credentials,
    method: deps.viaRole ? 'session-policy' : 'federation-token',
    via: deps.viaRole?.arn ?? caller.arn,
    sessionPolicies: summary(packed.policies),
    limits,
  };
}

function summary(policies: SessionPolicies): NonNullable<DeployedRole['sessionPolicies']> {
  return { policyArns: policies.policyArns, inlineChars: policies.policy?.length ?? 0, plaintextChars: policies.plaintextChars };
}

function exact(roleArn: string, credentials: TemporaryCredentials): DeployedRole {
  return { roleArn, env: credentialEnv(credentials), credentials, method: 'assume-role', limits: [] };
}

function notAssumable(roleArn: string, callerArn: string, emulation?: string): EnvironmentError {
  return new EnvironmentError(`Cannot run as the deployed role ${roleArn}: it trusts only lambda.amazonaws.com, and you (${callerArn}) may not assume it.`, {
    code: 'deployed-role-not-assumable',
    hint:
      (emulation
        ? `It cannot be emulated either: ${emulation}\n`
        : `Emulate it instead: pass --via-role ARN of a role you may assume (its permissions must include the function's); its session then gets the function role's policies as session policies.\n`) +
      `For a development account, you may instead add this statement to the role's trust policy (AssumeRolePolicyDocument), then run again:\n${JSON.stringify(trustStatementFor(callerArn), null, 2)}`,
  });
}

function emulationFailed(roleArn: string, via: string, outcome: Exclude<AssumeRoleOutcome, { ok: true }>): EnvironmentError {
  if ('tooLarge' in outcome) {
    return new EnvironmentError(`Cannot emulate the deployed role ${roleArn}: STS found the session policies too large once packed (PackedPolicyTooLarge).`, {
      code: 'session-policy-too-large',
      hint: 'Nothing ran. Let your identity assume the role itself (its trust policy), or run deployed with --remote.',
    });
  }
  return new EnvironmentError(`Cannot emulate the deployed role ${roleArn}: STS denied the session on ${via}: ${outcome.message.split('\n')[0]}`, {
    code: 'via-role-not-assumable',
    hint: 'Pass --via-role with a role your credentials may assume (sts:AssumeRole in its trust policy).',
  });
}

/** Pure: the trust statement that lets `callerArn` assume a role. A session ARN becomes its role's ARN. */
export function trustStatementFor(callerArn: string): Record<string, unknown> {
  return { Effect: 'Allow', Principal: { AWS: principalArn(callerArn) }, Action: 'sts:AssumeRole' };
}

/** `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` is not a valid Principal; its role `arn:aws:iam::ACCT:role/ROLE` is. */
export function principalArn(callerArn: string): string {
  const assumed = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : callerArn;
}

function credentialEnv(credentials: TemporaryCredentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  };
}

/** RoleSessionName allows [\w+=,.@-]{2,64}; CloudTrail then shows who ran what. */
function sessionName(functionName: string): string {
  return `weather-secrets-${functionName}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/** GetFederationToken's Name allows [\w+=,.@-]{2,32}. */
function federationName(functionName: string): string {
  return `ws-${functionName}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 32);
}
