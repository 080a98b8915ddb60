/**
 * Which KMS key a secret's `KmsKeyId` names, resolved the way KMS resolves it: a key ID, a key ARN, an
 * alias name (`alias/x`) or an alias ARN, a `Ref`/`GetAtt` to an AWS::KMS::Key, or an AWS::KMS::Alias of
 * the template (through its TargetKeyId). An alias the template does not define is known only to KMS:
 * offline that is "unresolved", never the AWS managed key.
 */
import { isUnresolved, kmsKeyArn, resolveString, type ResolveContext, type Unresolved } from './intrinsics.js';
import { isRecord } from './load.js';
import { asResourceToken, resourceTokensIn } from './tokens.js';

export type TemplateKeyResolution =
  | { kind: 'aws-managed' }
  | { kind: 'customer'; keyArn: string; keyLogicalId?: string; via?: string }
  | { kind: 'unresolved'; reason: string; shown: string };

// Region and account may still be tokens such as `{{AWS::Region}}`, which contain colons: match loosely.
const AWS_MANAGED = /^(?:alias\/aws\/secretsmanager|arn:[^:]+:kms:.*:alias\/aws\/secretsmanager)$/;
const ALIAS_NAME = /^alias\//;
const ALIAS_ARN = /^arn:[^:]+:kms:.*:(alias\/[^:]+)$/;
const KEY_ARN = /^arn:[^:]+:kms:.*:key\/[^:]+$/;

export function resolveTemplateKey(kmsKeyId: unknown, ctx: ResolveContext): TemplateKeyResolution {
  if (kmsKeyId === undefined) return { kind: 'aws-managed' };
  return fromValue(resolveString(kmsKeyId, ctx), ctx, 0);
}

function fromValue(value: string | Unresolved, ctx: ResolveContext, depth: number): TemplateKeyResolution {
  if (isUnresolved(value)) return { kind: 'unresolved', reason: value.reason, shown: '(unresolved)' };
  if (AWS_MANAGED.test(value)) return { kind: 'aws-managed' };
  const keyToken = tokenOfType(value, ctx, 'AWS::KMS::Key');
  if (keyToken) return { kind: 'customer', keyArn: kmsKeyArn(`{{resource:${keyToken}}}`, ctx), keyLogicalId: keyToken };
  const aliasToken = tokenOfType(value, ctx, 'AWS::KMS::Alias');
  if (aliasToken) return viaAlias(aliasToken, ctx, depth);
  const aliasName = ALIAS_NAME.test(value) ? value : ALIAS_ARN.exec(value)?.[1];
  if (aliasName) {
    const aliasId = aliasNamed(aliasName, ctx);
    if (aliasId) return viaAlias(aliasId, ctx, depth);
    return { kind: 'unresolved', reason: `${aliasName} is not an AWS::KMS::Alias of this template; only KMS knows which key it points to`, shown: aliasName };
  }
  if (KEY_ARN.test(value)) return { kind: 'customer', keyArn: value };
  if (resourceTokensIn(value).length > 0) return { kind: 'unresolved', reason: `${value} is not a KMS key of this template`, shown: value };
  return { kind: 'customer', keyArn: kmsKeyArn(value, ctx) };
}

/** The AWS::KMS::Alias's TargetKeyId, resolved in turn (an alias may not point at another alias; bounded anyway). */
function viaAlias(aliasId: string, ctx: ResolveContext, depth: number): TemplateKeyResolution {
  const props = propertiesOf(ctx, aliasId);
  if (depth > 2 || props.TargetKeyId === undefined) return { kind: 'unresolved', reason: `alias ${aliasId} has no TargetKeyId`, shown: aliasId };
  const target = fromValue(resolveString(props.TargetKeyId, ctx), ctx, depth + 1);
  return target.kind === 'customer' ? { ...target, via: aliasId } : target;
}

function aliasNamed(aliasName: string, ctx: ResolveContext): string | undefined {
  for (const [logicalId, resource] of Object.entries(ctx.resources)) {
    if (!isRecord(resource) || resource.Type !== 'AWS::KMS::Alias') continue;
    const name = resolveString(propertiesOf(ctx, logicalId).AliasName, ctx);
    if (name === aliasName) return logicalId;
  }
  return undefined;
}

/** The logical ID when `value` is `!Ref X` or `!GetAtt X.Arn`/`X.KeyId` of a resource of `type`. */
function tokenOfType(value: string, ctx: ResolveContext, type: string): string | undefined {
  const exact = asResourceToken(value);
  const refs = exact ? [exact] : /^arn:[^:]+:kms:.*:(?:key|alias)\//.test(value) ? resourceTokensIn(value) : [];
  const hit = refs.find((r) => {
    const resource = ctx.resources[r.logicalId];
    return isRecord(resource) && resource.Type === type;
  });
  return hit?.logicalId;
}

function propertiesOf(ctx: ResolveContext, logicalId: string): Record<string, unknown> {
  const resource = ctx.resources[logicalId];
  return isRecord(resource) && isRecord(resource.Properties) ? resource.Properties : {};
}
