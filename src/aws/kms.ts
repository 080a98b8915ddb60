/** The KMS adapter: whether a key is customer-managed, and its key policy. */
import type { PolicyDocument } from '../policy/types.js';
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { trackInFlight } from './in-flight.js';
import { awsCall, awsCallOrMissing } from './call.js';
import { decodePolicy } from './iam.js';

export interface KeyDescription {
  arn: string;
  keyId: string;
  manager: 'AWS' | 'CUSTOMER';
  enabled: boolean;
}

export interface KmsApi {
  describeKey(keyId: string): Promise<KeyDescription | undefined>;
  getKeyPolicy(keyId: string): Promise<PolicyDocument>;
}

export async function createKmsApi(config: AwsClientConfig): Promise<KmsApi> {
  const kms = await import('@aws-sdk/client-kms');
  const client = trackInFlight(new kms.KMSClient(await sdkClientOptions(config, 'KMS')), 'KMS');
  return {
    async describeKey(keyId) {
      const out = await awsCallOrMissing('KMS', 'DescribeKey', ['NotFoundException'], () => client.send(new kms.DescribeKeyCommand({ KeyId: keyId })));
      if (!out?.KeyMetadata) return undefined;
      const m = out.KeyMetadata;
      return { arn: m.Arn!, keyId: m.KeyId!, manager: m.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER', enabled: m.Enabled ?? true };
    },
    async getKeyPolicy(keyId) {
      const out = await awsCall('KMS', 'GetKeyPolicy', () => client.send(new kms.GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })));
      return decodePolicy(out.Policy!);
    },
  };
}
