/**
 * `check-policy --static`: judge from the template alone, with no AWS call. What the template cannot
 * know is symbolic: the deploying account is a sentinel, resource ARNs are synthesised, and the
 * secret's random suffix is unknown (so a literal suffix can be neither confirmed nor refuted).
 */
import type { Finding } from '../core/findings.js';
import type { NamedPolicy, PolicyDocument } from '../policy/index.js';
import {
  analyseFunction,
  analyseTemplateFunction,
  isUnresolved,
  listKeys,
  listRoles,
  resolveString,
  resolveValue,
  resourceTokensIn,
  substituteTokens,
  type FunctionAnalysis,
  type LoadedTemplate,
} from '../template/index.js';
import { diagnose } from './diagnose.js';
import { secretResource, type SecretReference, type SecretResourceInfo } from '../template/secret-ref.js';
import { FULL_SECRET_ARN, secretNameOf } from '../target/secret-names.js';
import { dynamicReferenceFinding } from '../target/notes.js';
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
  /** Already loaded (check-policy --all reads each template once for all its functions). */
  template?: LoadedTemplate;
}

interface StaticSecret {
  id: string;
  name: string;
  arn: string;
  source: string;
  suffixKnown: boolean;
  logicalId?: string;
  kms?: { keyArn: string; keyLogicalId?: string; keyId?: string; via?: string; unresolved?: string };
  findings: Finding[];
}

export async function checkStatic(input: StaticCheckInput): Promise<CheckPolicyResult> {
  // A full-ARN --secret-id names the secret of the deploying account: its account is the one
  // ${AWS::AccountId} stands for, so the template's own ARNs are compared with the real one.
  const flagAccount = input.secretId && FULL_SECRET_ARN.test(input.secretId) ? input.secretId.split(':')[4] : undefined;
  const deployAccount = flagAccount || STATIC_ACCOUNT;
  const options = { region: input.region, accountId: deployAccount, parameterOverrides: input.parameterOverrides };
  const analysis = input.template ? analyseFunction(input.template, input.functionId, options) : await analyseTemplateFunction(input.templatePath, input.functionId, options);
  const secret = staticSecret(analysis, input, deployAccount);
  const role = analysis.permissions.role;
  // A secret named by a literal full ARN carries its account: take it as the deploying account.
  const account = secret.suffixKnown ? (secret.arn.split(':')[4] ?? deployAccount) : deployAccount;
  const roleArn = role.kind === 'external' && !isUnresolved(role.arn) ? role.arn : `arn:aws:iam::${account}:role/${role.kind === 'external' ? 'external' : `${role.logicalId}`}`;
  const known = { accountId: deployAccount, resources: { ...resourceArns(analysis, secret, input.region, deployAccount), ...roleArnTokens(role, roleArn) } };
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
    customerManagedKey: secret.kms ? { keyArn: substituteTokens(secret.kms.keyArn, known), keyPolicy: secret.kms.unresolved ? 'unknown' : keyPolicy(analysis, secret.kms.keyLogicalId, known), aliases: keyAliases(analysis, secret.kms.keyLogicalId) } : undefined,
    // Outside a VPC the request never carries these; inside one, the worlds decide both routes.
    absentContextKeys: analysis.fn.vpcConfig ? [] : ['aws:SourceVpce', 'aws:SourceVpc'],
  }, { account: deployAccount, suffix: SYNTHETIC_SUFFIX, secretName: secret.name, suffixKnown: secret.suffixKnown, ...(secret.suffixKnown ? { fixedAccount: account } : {}), vpcRouteOpen: Boolean(analysis.fn.vpcConfig) });
  const decision = worlds.primary;
  const fix: FixTarget = role.kind === 'external'
    ? { kind: 'iam', secretArnPattern: `arn:aws:secretsmanager:${input.region}:ACCOUNT_ID:secret:${secret.name}-??????`, region: input.region }
    : { kind: 'sam', secretName: secret.name, secretLogicalId: secret.logicalId, kmsKeyId: secret.kms?.keyId, kmsKeyLogicalId: secret.kms?.keyLogicalId, roleInTemplate: role.kind === 'template' ? role.logicalId : undefined };
  const findings = [
    ...secret.findings,
    ...templateFindings(analysis),
    ...diagnose({ decision, identityPolicies, secretArn: secret.arn, secretName: secret.name, fix, suffixKnown: secret.suffixKnown, accountKnown: secret.suffixKnown, crossAccount: false }),
    ...unresolvedKeyFinding(secret),
  ];
  // Unseen policies are part of the decision (unseenIdentity, an 'unknown' boundary), and a literal
  // account or suffix is one more world to decide in: no verdict is adjusted after the fact.
  let verdict = worlds.verdict;
  // A key only KMS can name (an alias outside the template) is an open fact no world can settle.
  if (secret.kms?.unresolved && (verdict === 'allowed' || decision.links.find((l) => l.link === 'kms-key')?.status === 'fail')) verdict = 'undetermined';
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
      kmsText: secret.kms ? (secret.kms.unresolved ? `${secret.kms.unresolved} (cannot be resolved offline)` : `customer-managed key ${secret.kms.keyLogicalId ?? secret.kms.keyArn}${secret.kms.via ? ` (through alias ${secret.kms.via})` : ''}`) : 'aws/secretsmanager (AWS managed key)',
    }),
    deciding: decision.deciding,
    findings,
    decision,
  };
  return displayAccount(result);
}

/**
 * Which secret: --secret-id, else what the function's environment names, else the default. A name or
 * ARN that is the Name of a secret in the template means that resource, with its key and resource policy.
 */
function staticSecret(analysis: FunctionAnalysis, input: StaticCheckInput, account: string): StaticSecret {
  const arnFor = (name: string) => `arn:aws:secretsmanager:${input.region}:${account}:secret:${name}-${SYNTHETIC_SUFFIX}`;
  const flag = input.secretId;
  const ref = flag === undefined ? analysis.secretReferences[0] : undefined;
  const flagArn = flag && FULL_SECRET_ARN.test(flag) ? flag : undefined;
  const refArn = ref?.kind === 'arn' && typeof ref.value === 'string' ? ref.value : undefined;
  const wanted = flag ?? (ref && !ref.resource && typeof ref.value === 'string' ? ref.value : undefined);
  const linked = ref?.resource ?? (wanted ? templateSecretNamed(analysis, wanted) : undefined);
  const source = flag ? '--secret-id' : ref ? referenceSource(ref, linked) : 'default';
  const findings: Finding[] = [...dynamicReferenceFinding(ref), ...unresolvedFinding(ref, linked)];
  const linkedName = linked ? (typeof linked.name === 'string' ? linked.name : linked.logicalId) : undefined;
  const name = wanted ? secretNameOf(wanted) : linkedName ?? 'openweatherapi';
  // The id users see: what they typed or the template wrote, else the secret's Name (never an internal token).
  const id = wanted ?? linkedName ?? 'openweatherapi';
  const kms = linked?.needsKmsDecrypt ? kmsOf(linked, input.region, account) : undefined;
  return { id, name, arn: flagArn ?? refArn ?? arnFor(name), source, suffixKnown: Boolean(flagArn ?? refArn), ...(linked && { logicalId: linked.logicalId }), ...(kms && { kms }), findings };
}

/** The template's AWS::SecretsManager::Secret that `id` (a name, a logical ID, or an ARN) names. */
function templateSecretNamed(analysis: FunctionAnalysis, id: string): SecretResourceInfo | undefined {
  const name = secretNameOf(id);
  const hit = analysis.secrets.find((s) => s.logicalId === id || (typeof s.name === 'string' && s.name === name));
  return hit ? secretResource(analysis.template, hit.logicalId, analysis.ctx) : undefined;
}

function referenceSource(ref: SecretReference, linked: SecretResourceInfo | undefined): string {
  if (ref.resource) return `${ref.source} (!Ref ${ref.resource.logicalId})`;
  if (ref.dynamicReference) return `${ref.source} (dynamic reference)`;
  const parameter = ref.parameter ? `, parameter ${ref.parameter.name} (${ref.parameter.origin === 'override' ? 'samconfig override' : ref.parameter.origin})` : '';
  return `${ref.source}${linked ? ` (the Name of ${linked.logicalId})` : ''}${parameter}`;
}

function unresolvedFinding(ref: SecretReference | undefined, linked: SecretResourceInfo | undefined): Finding[] {
  if (!ref || linked || !isUnresolved(ref.value)) return [];
  return [{ code: 'secret-unresolved', severity: 'warning', message: `${ref.source} names a secret the template alone can't resolve (${ref.value.reason}); checking the default openweatherapi.`, fix: 'Pass --secret-id NAME.' }];
}

function kmsOf(resource: SecretResourceInfo, region: string, account: string): NonNullable<StaticSecret['kms']> {
  const key = resource.key;
  const keyId = typeof resource.kmsKeyResolved === 'string' ? resource.kmsKeyResolved : undefined;
  if (key.kind === 'customer') return { keyArn: key.keyArn, ...(key.keyLogicalId && { keyLogicalId: key.keyLogicalId }), ...(keyId && { keyId }), ...(key.via && { via: key.via }) };
  // Stands for "whichever key the alias points to": only a wildcard in a policy can match it.
  return { keyArn: `arn:aws:kms:${region}:${account}:key/key-behind-${key.kind === 'unresolved' ? key.shown.replace(/[^A-Za-z0-9/_-]/g, '') : 'alias'}`, unresolved: key.kind === 'unresolved' ? key.shown : 'the key', ...(keyId && { keyId }) };
}

function unresolvedKeyFinding(secret: StaticSecret): Finding[] {
  if (!secret.kms?.unresolved) return [];
  return [{
    code: 'kms-key-unresolved',
    severity: 'warning',
    message: `The secret is encrypted with ${secret.kms.unresolved}, which the template does not define: offline there is no telling which key it names, so kms:Decrypt can't be checked (it is not the AWS managed key).`,
    fix: 'Run the live check (check-policy without --static), which asks KMS (DescribeKey accepts aliases), or define the alias in the template.',
  }];
}

/** Synthetic physical ARNs for the template's secrets and keys, so `!Ref`s resolve to something exact. */
function resourceArns(analysis: FunctionAnalysis, secret: StaticSecret, region: string, account: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const s of analysis.secrets) {
    const name = typeof s.name === 'string' ? s.name : s.logicalId;
    map[`{{resource:${s.logicalId}}}`] = s.logicalId === secret.logicalId ? secret.arn : `arn:aws:secretsmanager:${region}:${account}:secret:${name}-Other1`;
  }
  for (const k of listKeys(analysis.template)) {
    map[`{{resource:${k.logicalId}}}`] = `key-${k.logicalId}`;
    map[`{{resource:${k.logicalId}.Arn}}`] = `arn:aws:kms:${region}:${account}:key/key-${k.logicalId}`;
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
