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
  /**
   * Reads every role of the account in a few GetAccountAuthorizationDetails pages, so that later
   * getRolePolicies calls need no per-role requests (only managed policy documents, each once). For
   * scans with many roles; on failure (no permission) nothing changes.
   */
  loadAllRoles?(): Promise<void>;
  simulate(request: { policySourceArn: string; actions: string[]; resources: string[]; context?: Record<string, string> }): Promise<Simulation>;
}

const SERVICE = 'IAM';

/** One role of GetAccountAuthorizationDetails' RoleDetailList (the fields read here). */
interface RoleDetail {
  RoleName?: string;
  Arn?: string;
  AssumeRolePolicyDocument?: string;
  RolePolicyList?: Array<{ PolicyName?: string; PolicyDocument?: string }>;
  AttachedManagedPolicies?: Array<{ PolicyName?: string; PolicyArn?: string }>;
  PermissionsBoundary?: { PermissionsBoundaryArn?: string };
}

export async function createIamApi(config: AwsClientConfig): Promise<IamApi> {
  const iam = await import('@aws-sdk/client-iam');
  // IAM is global, but the region still picks the endpoint partition; the SDK handles that.
  const options = await sdkClientOptions(config, 'IAM');
  const client = trackInFlight(new iam.IAMClient(options), SERVICE);
  // The simulator is optional: one attempt, so an unavailable one costs one round trip, not three.
  const simulator = trackInFlight(new iam.IAMClient({ ...options, maxAttempts: 1 }), SERVICE);

  // A managed policy attached to many roles (AWSLambdaBasicExecutionRole) is fetched once per client.
  const documents = new Map<string, Promise<PolicyDocument>>();
  const managedDocument = (arn: string): Promise<PolicyDocument> => {
    const fetch = async () => {
      const policy = await awsCall(SERVICE, 'GetPolicy', () => client.send(new iam.GetPolicyCommand({ PolicyArn: arn })));
      const version = await awsCall(SERVICE, 'GetPolicyVersion', () =>
        client.send(new iam.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy!.DefaultVersionId! })),
      );
      return decodePolicy(version.PolicyVersion!.Document!, `policy ${arn}`);
    };
    if (!documents.has(arn)) documents.set(arn, fetch().catch((error) => { documents.delete(arn); throw error; }));
    return documents.get(arn)!;
  };
  const managedPolicy = async (arn: string, kind: NamedPolicy['kind'], source: string): Promise<NamedPolicy> => ({ name: arn, kind, source, document: await managedDocument(arn) });

  // Filled by loadAllRoles: each role as GetAccountAuthorizationDetails describes it.
  let bulk: Map<string, RoleDetail> | undefined;
  const fromDetail = async (detail: RoleDetail): Promise<RolePolicies> => {
    const roleName = detail.RoleName!;
    const inline = (detail.RolePolicyList ?? []).map((p): NamedPolicy => ({
      name: p.PolicyName!, kind: 'identity', source: `inline policy ${p.PolicyName} of role ${roleName}`,
      document: decodePolicy(p.PolicyDocument!, `inline policy ${p.PolicyName} of role ${roleName}`),
    }));
    const [attached, boundary] = await Promise.all([
      Promise.all((detail.AttachedManagedPolicies ?? []).map((p) => managedPolicy(p.PolicyArn!, 'identity', `managed policy ${p.PolicyName} attached to role ${roleName}`))),
      detail.PermissionsBoundary?.PermissionsBoundaryArn ? managedPolicy(detail.PermissionsBoundary.PermissionsBoundaryArn, 'boundary', `permissions boundary of role ${roleName}`) : Promise.resolve(undefined),
    ]);
    return {
      roleName,
      roleArn: detail.Arn!,
      trustPolicy: detail.AssumeRolePolicyDocument ? decodePolicy(detail.AssumeRolePolicyDocument) : undefined,
      identity: [...inline, ...attached],
      boundary,
    };
  };

  return {
    async loadAllRoles() {
      const roles = new Map<string, RoleDetail>();
      let marker: string | undefined;
      do {
        const page = await awsCall(SERVICE, 'GetAccountAuthorizationDetails', () => client.send(new iam.GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 1000, ...(marker && { Marker: marker }) })));
        for (const role of page.RoleDetailList ?? []) if (role.RoleName) roles.set(role.RoleName, role);
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      bulk = roles;
    },
    async getRolePolicies(roleName) {
      // A role not in the bulk answer may be newer than it: asked for the usual way.
      const detail = bulk?.get(roleName);
      if (detail) return fromDetail(detail);
      // The role name is known, so its policy lists start with GetRole instead of after it: one round
      // trip less. A missing role fails the lists too; GetRole's answer decides, their errors are dropped.
      const rolePromise = awsCallOrMissing(SERVICE, 'GetRole', ['NoSuchEntityException'], () => client.send(new iam.GetRoleCommand({ RoleName: roleName })));
      const inlinePromise = awsCall(SERVICE, 'ListRolePolicies', () => client.send(new iam.ListRolePoliciesCommand({ RoleName: roleName }))).then((out) =>
        Promise.all(
          (out.PolicyNames ?? []).map(async (policyName): Promise<NamedPolicy> => {
            const doc = await awsCall(SERVICE, 'GetRolePolicy', () => client.send(new iam.GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
            return { name: policyName, kind: 'identity', source: `inline policy ${policyName} of role ${roleName}`, document: decodePolicy(doc.PolicyDocument!, `inline policy ${policyName} of role ${roleName}`) };
          }),
        ),
      );
      const attachedPromise = awsCall(SERVICE, 'ListAttachedRolePolicies', () => client.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: roleName }))).then((out) =>
        Promise.all((out.AttachedPolicies ?? []).map((p) => managedPolicy(p.PolicyArn!, 'identity', `managed policy ${p.PolicyName} attached to role ${roleName}`))),
      );
      inlinePromise.catch(() => undefined);
      attachedPromise.catch(() => undefined);
      const role = await rolePromise;
      if (!role) return undefined;
      const [inline, attached, boundary] = await Promise.all([
        inlinePromise,
        attachedPromise,
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
        const out = await simulator.send(
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
