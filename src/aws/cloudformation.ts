/** The CloudFormation adapter: a stack's logical IDs mapped to physical IDs. */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
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
  const client = new cfn.CloudFormationClient(sdkClientOptions(config));
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

/** CloudFormation exports (Fn::ImportValue), for local runs' deployed values. Added for issue 12. */
export interface CloudFormationExportsApi {
  /** Every export of the account and region, name to value (ListExports, all pages). */
  listExports(): Promise<Record<string, string>>;
}

export async function createCloudFormationExportsApi(config: AwsClientConfig): Promise<CloudFormationExportsApi> {
  const cfn = await import('@aws-sdk/client-cloudformation');
  const client = new cfn.CloudFormationClient(sdkClientOptions(config));
  // Imported here rather than at the top so this addition stays below the file's existing code.
  const { awsCall } = await import('./call.js');
  return {
    listExports: () =>
      awsCall('CloudFormation', 'ListExports', async () => {
        const exports: Record<string, string> = {};
        for await (const page of cfn.paginateListExports({ client }, {})) {
          for (const e of page.Exports ?? []) if (e.Name !== undefined && e.Value !== undefined) exports[e.Name] = e.Value;
        }
        return exports;
      }),
  };
}
