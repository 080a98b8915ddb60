/**
 * The CloudFormation adapter: a stack's logical IDs mapped to physical IDs. ListStackResources is
 * paginated (DescribeStackResources stops at 100 resources), and nested stacks
 * (AWS::CloudFormation::Stack, and AWS::Serverless::Application once transformed) are followed.
 */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { trackInFlight } from './in-flight.js';
import { awsCallOrMissing } from './call.js';

export interface StackResource {
  logicalId: string;
  physicalId: string;
  type: string;
  /** Logical IDs of the nested stacks this resource sits in, outermost first; empty in the root stack. */
  nestedIn?: string[];
}

export interface CloudFormationApi {
  /**
   * The physical ID of `logicalId`: in the stack itself, else in its nested stacks (breadth first).
   * undefined when the stack or the resource does not exist.
   */
  physicalId(stackName: string, logicalId: string): Promise<string | undefined>;
  /** Every resource of the stack, all pages; undefined when the stack does not exist. */
  stackResources(stackName: string): Promise<StackResource[] | undefined>;
}

// CloudFormation reports a missing stack as a ValidationError ("Stack with id X does not exist").
const MISSING = ['ValidationError'];
const NESTED_STACK_TYPES = new Set(['AWS::CloudFormation::Stack']);
/** CloudFormation allows nesting, but no real app goes this deep; the bound keeps a cycle from looping. */
const MAX_NESTING = 5;

export async function createCloudFormationApi(config: AwsClientConfig): Promise<CloudFormationApi> {
  const cfn = await import('@aws-sdk/client-cloudformation');
  const client = trackInFlight(new cfn.CloudFormationClient(await sdkClientOptions(config, 'CloudFormation')), 'CloudFormation');

  async function listPage(stackName: string, nextToken: string | undefined) {
    return awsCallOrMissing('CloudFormation', 'ListStackResources', MISSING, () =>
      client.send(new cfn.ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken })),
    );
  }

  async function ownResources(stackName: string): Promise<StackResource[] | undefined> {
    const all: StackResource[] = [];
    let token: string | undefined;
    do {
      const page = await listPage(stackName, token);
      if (!page) return all.length ? all : undefined;
      for (const r of page.StackResourceSummaries ?? []) {
        all.push({ logicalId: r.LogicalResourceId ?? '', physicalId: r.PhysicalResourceId ?? '', type: r.ResourceType ?? '' });
      }
      token = page.NextToken;
    } while (token);
    return all;
  }

  async function withNested(stackName: string, path: string[], seen: Set<string>): Promise<StackResource[] | undefined> {
    const own = await ownResources(stackName);
    if (!own) return undefined;
    const here = own.map((r) => ({ ...r, nestedIn: path }));
    if (path.length >= MAX_NESTING) return here;
    const children = own.filter((r) => NESTED_STACK_TYPES.has(r.type) && r.physicalId && !seen.has(r.physicalId));
    for (const child of children) seen.add(child.physicalId);
    const nested = await Promise.all(children.map((child) => withNested(child.physicalId, [...path, child.logicalId], seen)));
    return [...here, ...nested.flatMap((n) => n ?? [])];
  }

  return {
    async physicalId(stackName, logicalId) {
      const resources = await withNested(stackName, [], new Set());
      // The root stack first, then the shallowest nested stack that has it.
      const matches = (resources ?? []).filter((r) => r.logicalId === logicalId && r.physicalId);
      matches.sort((a, b) => (a.nestedIn?.length ?? 0) - (b.nestedIn?.length ?? 0));
      return matches[0]?.physicalId;
    },
    stackResources: (stackName) => withNested(stackName, [], new Set()),
  };
}

/** CloudFormation exports (Fn::ImportValue), for local runs' deployed values. Added for issue 12. */
export interface CloudFormationExportsApi {
  /** Every export of the account and region, name to value (ListExports, all pages). */
  listExports(): Promise<Record<string, string>>;
}

export async function createCloudFormationExportsApi(config: AwsClientConfig): Promise<CloudFormationExportsApi> {
  const cfn = await import('@aws-sdk/client-cloudformation');
  const client = trackInFlight(new cfn.CloudFormationClient(await sdkClientOptions(config, 'CloudFormation')), 'CloudFormation');
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
