/**
 * Which secret (and KMS key) `fix` grants access to, and the policy values that grant it, in the long
 * form CloudFormation uses (`{"Fn::Sub": ...}`, `{"Ref": ...}`); the editors turn them into short tags.
 */
import { UsageError } from '../core/errors.js';
import { keyIdOf, secretArnSubPattern } from '../check/fixes.js';
import { parseArn, parseSecretArn } from '../policy/index.js';
import { isRecord } from '../template/load.js';
import {
  isUnresolved, resourceToken, resourceTokensIn, secretResource, type FunctionAnalysis, type ResolveContext, type SecretResourceInfo,
} from '../template/index.js';

/** Used when neither --secret-id nor the template names a secret: the name the original story used. */
export const DEFAULT_FIX_SECRET = 'openweatherapi';

/** A stand-in for the six random characters AWS appends; a correct pattern matches any six. */
const FAKE_SUFFIX = 'AbC123';

export interface SecretTarget {
  /** What a reader recognises: the name, or the logical id of the secret resource. */
  label: string;
  /** The name, when known (for SECRET_NAME and the IAM statement). */
  name?: string;
  /** The ARN the evaluator checks against: tokens for what the template cannot know. */
  expectedArn: string;
  /** The secret's ARN spelt out from its name, to tell what a hand-written ARN was aiming at. */
  nameArn?: string;
  /** The SecretArn / Resource value to write. */
  policyValue: unknown;
  /** The environment variable to add when the function names no secret. */
  envVariable: { name: string; value: unknown };
  resource?: SecretResourceInfo;
  kms?: KmsTarget;
}

export interface KmsTarget {
  keyArn: string;
  /** The entry for a SAM function's Policies: KMSDecryptPolicy, or a statement for a key given by ARN. */
  samEntry: unknown;
  /** An IAM statement's Resource. */
  statementResource: unknown;
}

export interface TargetOptions {
  secretId?: string;
  kmsKeyId?: string;
}

export function resolveSecretTarget(analysis: FunctionAnalysis, options: TargetOptions): SecretTarget {
  const { ctx } = analysis;
  const fromTemplate = options.secretId === undefined ? analysis.secretReferences[0] : undefined;
  let target: SecretTarget;
  if (fromTemplate?.resource) target = resourceTarget(fromTemplate.resource, ctx);
  else if (fromTemplate?.via === 'parameter' && fromTemplate.parameter) target = parameterTarget(fromTemplate.parameter.name, fromTemplate.value, ctx);
  else if (fromTemplate) {
    if (isUnresolved(fromTemplate.value)) {
      throw new UsageError(`Cannot tell which secret ${fromTemplate.source} names: ${fromTemplate.value.reason}.`, {
        code: 'secret-unresolvable',
        hint: 'Pass --secret-id NAME.',
      });
    }
    target = idTarget(fromTemplate.value, analysis);
  } else target = idTarget(options.secretId ?? DEFAULT_FIX_SECRET, analysis);
  const kms = kmsTarget(target.resource, options.kmsKeyId, ctx);
  return kms ? { ...target, kms } : target;
}

/** A name, a full ARN or a partial ARN; a name that a secret resource of the template carries becomes `!Ref`. */
function idTarget(id: string, analysis: FunctionAnalysis): SecretTarget {
  const { ctx } = analysis;
  const arn = parseArn(id);
  if (arn && arn.service === 'secretsmanager') {
    const full = parseSecretArn(id);
    const name = full ? full.name : arn.resource.replace(/^secret:/, '');
    const pattern = `arn:${arn.partition}:secretsmanager:${arn.region}:${arn.account}:secret:${name}-??????`;
    // The template's secret of that name brings its KMS key along, as in check-policy.
    const resource = secretResourceNamed(name, analysis);
    return {
      ...(resource && { resource }),
      label: name, name,
      expectedArn: full ? id : `${pattern.slice(0, -6)}${FAKE_SUFFIX}`,
      nameArn: full ? id : `${pattern.slice(0, -6)}${FAKE_SUFFIX}`,
      policyValue: pattern,
      envVariable: { name: 'SECRET_ARN', value: id },
    };
  }
  const resource = secretResourceNamed(id, analysis);
  if (resource) return resourceTarget(resource, ctx);
  return {
    label: id, name: id,
    expectedArn: expectedSecretArn(id, ctx),
    nameArn: expectedSecretArn(id, ctx),
    policyValue: { 'Fn::Sub': secretArnSubPattern(id) },
    envVariable: { name: 'SECRET_NAME', value: id },
  };
}

function resourceTarget(resource: SecretResourceInfo, ctx: ResolveContext): SecretTarget {
  const name = typeof resource.name === 'string' ? resource.name : undefined;
  return {
    label: resource.logicalId,
    ...(name ? { name, nameArn: expectedSecretArn(name, ctx) } : {}),
    expectedArn: resourceToken(resource.logicalId),
    policyValue: { Ref: resource.logicalId },
    envVariable: { name: 'SECRET_ARN', value: { Ref: resource.logicalId } },
    resource,
  };
}

/** `SECRET_NAME: !Ref SecretName`: keep the parameter in the policy too, so every stage stays right. */
function parameterTarget(parameter: string, value: unknown, ctx: ResolveContext): SecretTarget {
  if (typeof value !== 'string') {
    throw new UsageError(`Parameter ${parameter} has no value to check the policy against.`, {
      code: 'secret-unresolvable',
      hint: `Give ${parameter} a Default, or pass --secret-id NAME.`,
    });
  }
  return {
    label: value, name: value,
    expectedArn: expectedSecretArn(value, ctx),
    nameArn: expectedSecretArn(value, ctx),
    policyValue: { 'Fn::Sub': secretArnSubPattern(`\${${parameter}}`) },
    envVariable: { name: 'SECRET_NAME', value: { Ref: parameter } },
  };
}

function expectedSecretArn(name: string, ctx: ResolveContext): string {
  const p = ctx.pseudo;
  return `arn:${String(p['AWS::Partition'])}:secretsmanager:${String(p['AWS::Region'])}:${String(p['AWS::AccountId'])}:secret:${name}-${FAKE_SUFFIX}`;
}

function secretResourceNamed(name: string, analysis: FunctionAnalysis): SecretResourceInfo | undefined {
  for (const logicalId of Object.keys(analysis.ctx.resources)) {
    const info = secretResource(analysis.template, logicalId, analysis.ctx);
    if (info && (info.name === name || logicalId === name)) return info;
  }
  return undefined;
}

/** A customer-managed key: the secret resource's KmsKeyId, or --kms-key-id. Aliases name no key we can grant. */
function kmsTarget(resource: SecretResourceInfo | undefined, kmsKeyId: string | undefined, ctx: ResolveContext): KmsTarget | undefined {
  if (kmsKeyId === undefined && !resource?.needsKmsDecrypt) return undefined;
  const keyLogicalId = kmsKeyId === undefined ? templateKeyOf(resource, ctx) : undefined;
  if (keyLogicalId && resource?.kmsKeyArn) {
    return { keyArn: resource.kmsKeyArn, samEntry: { KMSDecryptPolicy: { KeyId: { Ref: keyLogicalId } } }, statementResource: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] } };
  }
  const key = kmsKeyId ?? (typeof resource?.kmsKeyResolved === 'string' ? resource.kmsKeyResolved : undefined);
  if (key === undefined || /(^|:)alias\//.test(key)) {
    throw new UsageError(`The secret's KMS key ${key ?? '(unresolved)'} is not a key id or ARN, so kms:Decrypt cannot be granted on it.`, {
      code: 'kms-key-unresolvable',
      hint: 'Pass --kms-key-id with the key id or key ARN.',
    });
  }
  if (key.startsWith('arn:')) {
    // KMSDecryptPolicy builds the ARN in the stack's own region and account; a full ARN may name another.
    const statement = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key };
    return { keyArn: key, samEntry: { Statement: [statement] }, statementResource: key };
  }
  const keyId = keyIdOf(key);
  const p = ctx.pseudo;
  const keyArn = `arn:${String(p['AWS::Partition'])}:kms:${String(p['AWS::Region'])}:${String(p['AWS::AccountId'])}:key/${keyId}`;
  const statementResource = { 'Fn::Sub': `arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/${keyId}` };
  return { keyArn, samEntry: { KMSDecryptPolicy: { KeyId: keyId } }, statementResource };
}

/** The AWS::KMS::Key of this template behind KmsKeyId, written as `!Ref Key` or `!GetAtt Key.Arn`. */
function templateKeyOf(resource: SecretResourceInfo | undefined, ctx: ResolveContext): string | undefined {
  if (resource?.kmsKeyLogicalId) return resource.kmsKeyLogicalId;
  const resolved = resource?.kmsKeyResolved;
  if (typeof resolved !== 'string') return undefined;
  const keys = resourceTokensIn(resolved).filter((ref) => {
    const r = ctx.resources[ref.logicalId];
    return isRecord(r) && r.Type === 'AWS::KMS::Key';
  });
  return keys.length === 1 ? keys[0]!.logicalId : undefined;
}
