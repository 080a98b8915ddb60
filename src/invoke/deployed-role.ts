/**
 * `--as-deployed-role`: temporary credentials of the deployed function's execution role, so a local run
 * meets the same permissions as the deployed one (what sam never offered: aws-sam-cli issues 332, 1941).
 *
 * The role normally trusts only lambda.amazonaws.com. When AssumeRole is denied we do not fall back to
 * the developer's own credentials: that would be exactly the misleading run the flag exists to avoid.
 * Instead the run stops (exit 3) and says which trust statement would let this developer in.
 */
import { EnvironmentError } from '../core/errors.js';
import type { LambdaApi } from '../aws/lambda.js';
import type { StsApi, TemporaryCredentials } from '../aws/sts.js';

export interface DeployedRole {
  roleArn: string;
  /** Environment for sam: the only way these credentials travel. */
  env: Record<string, string>;
}

export async function assumeDeployedRole(functionName: string, lambda: LambdaApi, sts: StsApi): Promise<DeployedRole> {
  const config = await lambda.getFunctionConfiguration(functionName);
  if (!config) {
    throw new EnvironmentError(`The deployed function ${functionName} does not exist, so its role is unknown.`, {
      code: 'function-not-found',
      hint: 'Deploy it first, or check --stack-name and --region.',
    });
  }
  const outcome = await sts.assumeRole(config.role, sessionName(functionName));
  if (outcome.ok) return { roleArn: config.role, env: credentialEnv(outcome.credentials) };
  const caller = await sts.getCallerIdentity();
  throw new EnvironmentError(
    `Cannot run as the deployed role ${config.role}: it trusts only lambda.amazonaws.com, and you (${caller.arn}) may not assume it.`,
    {
      code: 'deployed-role-not-assumable',
      hint: `For a development account, add this statement to the role's trust policy (AssumeRolePolicyDocument), then run again:\n${JSON.stringify(trustStatementFor(caller.arn), null, 2)}`,
    },
  );
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
