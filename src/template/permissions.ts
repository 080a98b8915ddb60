/**
 * Which identity policies a function's execution role will have once the template is deployed, read
 * from the template alone. Three cases, as SAM decides them:
 *  - no `Role`: SAM generates `<Function>Role` with AWSLambdaBasicExecutionRole (plus X-Ray / VPC access
 *    when Tracing / VpcConfig are set) and one inline policy `<Function>RolePolicy<N>` per `Policies` entry;
 *  - `Role` pointing at an AWS::IAM::Role in the template: that role's policies (and `Policies` are ignored);
 *  - `Role` pointing elsewhere: undetermined, the role is managed outside this template.
 */
import type { NamedPolicy } from '../policy/types.js';
import { ignoredGlobalProperties, type TemplateFunction } from './functions.js';
import { isRecord, type LoadedTemplate, type PathSegment } from './load.js';
import { isUnresolved, resolveString, type ResolveContext, type Unresolved } from './intrinsics.js';
import { evaluateCondition } from './conditions.js';
import { unexpandedLoops } from './foreach.js';
import { managedPolicyArnFor } from './managed-policies.js';
import { addPolicyDocument, newCollector, statementsDocument, type PolicyCollector, type TemplateNote } from './policy-documents.js';
import { expandPolicyTemplate, policyTemplateName } from './policy-templates.js';
import { attachedPolicyResources, addManagedPolicyArn, roleInTemplate } from './role-policies.js';

export type { TemplateNote } from './policy-documents.js';

export type FunctionRole =
  | { kind: 'sam-generated'; logicalId: string }
  | { kind: 'template'; logicalId: string; line?: number }
  | { kind: 'external'; arn: string | Unresolved };

export interface FunctionPermissions {
  functionLogicalId: string;
  role: FunctionRole;
  /** e.g. `SAM-generated role WeatherFunctionRole`, `role WeatherRole (template.yaml:40:3)`. */
  roleDescription: string;
  /** Identity policies (kind 'identity'), in the order SAM/CloudFormation attach them. */
  policies: NamedPolicy[];
  /** The permissions boundary (kind 'boundary'), when one is set and readable. */
  boundary?: NamedPolicy;
  /** Parts that could not be read offline; a verdict that depends on them is not certain. */
  undetermined: string[];
  notes: TemplateNote[];
}

export function expandFunctionPermissions(
  template: LoadedTemplate,
  fn: TemplateFunction,
  ctx: ResolveContext,
): FunctionPermissions {
  const into = newCollector();
  const fnPath = ['Resources', fn.logicalId];
  for (const loop of unexpandedLoops(template.body)) {
    into.undetermined.push(`${loop}: its collection is not a literal list, so the loop was not expanded offline; what it creates (policies attached to the role, among others) was not seen`);
  }
  noteIgnoredGlobals(template, fn, into);
  if (fn.role === undefined) {
    if (fn.type === 'AWS::Lambda::Function') {
      into.undetermined.push(`${template.where(fnPath)}: AWS::Lambda::Function ${fn.logicalId} has no Role`);
      return result(fn, { kind: 'external', arn: { unresolved: true, reason: 'no Role' } }, 'no execution role', undefined, into);
    }
    return samGeneratedRole(template, fn, ctx, into);
  }
  if (fn.policies !== undefined) {
    into.notes.push({
      code: 'role-overrides-policies',
      message: `${fn.logicalId} sets Role, so SAM ignores its Policies: they grant nothing`,
      line: template.positionOf([...fnPath, 'Properties', 'Policies'])?.line,
    });
  }
  const roleId = roleInTemplate(fn.role, ctx);
  if (roleId) return templateRole(template, fn, roleId, ctx, into);
  const arn = resolveString(fn.role, ctx);
  const shown = isUnresolved(arn) ? `(${arn.reason})` : arn;
  into.undetermined.push(`${template.where([...fnPath, 'Properties', 'Role'])}: role ${shown} is managed outside this template`);
  return result(fn, { kind: 'external', arn }, `role ${shown} (managed outside this template)`, undefined, into);
}

function result(
  fn: TemplateFunction,
  role: FunctionRole,
  roleDescription: string,
  boundary: NamedPolicy | undefined,
  into: PolicyCollector,
): FunctionPermissions {
  return { functionLogicalId: fn.logicalId, role, roleDescription, ...into, ...(boundary ? { boundary } : {}) };
}

function samGeneratedRole(
  template: LoadedTemplate,
  fn: TemplateFunction,
  ctx: ResolveContext,
  into: PolicyCollector,
): FunctionPermissions {
  const roleId = `${fn.logicalId}Role`;
  const partition = String(ctx.pseudo['AWS::Partition']);
  const source = `${template.where(['Resources', fn.logicalId])} (attached by SAM to ${roleId})`;
  for (const name of samManagedPolicies(fn, partition)) {
    addManagedPolicyArn(managedPolicyArnFor(name, partition) ?? name, source, ctx, template, into);
  }
  policyEntries(fn.policies).forEach(({ entry, index }) => {
    const path: PathSegment[] = ['Resources', fn.logicalId, 'Properties', 'Policies', ...(index === undefined ? [] : [index])];
    addSamPolicyEntry(template, entry, { path, label: `Policies[${index ?? 0}]`, policyName: `${roleId}Policy${index ?? 0}` }, ctx, into);
  });
  attachedPolicyResources(template, roleId, ctx, into);
  const boundary = boundaryPolicy(template, fn.permissionsBoundary, ['Resources', fn.logicalId, 'Properties', 'PermissionsBoundary'], ctx, into);
  return result(fn, { kind: 'sam-generated', logicalId: roleId }, `SAM-generated role ${roleId}`, boundary, into);
}

/** SAM's own attachments (samtranslator/model/sam_resources.py, `_construct_role`). */
function samManagedPolicies(fn: TemplateFunction, partition: string): string[] {
  const names = ['AWSLambdaBasicExecutionRole'];
  // SAM still uses the older X-Ray policy name in the commercial partition.
  if (fn.tracing) names.push(partition === 'aws' ? 'AWSXrayWriteOnlyAccess' : 'AWSXRayDaemonWriteAccess');
  if (fn.vpcConfig) names.push('AWSLambdaVPCAccessExecutionRole');
  return names;
}

/** `Policies` may be one string, one mapping, or a list of either. */
function policyEntries(policies: unknown): Array<{ entry: unknown; index?: number }> {
  if (policies === undefined || policies === null) return [];
  if (Array.isArray(policies)) return policies.map((entry, index) => ({ entry, index }));
  return [{ entry: policies }];
}

interface EntryPlace {
  path: PathSegment[];
  label: string;
  policyName: string;
}

function addSamPolicyEntry(template: LoadedTemplate, raw: unknown, place: EntryPlace, ctx: ResolveContext, into: PolicyCollector): void {
  const where = template.where(place.path);
  const line = template.positionOf(place.path)?.line;
  const entry = chosenBranch(raw, ctx);
  if (entry === DROPPED) return;
  if (isUnresolved(entry)) {
    into.undetermined.push(`${where} (${place.label}): ${entry.reason}`);
    return;
  }
  if (typeof entry === 'string' || isIntrinsic(entry)) {
    addManagedPolicyArn(entry, `${where} (${place.label} ${describeManaged(entry)})`, ctx, template, into);
    return;
  }
  if (!isRecord(entry) || (!('Statement' in entry) && !policyTemplateName(entry))) {
    into.undetermined.push(`${where} (${place.label}): neither a managed policy, a policy document nor a SAM policy template`);
    return;
  }
  if (isRecord(entry) && 'Statement' in entry) {
    addPolicyDocument({ name: place.policyName, kind: 'identity', source: `${where} (${place.label} inline statements)` }, entry, ctx, into);
    return;
  }
  const name = policyTemplateName(entry)!;
  const expansion = expandPolicyTemplate(name, (entry as Record<string, unknown>)[name]);
  const source = `${where} (${place.label} ${name})`;
  if (expansion.ok) {
    addPolicyDocument({ name: place.policyName, kind: 'identity', source }, statementsDocument(expansion.statements), ctx, into);
  } else if (expansion.reason === 'unrelated-template') {
    into.notes.push({ code: 'policy-template-unrelated', message: `${place.label}: ${expansion.message}`, line });
  } else {
    into.undetermined.push(`${source}: ${expansion.message}`);
  }
}

const DROPPED = Symbol('dropped');

/**
 * `!If [cond, X, !Ref AWS::NoValue]` as a Policies entry: SAM keeps the Fn::If around the policy it
 * makes from X, and CloudFormation drops the entry when the branch taken is AWS::NoValue
 * (samtranslator/model/role_utils.py, `construct_role_for_resource`). Nested Fn::If are followed.
 */
function chosenBranch(entry: unknown, ctx: ResolveContext): unknown {
  if (!isRecord(entry) || Object.keys(entry).length !== 1 || !Array.isArray(entry['Fn::If'])) return entry;
  const [name, then, otherwise] = entry['Fn::If'] as unknown[];
  if (typeof name !== 'string') return unresolvedEntry('Fn::If needs a condition name');
  const decided = evaluateCondition(name, ctx);
  if (isUnresolved(decided)) return unresolvedEntry(`Fn::If ${name}: ${decided.reason}; the policy it guards was not assumed either way`);
  const branch = decided ? then : otherwise;
  if (isRecord(branch) && branch.Ref === 'AWS::NoValue') return DROPPED;
  return chosenBranch(branch, ctx);
}

function unresolvedEntry(reason: string): Unresolved {
  return { unresolved: true, reason };
}

/** `{Ref: ...}` or `{"Fn::...": ...}`: SAM reads such an entry as a managed policy ARN. */
function isIntrinsic(entry: unknown): boolean {
  if (!isRecord(entry)) return false;
  const keys = Object.keys(entry);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

function describeManaged(entry: unknown): string {
  return typeof entry === 'string' ? entry : 'managed policy';
}

function templateRole(
  template: LoadedTemplate,
  fn: TemplateFunction,
  roleId: string,
  ctx: ResolveContext,
  into: PolicyCollector,
): FunctionPermissions {
  const rolePath = ['Resources', roleId, 'Properties'];
  const props = (template.body.Resources as Record<string, Record<string, unknown>>)[roleId]!.Properties;
  const role = isRecord(props) ? props : {};
  const inline = Array.isArray(role.Policies) ? role.Policies : [];
  inline.forEach((policy, index) => {
    const where = template.where([...rolePath, 'Policies', index]);
    const name = isRecord(policy) && typeof policy.PolicyName === 'string' ? policy.PolicyName : `${roleId}Policies${index}`;
    const source = `${where} (inline policy ${name} of role ${roleId})`;
    addPolicyDocument({ name, kind: 'identity', source }, isRecord(policy) ? policy.PolicyDocument : undefined, ctx, into);
  });
  const managed = Array.isArray(role.ManagedPolicyArns) ? role.ManagedPolicyArns : [];
  managed.forEach((arn, index) => {
    const where = template.where([...rolePath, 'ManagedPolicyArns', index]);
    addManagedPolicyArn(arn, `${where} (ManagedPolicyArns[${index}] of role ${roleId})`, ctx, template, into);
  });
  attachedPolicyResources(template, roleId, ctx, into);
  const boundary = boundaryPolicy(template, role.PermissionsBoundary, [...rolePath, 'PermissionsBoundary'], ctx, into);
  const line = template.positionOf(['Resources', roleId])?.line;
  return result(fn, { kind: 'template', logicalId: roleId, line }, `role ${roleId} (${template.where(['Resources', roleId])})`, boundary, into);
}

/** The boundary goes through the same lookup as a managed policy, then is moved out of the identity list. */
function boundaryPolicy(
  template: LoadedTemplate,
  raw: unknown,
  path: PathSegment[],
  ctx: ResolveContext,
  into: PolicyCollector,
): NamedPolicy | undefined {
  if (raw === undefined) return undefined;
  const scratch = newCollector();
  addManagedPolicyArn(raw, `${template.where(path)} (PermissionsBoundary)`, ctx, template, scratch);
  into.undetermined.push(...scratch.undetermined.map((u) => `${u} (permissions boundary: nothing is allowed beyond it)`));
  into.notes.push(...scratch.notes);
  const found = scratch.policies[0];
  return found ? { ...found, kind: 'boundary' } : undefined;
}

/** SAM rejects `Policies`/`Role` under Globals.Function; say so rather than let them look effective. */
function noteIgnoredGlobals(template: LoadedTemplate, fn: TemplateFunction, into: PolicyCollector): void {
  if (fn.type !== 'AWS::Serverless::Function') return;
  for (const key of ignoredGlobalProperties(template)) {
    into.notes.push({
      code: 'not-a-global',
      message: `Globals.Function.${key} is not supported by SAM (the deploy fails); it grants ${fn.logicalId} nothing`,
      line: template.positionOf(['Globals', 'Function', key])?.line,
    });
  }
}
