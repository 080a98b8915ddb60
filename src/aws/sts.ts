/** The STS adapter: who am I, and temporary credentials for a role. */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { trackInFlight } from './in-flight.js';
import { awsCall } from './call.js';
import { awsErrorName, translateAwsError } from './errors.js';
import { AwsError } from '../core/errors.js';

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

export type AssumeRoleOutcome =
  | { ok: true; credentials: TemporaryCredentials }
  | { ok: false; denied: true; message: string }
  /** STS's PackedPolicyTooLarge: the session policies fit the plain-text limit but not the packed one. */
  | { ok: false; tooLarge: true; message: string };

/** Session policies for AssumeRole / GetFederationToken (see src/invoke/session-policy.ts). */
export interface SessionPolicyInput {
  policy?: string;
  policyArns: string[];
}

export interface StsApi {
  getCallerIdentity(): Promise<CallerIdentity>;
  /** With `policies`, the session gets the intersection of the role's permissions and them. */
  assumeRole(roleArn: string, sessionName: string, policies?: SessionPolicyInput): Promise<AssumeRoleOutcome>;
  /** IAM-user credentials only: a federated session limited to `policies`. */
  getFederationToken(name: string, policies: SessionPolicyInput): Promise<AssumeRoleOutcome>;
  /** The credentials this client itself uses (the SDK's chain for the profile), for a child process. */
  currentCredentials(): Promise<TemporaryCredentials | undefined>;
}

export async function createStsApi(config: AwsClientConfig): Promise<StsApi> {
  const sts = await import('@aws-sdk/client-sts');
  const client = trackInFlight(new sts.STSClient(await sdkClientOptions(config, 'STS')), 'STS');
  return {
    async getCallerIdentity() {
      const out = await awsCall('STS', 'GetCallerIdentity', () => client.send(new sts.GetCallerIdentityCommand({})));
      // A body that parses but says nothing (HTML from a captive portal) is no identity.
      if (!out.Account || !out.Arn) {
        throw new AwsError('STS GetCallerIdentity: the endpoint\'s answer is not a valid AWS response (no account or ARN in it).', {
          code: 'invalid-response', service: 'STS', operation: 'GetCallerIdentity',
          hint: 'Something between you and AWS (a proxy, a captive portal, a wrong --endpoint-url) answered instead of AWS.',
        });
      }
      return { account: out.Account, arn: out.Arn, userId: out.UserId ?? '' };
    },
    assumeRole: (roleArn, sessionName, policies) =>
      temporaryCredentials('AssumeRole', () =>
        client.send(new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 900, ...sessionPolicyParams(policies) })),
      ),
    getFederationToken: (name, policies) =>
      temporaryCredentials('GetFederationToken', () => client.send(new sts.GetFederationTokenCommand({ Name: name, DurationSeconds: 900, ...sessionPolicyParams(policies) }))),
    async currentCredentials() {
      try {
        const c = await client.config.credentials();
        return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken ?? '', ...(c.expiration && { expiration: c.expiration }) };
      } catch {
        // No credentials: the child runs without, and fails the way sam's container would.
        return undefined;
      }
    },
  };
}

function sessionPolicyParams(policies: SessionPolicyInput | undefined) {
  if (!policies) return {};
  return { ...(policies.policy !== undefined && { Policy: policies.policy }), ...(policies.policyArns.length > 0 && { PolicyArns: policies.policyArns.map((arn) => ({ arn })) }) };
}

interface CredentialsAnswer {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date };
}

async function temporaryCredentials(operation: string, call: () => Promise<CredentialsAnswer>): Promise<AssumeRoleOutcome> {
  try {
    const c = (await call()).Credentials!;
    return { ok: true, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration } };
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'AccessDenied' || name === 'AccessDeniedException') return { ok: false, denied: true, message: (error as Error).message };
    if (name === 'PackedPolicyTooLargeException' || name === 'PackedPolicyTooLarge') return { ok: false, tooLarge: true, message: (error as Error).message };
    throw translateAwsError(error, 'STS', operation);
  }
}
