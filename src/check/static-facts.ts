/**
 * Facts the static check reads from the template beside the policies: what could not be seen, the
 * key's default policy and aliases, the secret's tags, and the premise about version stages.
 */
import type { NamedPolicy } from '../policy/index.js';
import { UNKNOWN_PUBLIC_IPV4 } from '../policy/ip.js';
import { isUnresolved, resolveValue, type FunctionAnalysis } from '../template/index.js';
import { resourcesOfType } from '../template/functions.js';
import { isRecord } from '../template/load.js';

/** Marks an undetermined entry that is about the permissions boundary (permissions.ts adds it). */
const BOUNDARY_MARK = '(permissions boundary:';

/** Identity policies the role has but the template does not show; the boundary is modelled apart. */
export function unseenIdentity(analysis: FunctionAnalysis): string[] {
  return analysis.permissions.undetermined.filter((u) => !u.includes(BOUNDARY_MARK));
}

/**
 * KMS developer guide, key-policy-default.html: a key created without a policy (CloudFormation's
 * AWS::KMS::Key with no KeyPolicy) gets the default one, which gives the account root kms:* and so
 * lets IAM policies decide.
 */
export function kmsDefaultKeyPolicy(keyLogicalId: string, account: string): NamedPolicy {
  return {
    name: `${keyLogicalId} default key policy`,
    kind: 'key',
    source: `KMS's default key policy (${keyLogicalId} sets no KeyPolicy)`,
    document: { Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] },
  };
}

/** `alias/...` names of the template's AWS::KMS::Alias resources that target the key; undefined if the key is not the template's. */
export function keyAliases(analysis: FunctionAnalysis, keyLogicalId: string | undefined): string[] | undefined {
  if (!keyLogicalId) return undefined;
  const aliases: string[] = [];
  for (const [, resource] of resourcesOfType(analysis.template, 'AWS::KMS::Alias')) {
    const props = isRecord(resource.Properties) ? resource.Properties : {};
    const target = resolveValue(props.TargetKeyId, analysis.ctx);
    const name = resolveValue(props.AliasName, analysis.ctx);
    if (isUnresolved(target) || isUnresolved(name)) return undefined;
    if (typeof target === 'string' && target.startsWith(`{{resource:${keyLogicalId}`) && typeof name === 'string') aliases.push(name);
  }
  return aliases;
}

/** The template secret's Tags as `aws:ResourceTag/K` and `secretsmanager:ResourceTag/K`. */
export function secretTagContext(analysis: FunctionAnalysis, secretLogicalId: string | undefined): Record<string, string> {
  if (!secretLogicalId) return {};
  const resource = (analysis.template.body.Resources as Record<string, Record<string, unknown>>)[secretLogicalId];
  const props = isRecord(resource?.Properties) ? resource.Properties : {};
  const tags = resolveValue(props.Tags, analysis.ctx);
  if (!Array.isArray(tags)) return {};
  const context: Record<string, string> = {};
  for (const tag of tags) {
    if (!isRecord(tag) || typeof tag.Key !== 'string' || typeof tag.Value !== 'string') continue;
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    context[`secretsmanager:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return context;
}

/**
 * Outside a VPC a function reaches Secrets Manager from a public AWS address (present, value unknown);
 * inside one through a NAT (public) or an interface endpoint (then aws:SourceIp is absent), so unknown.
 */
export function sourceIpContext(analysis: FunctionAnalysis): Record<string, string> {
  return analysis.fn.vpcConfig ? {} : { 'aws:SourceIp': UNKNOWN_PUBLIC_IPV4 };
}

