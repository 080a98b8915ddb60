/**
 * `check-policy --static`: judge from the template alone, with no AWS call. What the template cannot
 * know is symbolic: the deploying account is a sentinel, resource ARNs are synthesised, and the
 * secret's random suffix is unknown (so a literal suffix can be neither confirmed nor refuted).
 */
import type { Finding } from '../core/findings.js';
import type { NamedPolicy, PolicyDocument } from '../policy/index.js';
import {
  analyseTemplateFunction,
  isUnresolved,
  listKeys,
  listRoles,
  resolveString,
  resolveValue,
  resourceTokensIn,
  substituteTokens,
  type FunctionAnalysis,
} from '../template/index.js';
import { diagnose } from './diagnose.js';
import { buildChain, requestFacts } from './chain.js';
import { resourcesOfType } from '../template/functions.js';
import type { CheckPolicyResult, FixTarget } from './types.js';
import { mapStrings } from './strings.js';
import { SEVERITY_ORDER, VERSION_STAGE_PREMISE, decideInWorlds } from './worlds.js';
import { keyAliases, kmsDefaultKeyPolicy, secretTagContext, sourceIpContext, unseenIdentity } from './static-facts.js';

/** Stands for "the deploying account, whatever it is". Shown to users as ${AWS::AccountId}. */
export const STATIC_ACCOUNT = '000000000000';
/** A synthetic six-character suffix: offline the real one is unknown. */
const SYNTHETIC_SUFFIX = 'Zq7Xw2';

export interface StaticCheckInput {
  templatePath: string;
  functionId?: string;
  secretId?: string;
  region: string;
  parameterOverrides: Record<string, string>;
}

interface StaticSecret {
  id: string;
  name: string;
  arn: string;
  source: string;
  suffixKnown: boolean;
  logicalId?: string;
  kms?: { keyArn: string; keyLogicalId?: string; keyId?: string };
  findings: Finding[];
}

export async function checkStatic(input: StaticCheckInput): Promise<CheckPolicyResult> {
  const analysis = await analyseTemplateFunction(input.templatePath, input.functionId, {
    region: input.region,
    accountId: STATIC_ACCOUNT,
    parameterOverrides: input.parameterOverrides,
  });
  const secret = staticSecret(analysis, input);
  const role = analysis.permissions.role;
  // A secret named by a literal full ARN carries its account: take it as the deploying account.
  const account = secret.suffixKnown ? (secret.arn.split(':')[4] ?? STATIC_ACCOUNT) : STATIC_ACCOUNT;
  const roleArn = role.kind === 'external' && !isUnresolved(role.arn) ? role.arn : `arn:aws:iam::${account}:role/${role.kind === 'external' ? 'external' : `${role.logicalId}`}`;
  const known = { accountId: STATIC_ACCOUNT, resources: { ...resourceArns(analysis, secret, input.region), ...roleArnTokens(role, roleArn) } };
  const sub = (p: NamedPolicy): NamedPolicy => ({ ...p, document: mapStrings(p.document, (s) => substituteTokens(s, known)) as PolicyDocument });
  const identityPolicies = analysis.permissions.policies.map(sub);
  const worlds = decideInWorlds({
    principalArn: roleArn,
    principalAccount: account,
    secretArn: secret.arn,
    identityPolicies,
    unseenIdentity: unseenIdentity(analysis),
    boundary: analysis.permissions.boundary ? sub(analysis.permissions.boundary) : boundaryDeclared(analysis) || role.kind === 'external' ? 'unknown' : 'none',
    resourcePolicy: templateResourcePolicy(analysis, secret, known),
    context: { ...requestFacts(input.region), ...secretTagContext(analysis, secret.logicalId), ...sourceIpContext(analysis) },
    customerManagedKey: secret.kms ? { keyArn: substituteTokens(secret.kms.keyArn, known), keyPolicy: keyPolicy(analysis, secret.kms.keyLogicalId, known), aliases: keyAliases(analysis, secret.kms.keyLogicalId) } : undefined,
    // Outside a VPC the request never carries these; inside one it does when the VPC has an endpoint.
    absentContextKeys: analysis.fn.vpcConfig ? [] : ['aws:SourceVpce', 'aws:SourceVpc'],
  }, { account: STATIC_ACCOUNT, suffix: SYNTHETIC_SUFFIX, secretName: secret.name, suffixKnown: secret.suffixKnown, ...(secret.suffixKnown ? { fixedAccount: account } : {}) });
  const decision = worlds.primary;
  const fix: FixTarget = role.kind === 'external'
    ? { kind: 'iam', secretArnPattern: `arn:aws:secretsmanager:${input.region}:ACCOUNT_ID:secret:${secret.name}-??????`, region: input.region }
    : { kind: 'sam', secretName: secret.name, secretLogicalId: secret.logicalId, kmsKeyId: secret.kms?.keyId, kmsKeyLogicalId: secret.kms?.keyLogicalId, roleInTemplate: role.kind === 'template' ? role.logicalId : undefined };
  const findings = [
    ...secret.findings,
    ...templateFindings(analysis),
    ...diagnose({ decision, identityPolicies, secretArn: secret.arn, secretName: secret.name, fix, suffixKnown: secret.suffixKnown, accountKnown: secret.suffixKnown, crossAccount: false }),
  ];
  // Unseen policies are part of the decision (unseenIdentity, an 'unknown' boundary), and a literal
  // account or suffix is one more world to decide in: no verdict is adjusted after the fact.
  const verdict = worlds.verdict;
  if (worlds.hinge) findings.push({ code: 'depends-on-open-fact', severity: 'warning', message: `The answer depends on ${worlds.hinge}, which the template alone cannot tell.`, fix: 'Run check-policy without --static to check the deployed function.' });
  if (verdict === 'allowed' && /secretsmanager:VersionStage/i.test(JSON.stringify(identityPolicies))) findings.push(VERSION_STAGE_PREMISE);
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const result: CheckPolicyResult = {
    command: 'check-policy',
    verdict,
    method: 'static',
    identityEvaluation: 'evaluator',
    region: input.region,
    template: input.templatePath,
    function: { logicalId: analysis.fn.logicalId, source: `${analysis.template.path}${analysis.fn.line ? `:${analysis.fn.line}` : ''}` },
    role: { description: analysis.permissions.roleDescription },
    secret: { id: secret.id, arn: secret.suffixKnown ? secret.arn : undefined, source: secret.source, kmsKey: secret.kms?.keyArn },
    chain: buildChain({
      functionText: `${analysis.fn.logicalId} (${analysis.template.path})`,
      roleText: analysis.permissions.roleDescription,
      roleStatus: role.kind === 'external' ? 'unknown' : 'pass',
      decision,
      secretText: `${secret.id} (from ${secret.source})`,
      secretStatus: secret.findings.some((f) => f.severity === 'error') ? 'unknown' : 'pass',
      kmsText: secret.kms ? `customer-managed key ${secret.kms.keyLogicalId ?? secret.kms.keyArn}` : 'aws/secretsmanager (AWS managed key)',
    }),
    deciding: decision.deciding,
    findings,
    decision,
  };
  return displayAccount(result);
}

/** Which secret: --secret-id, else what the function's environment names, else the default. */
function staticSecret(analysis: FunctionAnalysis, input: StaticCheckInput): StaticSecret {
  const region = input.region;
  const arnFor = (name: string) => `arn:aws:secretsmanager:${region}:${STATIC_ACCOUNT}:secret:${name}-${SYNTHETIC_SUFFIX}`;
  if (input.secretId?.startsWith('arn:')) {
    return { id: input.secretId, name: input.secretId.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, ''), arn: input.secretId, source: '--secret-id', suffixKnown: true, findings: [] };
  }
  const byName = (name: string) => analysis.secrets.find((s) => s.logicalId === name || (typeof s.name === 'string' && s.name === name));
  const ref = input.secretId === undefined ? analysis.secretReferences[0] : undefined;
  // A plain name that is the Name of a secret in the template means that resource (so `!Ref` matches).
  const namedResource = input.secretId ? byName(input.secretId) : ref && !ref.resource && typeof ref.value === 'string' ? byName(ref.value) : undefined;
  if (ref?.resource || namedResource) {
    const resource = ref?.resource ?? secretInfoFromList(analysis, namedResource!.logicalId);
    const name = typeof resource.name === 'string' ? resource.name : resource.logicalId;
    // `KmsKeyId: !Ref Key` and `!GetAtt Key.Arn` both name the template's key: find it either way.
    const keyLogicalId = resource.kmsKeyLogicalId ?? (typeof resource.kmsKeyResolved === 'string' ? resourceTokensIn(resource.kmsKeyResolved)[0]?.logicalId : undefined);
    const kms = resource.needsKmsDecrypt && resource.kmsKeyArn ? { keyArn: resource.kmsKeyArn, keyLogicalId, keyId: typeof resource.kmsKeyResolved === 'string' ? resource.kmsKeyResolved : undefined } : undefined;
    return { id: resource.logicalId, name, arn: arnFor(name), source: ref ? `${ref.source} (${ref.resource ? '!Ref ' : 'the Name of '}${resource.logicalId})` : '--secret-id', suffixKnown: false, logicalId: resource.logicalId, kms, findings: [] };
  }
  if (input.secretId) return { id: input.secretId, name: input.secretId, arn: arnFor(input.secretId), source: '--secret-id', suffixKnown: false, findings: [] };
  if (ref && !isUnresolved(ref.value)) {
    const value = ref.value;
    if (ref.kind === 'arn') return { id: value, name: value.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, ''), arn: value, source: ref.source, suffixKnown: true, findings: [] };
    const name = value.replace(/^.*:secret:/, '');
    return { id: name, name, arn: arnFor(name), source: `${ref.source}${ref.parameter ? `, parameter ${ref.parameter.name} (${ref.parameter.origin === 'override' ? 'samconfig override' : ref.parameter.origin})` : ''}`, suffixKnown: false, findings: [] };
  }
  const findings: Finding[] = ref && isUnresolved(ref.value)
    ? [{ code: 'secret-unresolved', severity: 'warning', message: `${ref.source} names a secret the template alone can't resolve (${ref.value.reason}); checking the default openweatherapi.`, fix: 'Pass --secret-id NAME.' }]
    : [];
  return { id: 'openweatherapi', name: 'openweatherapi', arn: arnFor('openweatherapi'), source: 'default', suffixKnown: false, findings };
}

function secretInfoFromList(analysis: FunctionAnalysis, logicalId: string) {
  const s = analysis.secrets.find((x) => x.logicalId === logicalId)!;
  const keyRef = typeof s.kmsKeyIdResolved === 'string' ? resourceTokensIn(s.kmsKeyIdResolved)[0] : undefined;
  return {
    logicalId, name: s.name, needsKmsDecrypt: s.kmsKeyId !== undefined && !/alias\/aws\/secretsmanager/.test(String(s.kmsKeyIdResolved ?? '')),
    kmsKeyArn: typeof s.kmsKeyIdResolved === 'string' ? (s.kmsKeyIdResolved.startsWith('arn:') ? s.kmsKeyIdResolved : `arn:aws:kms:${analysis.ctx.pseudo['AWS::Region']}:${STATIC_ACCOUNT}:key/${s.kmsKeyIdResolved}`) : undefined,
    kmsKeyLogicalId: keyRef?.logicalId, kmsKeyResolved: s.kmsKeyIdResolved,
  };
}

/** Synthetic physical ARNs for the template's secrets and keys, so `!Ref`s resolve to something exact. */
function resourceArns(analysis: FunctionAnalysis, secret: StaticSecret, region: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const s of analysis.secrets) {
    const name = typeof s.name === 'string' ? s.name : s.logicalId;
    map[`{{resource:${s.logicalId}}}`] = s.logicalId === secret.logicalId ? secret.arn : `arn:aws:secretsmanager:${region}:${STATIC_ACCOUNT}:secret:${name}-Other1`;
  }
  for (const k of listKeys(analysis.template)) {
    map[`{{resource:${k.logicalId}}}`] = `key-${k.logicalId}`;
    map[`{{resource:${k.logicalId}.Arn}}`] = `arn:aws:kms:${region}:${STATIC_ACCOUNT}:key/key-${k.logicalId}`;
  }
  return map;
}

/** `!GetAtt Role.Arn` in a resource policy means the function's role. */
function roleArnTokens(role: FunctionAnalysis['permissions']['role'], roleArn: string): Record<string, string> {
  return role.kind === 'external' ? {} : { [`{{resource:${role.logicalId}.Arn}}`]: roleArn };
}

/** An AWS::SecretsManager::ResourcePolicy of the template attached to this secret, resolved; 'unknown' if it can't be. */
function templateResourcePolicy(analysis: FunctionAnalysis, secret: StaticSecret, known: Parameters<typeof substituteTokens>[1]): NamedPolicy | 'none' | 'unknown' {
  for (const [logicalId, resource] of resourcesOfType(analysis.template, 'AWS::SecretsManager::ResourcePolicy')) {
    const props = (resource.Properties ?? {}) as Record<string, unknown>;
    const target = resolveString(props.SecretId, analysis.ctx);
    if (isUnresolved(target)) return 'unknown';
    const id = substituteTokens(target, known);
    if (id !== secret.arn && id !== secret.name && !(secret.logicalId && target === `{{resource:${secret.logicalId}}}`)) continue;
    const document = resolveValue(props.ResourcePolicy, analysis.ctx);
    if (isUnresolved(document) || typeof document !== 'object' || document === null) return 'unknown';
    return { name: logicalId, kind: 'resource', source: `resource policy ${logicalId} (${analysis.template.where(['Resources', logicalId])})`, document: mapStrings(document, (s) => substituteTokens(s, known)) as PolicyDocument };
  }
  return 'none';
}

function keyPolicy(analysis: FunctionAnalysis, keyLogicalId: string | undefined, known: Parameters<typeof substituteTokens>[1]): NamedPolicy | 'unknown' {
  const key = keyLogicalId ? listKeys(analysis.template).find((k) => k.logicalId === keyLogicalId) : undefined;
  if (!key) return 'unknown';
  if (key.keyPolicy === undefined) return kmsDefaultKeyPolicy(key.logicalId, STATIC_ACCOUNT);
  const resolved = resolveValue(key.keyPolicy, analysis.ctx);
  if (isUnresolved(resolved) || typeof resolved !== 'object' || resolved === null) return 'unknown';
  const document = mapStrings(resolved, (s) => substituteTokens(s, known)) as PolicyDocument;
  return { name: `${key.logicalId} key policy`, kind: 'key', source: `KeyPolicy of ${key.logicalId}${key.line ? ` (line ${key.line})` : ''}`, document };
}

/** A boundary is set (on the function or its template role) but its document is not in the template. */
function boundaryDeclared(analysis: FunctionAnalysis): boolean {
  const role = analysis.permissions.role;
  if (analysis.fn.permissionsBoundary !== undefined) return true;
  return role.kind === 'template' && listRoles(analysis.template, analysis.ctx).some((r) => r.logicalId === role.logicalId && r.permissionsBoundary !== undefined);
}

function templateFindings(analysis: FunctionAnalysis): Finding[] {
  const notes: Finding[] = analysis.permissions.notes.map((n) => ({
    code: n.code,
    severity: n.code === 'role-overrides-policies' || n.code === 'resource-not-an-arn' ? 'warning' : 'info',
    message: `${n.message}${n.line ? ` (line ${n.line})` : ''}`,
  }));
  const unknown: Finding[] = analysis.permissions.undetermined.map((u) => ({ code: 'undetermined-offline', severity: 'warning', message: u }));
  return [...notes, ...unknown];
}

export { mapStrings };

/** Users see `${AWS::AccountId}` where the sentinel account stood, and no made-up suffix. */
function displayAccount(result: CheckPolicyResult): CheckPolicyResult {
  return mapStrings(result, (s) => s.split(STATIC_ACCOUNT).join('${AWS::AccountId}').split(`-${SYNTHETIC_SUFFIX}`).join('-<random suffix>')) as CheckPolicyResult;
}
