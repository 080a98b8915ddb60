/**
 * The IAM adapter: a role's trust policy, inline and attached policies (default-version documents),
 * and permission boundary; and SimulatePrincipalPolicy, when the caller may use it.
 */
import type { NamedPolicy, PolicyDocument } from '../policy/types.js';
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { trackInFlight } from './in-flight.js';
import { awsCall, awsCallOrMissing } from './call.js';
import { EnvironmentError } from '../core/errors.js';

export interface RolePolicies {
  roleName: string;
  roleArn: string;
  trustPolicy?: PolicyDocument;
  identity: NamedPolicy[];
  boundary?: NamedPolicy;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny' | string;
  matchedPolicies: string[];
  missingContextValues: string[];
}

export type Simulation = { available: true; results: SimulationResult[] } | { available: false; reason: string };

export interface IamApi {
  /** undefined when the role does not exist. */
  getRolePolicies(roleName: string): Promise<RolePolicies | undefined>;
  simulate(request: { policySourceArn: string; actions: string[]; resources: string[]; context?: Record<string, string> }): Promise<Simulation>;
}

const SERVICE = 'IAM';

export async function createIamApi(config: AwsClientConfig): Promise<IamApi> {
  const iam = await import('@aws-sdk/client-iam');
  // IAM is global, but the region still picks the endpoint partition; the SDK handles that.
  const client = trackInFlight(new iam.IAMClient(await sdkClientOptions(config)), SERVICE);

  const managedPolicy = async (arn: string, kind: NamedPolicy['kind'], source: string): Promise<NamedPolicy> => {
    const policy = await awsCall(SERVICE, 'GetPolicy', () => client.send(new iam.GetPolicyCommand({ PolicyArn: arn })));
    const version = await awsCall(SERVICE, 'GetPolicyVersion', () =>
      client.send(new iam.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy!.DefaultVersionId! })),
    );
    return { name: arn, kind, source, document: decodePolicy(version.PolicyVersion!.Document!, `policy ${arn}`) };
  };

  return {
    async getRolePolicies(roleName) {
      const role = await awsCallOrMissing(SERVICE, 'GetRole', ['NoSuchEntityException'], () => client.send(new iam.GetRoleCommand({ RoleName: roleName })));
      if (!role) return undefined;
      // The four dependent chains run side by side: inline list -> documents, attached list -> policy -> version.
      const [inline, attached, boundary] = await Promise.all([
        awsCall(SERVICE, 'ListRolePolicies', () => client.send(new iam.ListRolePoliciesCommand({ RoleName: roleName }))).then((out) =>
          Promise.all(
            (out.PolicyNames ?? []).map(async (policyName): Promise<NamedPolicy> => {
              const doc = await awsCall(SERVICE, 'GetRolePolicy', () => client.send(new iam.GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
              return { name: policyName, kind: 'identity', source: `inline policy ${policyName} of role ${roleName}`, document: decodePolicy(doc.PolicyDocument!, `inline policy ${policyName} of role ${roleName}`) };
            }),
          ),
        ),
        awsCall(SERVICE, 'ListAttachedRolePolicies', () => client.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: roleName }))).then((out) =>
          Promise.all((out.AttachedPolicies ?? []).map((p) => managedPolicy(p.PolicyArn!, 'identity', `managed policy ${p.PolicyName} attached to role ${roleName}`))),
        ),
        role.Role?.PermissionsBoundary?.PermissionsBoundaryArn
          ? managedPolicy(role.Role.PermissionsBoundary.PermissionsBoundaryArn, 'boundary', `permissions boundary of role ${roleName}`)
          : Promise.resolve(undefined),
      ]);
      return {
        roleName,
        roleArn: role.Role!.Arn!,
        trustPolicy: role.Role?.AssumeRolePolicyDocument ? decodePolicy(role.Role.AssumeRolePolicyDocument) : undefined,
        identity: [...inline, ...attached],
        boundary,
      };
    },
    async simulate(request) {
      try {
        const out = await client.send(
          new iam.SimulatePrincipalPolicyCommand({
            PolicySourceArn: request.policySourceArn,
            ActionNames: request.actions,
            ResourceArns: request.resources,
            ContextEntries: Object.entries(request.context ?? {}).map(([key, value]) => ({ ContextKeyName: key, ContextKeyValues: [value], ContextKeyType: 'string' })),
          }),
        );
        return {
          available: true,
          results: (out.EvaluationResults ?? []).map((r) => ({
            action: r.EvalActionName!,
            resource: r.EvalResourceName ?? '*',
            decision: r.EvalDecision ?? 'implicitDeny',
            matchedPolicies: (r.MatchedStatements ?? []).map((s) => s.SourcePolicyId ?? 'unknown'),
            missingContextValues: r.MissingContextValues ?? [],
          })),
        };
      } catch (error) {
        // AccessDenied, not implemented (moto answers an HTML page), or an unparseable answer: fall back.
        const e = error as { name?: string; message?: string };
        return { available: false, reason: `${e.name ?? 'Error'}: ${(e.message ?? '').split('\n')[0]!.slice(0, 200)}` };
      }
    },
  };
}

/** IAM returns policy documents URL-encoded (RFC 3986) JSON. */
export function decodePolicy(encoded: string, where = 'a policy document'): PolicyDocument {
  try {
    const text = encoded.trimStart().startsWith('{') ? encoded : decodeURIComponent(encoded);
    return JSON.parse(text) as PolicyDocument;
  } catch (error) {
    throw new EnvironmentError(`AWS returned ${where} that is not valid JSON.`, { code: 'policy-unreadable', cause: error });
  }
}
