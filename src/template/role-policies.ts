/**
 * Policies that reach a role other than through the function: managed policy ARNs, AWS::IAM::Policy /
 * ManagedPolicy / RolePolicy resources that name the role, and the link from `Role:` to a template role.
 */
import { isRecord, type LoadedTemplate } from './load.js';
import { isUnresolved, resolveString, type ResolveContext } from './intrinsics.js';
import { findManagedPolicy } from './managed-policies.js';
import { addPolicyDocument, type PolicyCollector } from './policy-documents.js';
import { asResourceToken, resourceToken } from './tokens.js';

type Resources = Record<string, Record<string, unknown>>;

/** `!GetAtt R.Arn` or `!Ref R` (or a `!Sub` of either) where R is an AWS::IAM::Role of this template. */
export function roleInTemplate(role: unknown, ctx: ResolveContext): string | undefined {
  const resolved = resolveString(role, ctx);
  if (isUnresolved(resolved)) return undefined;
  const ref = asResourceToken(resolved) ?? roleArnBuiltFromName(resolved, ctx);
  if (!ref || (ref.attribute !== undefined && ref.attribute !== 'Arn')) return undefined;
  const resource = ctx.resources[ref.logicalId];
  return isRecord(resource) && resource.Type === 'AWS::IAM::Role' ? ref.logicalId : undefined;
}

/**
 * `!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${WeatherRole}`: `Ref` of an AWS::IAM::Role is
 * its name, so this is that role's ARN when the account is the deploying one and the path is the role's.
 */
function roleArnBuiltFromName(resolved: string, ctx: ResolveContext): { logicalId: string; attribute?: string } | undefined {
  const m = /^arn:[^:]+:iam::(.+):role(\/(?:[^{}]*\/)?)\{\{resource:([A-Za-z0-9]+)\}\}$/.exec(resolved);
  if (!m || m[1] !== String(ctx.pseudo['AWS::AccountId'])) return undefined;
  const resource = ctx.resources[m[3]!];
  if (!isRecord(resource) || resource.Type !== 'AWS::IAM::Role') return undefined;
  const props = isRecord(resource.Properties) ? resource.Properties : {};
  const path = typeof props.Path === 'string' ? props.Path : '/';
  return m[2] === path ? { logicalId: m[3]! } : undefined;
}

/**
 * Adds the document behind a managed policy reference: a policy we ship (data/managed-policies.json),
 * an AWS::IAM::ManagedPolicy of this template, or else an undetermined entry. Duplicates are skipped, as
 * IAM attaches a policy once.
 */
export function addManagedPolicyArn(
  raw: unknown,
  source: string,
  ctx: ResolveContext,
  template: LoadedTemplate,
  into: PolicyCollector,
): void {
  const arn = resolveString(raw, ctx);
  if (isUnresolved(arn)) {
    into.undetermined.push(`${source}: managed policy cannot be resolved: ${arn.reason}`);
    return;
  }
  const local = templateManagedPolicy(arn, ctx);
  if (local) {
    addPolicyDocument({ name: local.logicalId, kind: 'identity', source }, local.document, ctx, into);
    return;
  }
  const known = findManagedPolicy(arn);
  if (known) {
    if (!into.policies.some((p) => p.name === known.arn)) {
      into.policies.push({ name: known.arn, kind: 'identity', source, document: known.document });
    }
    return;
  }
  into.undetermined.push(`${source}: managed policy ${arn} is not known offline; its content was not assumed`);
}

function templateManagedPolicy(arn: string, ctx: ResolveContext): { logicalId: string; document: unknown } | undefined {
  const ref = asResourceToken(arn);
  if (!ref || ref.attribute !== undefined) return undefined;
  const resource = ctx.resources[ref.logicalId];
  if (!isRecord(resource) || resource.Type !== 'AWS::IAM::ManagedPolicy') return undefined;
  const props = isRecord(resource.Properties) ? resource.Properties : {};
  return { logicalId: ref.logicalId, document: props.PolicyDocument };
}

const ATTACHING_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy'];

/** AWS::IAM::Policy (and friends) that list this role in `Roles` / `RoleName`: people add these to SAM's role. */
export function attachedPolicyResources(template: LoadedTemplate, roleId: string, ctx: ResolveContext, into: PolicyCollector): void {
  const resources = template.body.Resources as Resources;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!ATTACHING_TYPES.includes(resource.Type as string)) continue;
    const props = isRecord(resource.Properties) ? resource.Properties : {};
    const roles = resource.Type === 'AWS::IAM::RolePolicy' ? [props.RoleName] : Array.isArray(props.Roles) ? props.Roles : [];
    const attaches = roles.some((r) => resolveString(r, ctx) === resourceToken(roleId));
    if (!attaches) continue;
    const name = typeof props.PolicyName === 'string' ? props.PolicyName : logicalId;
    const source = `${template.where(['Resources', logicalId])} (${resource.Type} ${logicalId})`;
    addPolicyDocument({ name, kind: 'identity', source }, props.PolicyDocument, ctx, into);
  }
}
