/** The CloudFormation adapter: a stack's logical IDs mapped to physical IDs. */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { trackInFlight } from './in-flight.js';
import { awsCallOrMissing } from './call.js';

export interface StackResource {
  logicalId: string;
  physicalId: string;
  type: string;
}

export interface CloudFormationApi {
  /** undefined when the stack or the resource does not exist. */
  physicalId(stackName: string, logicalId: string): Promise<string | undefined>;
  /** undefined when the stack does not exist. */
  stackResources(stackName: string): Promise<StackResource[] | undefined>;
}

// CloudFormation reports a missing stack as a ValidationError ("Stack with id X does not exist").
const MISSING = ['ValidationError'];

export async function createCloudFormationApi(config: AwsClientConfig): Promise<CloudFormationApi> {
  const cfn = await import('@aws-sdk/client-cloudformation');
  const client = trackInFlight(new cfn.CloudFormationClient(await sdkClientOptions(config)), 'CloudFormation');
  return {
    async physicalId(stackName, logicalId) {
      const out = await awsCallOrMissing('CloudFormation', 'DescribeStackResource', MISSING, () =>
        client.send(new cfn.DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: logicalId })),
      );
      return out?.StackResourceDetail?.PhysicalResourceId;
    },
    async stackResources(stackName) {
      const out = await awsCallOrMissing('CloudFormation', 'DescribeStackResources', MISSING, () =>
        client.send(new cfn.DescribeStackResourcesCommand({ StackName: stackName })),
      );
      return out?.StackResources?.map((r) => ({ logicalId: r.LogicalResourceId!, physicalId: r.PhysicalResourceId ?? '', type: r.ResourceType ?? '' }));
    },
  };
}
