/**
 * Every resource of a deployed stack, nested stacks included, through paginated ListStackResources.
 * (A separate small adapter: the lead is reworking src/aws/cloudformation.ts for issue 8; this one
 * serves check-policy --stack-name --all and can fold into it later.)
 */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { awsCallOrMissing } from './call.js';

export interface DeepStackResource {
  /** `openweather-demo` or `openweather-demo/Alerts` for a nested stack's resource. */
  stack: string;
  logicalId: string;
  physicalId: string;
  type: string;
}

export interface StackResourceLister {
  /** undefined when the stack does not exist. */
  listDeep(stackName: string): Promise<DeepStackResource[] | undefined>;
}

export async function createStackResourceLister(config: AwsClientConfig): Promise<StackResourceLister> {
  const cfn = await import('@aws-sdk/client-cloudformation');
  const client = new cfn.CloudFormationClient(sdkClientOptions(config));
  const page = (stack: string, token: string | undefined) =>
    awsCallOrMissing('CloudFormation', 'ListStackResources', ['ValidationError'], () => client.send(new cfn.ListStackResourcesCommand({ StackName: stack, NextToken: token })));
  const listOne = async (stack: string): Promise<Array<{ logicalId: string; physicalId: string; type: string }> | undefined> => {
    const out: Array<{ logicalId: string; physicalId: string; type: string }> = [];
    let token: string | undefined;
    do {
      const answer = await page(stack, token);
      if (!answer) return out.length ? out : undefined;
      for (const r of answer.StackResourceSummaries ?? []) out.push({ logicalId: r.LogicalResourceId ?? '', physicalId: r.PhysicalResourceId ?? '', type: r.ResourceType ?? '' });
      token = answer.NextToken;
    } while (token);
    return out;
  };
  return {
    async listDeep(stackName) {
      const top = await listOne(stackName);
      if (!top) return undefined;
      const all: DeepStackResource[] = top.map((r) => ({ ...r, stack: stackName }));
      // Nested stacks' physical IDs are their stack ARNs; a missing one (deleted mid-run) is skipped.
      for (let i = 0; i < all.length; i++) {
        const r = all[i]!;
        if (r.type !== 'AWS::CloudFormation::Stack' || !r.physicalId) continue;
        const nested = await listOne(r.physicalId);
        for (const n of nested ?? []) all.push({ ...n, stack: `${r.stack}/${r.logicalId}` });
      }
      return all;
    },
  };
}
