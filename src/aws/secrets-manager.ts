/**
 * The Secrets Manager adapter: the narrow interface the domain uses, and its SDK-backed implementation.
 * Not-found becomes `undefined` or a typed error; every other SDK error is translated with `{ cause }`.
 */
import type { AwsClientConfig } from './config.js';
import { trackInFlight } from './in-flight.js';
import { sdkClientOptions } from './config.js';
import { awsCall, awsCallOrMissing } from './call.js';
import { awsErrorName, translateAwsError } from './errors.js';

const SERVICE = 'Secrets Manager';

export interface SecretDescription {
  arn: string;
  name: string;
  kmsKeyId?: string;
  deletedDate?: Date;
  rotationEnabled: boolean;
  /** versionId -> staging labels */
  versions: Record<string, string[]>;
  /** The secret's tags: the values of aws:ResourceTag/* and secretsmanager:ResourceTag/* in a read. */
  tags?: Record<string, string>;
}

export interface SecretValue {
  arn: string;
  versionId: string;
  /** undefined when the secret holds SecretBinary. */
  secretString?: string;
}

export interface NewSecret {
  name: string;
  secretString: string;
  clientRequestToken: string;
  description?: string;
  kmsKeyId?: string;
  tags?: Array<{ Key: string; Value: string }>;
}

/** Raised by the adapter for conditions the domain must branch on. */
export class SecretStoreConflict extends Error {
  constructor(
    readonly kind: 'exists' | 'stage-moved' | 'scheduled-for-deletion',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SecretStoreConflict';
  }
}

export interface SecretsStore {
  describe(secretId: string): Promise<SecretDescription | undefined>;
  getValue(secretId: string, versionStage?: string): Promise<SecretValue | undefined>;
  create(secret: NewSecret): Promise<{ arn: string; versionId: string }>;
  /** Stores a new version carrying only `versionStages` (so AWSCURRENT does not move). */
  putValue(secretId: string, secretString: string, clientRequestToken: string, versionStages: string[]): Promise<{ versionId: string }>;
  /** Compare-and-swap of a staging label; throws SecretStoreConflict('stage-moved') if `fromVersionId` lost it. */
  moveStage(secretId: string, stage: string, toVersionId: string | undefined, fromVersionId: string | undefined, signal?: AbortSignal): Promise<void>;
  restore(secretId: string): Promise<void>;
  getResourcePolicy(secretId: string): Promise<string | undefined>;
  /** Names of secrets in the region (for "did you mean"); bounded. */
  listNames(limit?: number): Promise<string[]>;
}

export async function createSecretsStore(config: AwsClientConfig): Promise<SecretsStore> {
  const sm = await import('@aws-sdk/client-secrets-manager');
  const client = trackInFlight(new sm.SecretsManagerClient(await sdkClientOptions(config, 'Secrets Manager')), SERVICE);
  const call = <T>(operation: string, run: () => Promise<T>) => awsCall(SERVICE, operation, run);
  const notFound = (error: unknown) => awsErrorName(error) === 'ResourceNotFoundException';

  return {
    async describe(secretId) {
      const out = await awsCallOrMissing(SERVICE, 'DescribeSecret', ['ResourceNotFoundException'], () => client.send(new sm.DescribeSecretCommand({ SecretId: secretId })));
      if (!out) return undefined;
      return {
        arn: out.ARN!,
        name: out.Name!,
        kmsKeyId: out.KmsKeyId,
        deletedDate: out.DeletedDate,
        rotationEnabled: out.RotationEnabled ?? false,
        versions: out.VersionIdsToStages ?? {},
        tags: Object.fromEntries((out.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ''])),
      };
    },
    async getValue(secretId, versionStage = 'AWSCURRENT') {
      try {
        // Ask for the stage explicitly: without it moto (and caches) may return a stale version.
        const out = await client.send(new sm.GetSecretValueCommand({ SecretId: secretId, VersionStage: versionStage }));
        return { arn: out.ARN!, versionId: out.VersionId!, secretString: out.SecretString };
      } catch (error) {
        if (notFound(error)) return undefined;
        if (isScheduledForDeletion(error)) throw new SecretStoreConflict('scheduled-for-deletion', 'Secret is scheduled for deletion.', { cause: error });
        throw translateAwsError(error, 'Secrets Manager', 'GetSecretValue');
      }
    },
    async create(secret) {
      try {
        const out = await client.send(
          new sm.CreateSecretCommand({
            Name: secret.name,
            SecretString: secret.secretString,
            ClientRequestToken: secret.clientRequestToken,
            Description: secret.description,
            KmsKeyId: secret.kmsKeyId,
            Tags: secret.tags,
          }),
        );
        return { arn: out.ARN!, versionId: out.VersionId! };
      } catch (error) {
        if (awsErrorName(error) === 'ResourceExistsException') throw new SecretStoreConflict('exists', 'Secret already exists.', { cause: error });
        throw translateAwsError(error, 'Secrets Manager', 'CreateSecret');
      }
    },
    putValue: (secretId, secretString, clientRequestToken, versionStages) =>
      call('PutSecretValue', async () => {
        const out = await client.send(
          new sm.PutSecretValueCommand({ SecretId: secretId, SecretString: secretString, ClientRequestToken: clientRequestToken, VersionStages: versionStages }),
        );
        return { versionId: out.VersionId! };
      }),
    async moveStage(secretId, stage, toVersionId, fromVersionId, signal) {
      try {
        await client.send(
          new sm.UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: stage, MoveToVersionId: toVersionId, RemoveFromVersionId: fromVersionId }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (awsErrorName(error) === 'InvalidParameterException') {
          throw new SecretStoreConflict('stage-moved', `${stage} is no longer on version ${fromVersionId}.`, { cause: error });
        }
        throw translateAwsError(error, 'Secrets Manager', 'UpdateSecretVersionStage');
      }
    },
    restore: (secretId) => call('RestoreSecret', async () => void (await client.send(new sm.RestoreSecretCommand({ SecretId: secretId })))),
    async getResourcePolicy(secretId) {
      const out = await call('GetResourcePolicy', () => client.send(new sm.GetResourcePolicyCommand({ SecretId: secretId })));
      return out.ResourcePolicy ?? undefined;
    },
    listNames: (limit = 200) =>
      call('ListSecrets', async () => {
        const names: string[] = [];
        let token: string | undefined;
        do {
          const out = await client.send(new sm.ListSecretsCommand({ NextToken: token, MaxResults: 100 }));
          for (const s of out.SecretList ?? []) if (s.Name) names.push(s.Name);
          token = out.NextToken;
        } while (token && names.length < limit);
        return names.slice(0, limit);
      }),
  };
}

function isScheduledForDeletion(error: unknown): boolean {
  const message = (error as { message?: string }).message ?? '';
  return awsErrorName(error) === 'InvalidRequestException' && /marked for deletion|scheduled for deletion/i.test(message);
}
