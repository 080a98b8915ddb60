/** The STS adapter: who am I, and temporary credentials for a role. */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { trackInFlight } from './in-flight.js';
import { awsCall } from './call.js';
import { awsErrorName, translateAwsError } from './errors.js';

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

export type AssumeRoleOutcome = { ok: true; credentials: TemporaryCredentials } | { ok: false; denied: true; message: string };

export interface StsApi {
  getCallerIdentity(): Promise<CallerIdentity>;
  assumeRole(roleArn: string, sessionName: string): Promise<AssumeRoleOutcome>;
}

export async function createStsApi(config: AwsClientConfig): Promise<StsApi> {
  const sts = await import('@aws-sdk/client-sts');
  const client = trackInFlight(new sts.STSClient(await sdkClientOptions(config)), 'STS');
  return {
    async getCallerIdentity() {
      const out = await awsCall('STS', 'GetCallerIdentity', () => client.send(new sts.GetCallerIdentityCommand({})));
      return { account: out.Account!, arn: out.Arn!, userId: out.UserId! };
    },
    async assumeRole(roleArn, sessionName) {
      try {
        const out = await client.send(new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 900 }));
        const c = out.Credentials!;
        return { ok: true, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration } };
      } catch (error) {
        if (awsErrorName(error) === 'AccessDenied' || awsErrorName(error) === 'AccessDeniedException') {
          return { ok: false, denied: true, message: (error as Error).message };
        }
        throw translateAwsError(error, 'STS', 'AssumeRole');
      }
    },
  };
}
