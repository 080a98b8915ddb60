/**
 * The whole permission chain for "can this role read this secret": identity policies, permission
 * boundary, the secret's resource policy and, for a customer-managed KMS key, the key policy plus
 * identity policies for kms:Decrypt. Pure data in, data out; rendering lives elsewhere.
 */
import type { NamedPolicy, PolicyDocument, PolicyStatement } from './types.js';
import type { ContextValue } from './context.js';
import { type PolicyRequest, type StatementEvaluation, evaluatePolicies, statementsOf } from './evaluate.js';
import { parseArn } from './arn.js';
import { ABSENT_TALLY, type ChainInput, type Tally, UNKNOWN_TALLY, chainVerdict, tally } from './tally.js';
import { type LinkResult, boundaryLink, identityLink, keyLink, resourceLink } from './links.js';

/** A policy we have, one that does not exist, or one we could not read. */
export type { KmsKeyInput, MaybePolicy } from './types.js';
import type { KmsKeyInput, MaybePolicy } from './types.js';

export interface DecideAccessInput {
  /** The execution role ARN (`aws:PrincipalArn`). */
  principalArn: string;
  principalAccount: string;
  /** `arn:aws:sts::ACCT:assumed-role/ROLE/FUNCTION`, when a resource policy might name it. */
  sessionArn?: string;
  secretArn: string;
  /** Defaults to `secretsmanager:GetSecretValue`. */
  action?: string;
  identityPolicies: NamedPolicy[];
  /** Defaults to 'none'. */
  boundary?: MaybePolicy;
  /** Defaults to 'none'. */
  resourcePolicy?: MaybePolicy;
  /** Omit when the secret uses the AWS managed key `aws/secretsmanager`. */
  customerManagedKey?: KmsKeyInput;
  /** Extra request-context values (e.g. `aws:SecureTransport`, `aws:SourceVpce`). */
  context?: Record<string, ContextValue>;
  /** Keys known to be absent from the real request. */
  absentContextKeys?: string[];
  /**
   * Identity policies the role has but that could not be read (a managed policy not shipped, a role
   * outside the template, a statement left unresolved). They may allow or deny anything, so "allowed"
   * is impossible unless something seen settles it; each entry names one such policy.
   */
  unseenIdentity?: string[];
}

export type Verdict = 'allowed' | 'denied' | 'undetermined';

export type { LinkName, LinkResult, LinkStatus } from './links.js';

export interface DecidingStatement {
  policyName: string;
  kind: NamedPolicy['kind'];
  source: string;
  sid: string | undefined;
  index: number;
  effect: string;
}

export interface AccessDecision {
  verdict: Verdict;
  links: LinkResult[];
  /** The statement that settled the verdict: the explicit Deny, or the Allow that granted. */
  deciding: DecidingStatement | undefined;
  reasons: string[];
}

const KMS_DECRYPT = 'kms:Decrypt';

export function decideAccess(input: DecideAccessInput): AccessDecision {
  const secretAccount = parseArn(input.secretArn)?.account ?? input.principalAccount;
  const crossAccount = secretAccount !== input.principalAccount;
  const secret = secretChain(input, crossAccount);
  const key = input.customerManagedKey ? keyChain(input, input.customerManagedKey) : undefined;
  const links: LinkResult[] = [
    identityLink(secret.chain, input.action ?? 'secretsmanager:GetSecretValue'),
    boundaryLink(input.boundary ?? 'none', secret.chain, key?.chain),
    resourceLink(input.resourcePolicy ?? 'none', secret.chain),
    keyLink(input.customerManagedKey, key?.chain, crossAccount),
  ];
  if (input.unseenIdentity?.length && links[0]!.status === 'unknown') {
    links[0] = { ...links[0]!, reasons: [...new Set([...links[0]!.reasons, ...input.unseenIdentity.map((u) => `not seen, so it may allow or deny: ${u}`)])] };
  }
  const verdicts = [secret.verdict, key?.verdict ?? (crossAccount ? 'denied' : 'allowed')];
  const verdict: Verdict = verdicts.includes('denied') ? 'denied' : verdicts.includes('undetermined') ? 'undetermined' : 'allowed';
  return { verdict, links, deciding: pickDeciding(verdict, links), reasons: collectReasons(verdict, links) };
}

function baseRequest(input: DecideAccessInput, action: string, resource: string, context: Record<string, ContextValue>): PolicyRequest {
  const request: PolicyRequest = {
    action, resource, principalArn: input.principalArn, principalAccount: input.principalAccount, context,
    absentContextKeys: input.absentContextKeys ?? [],
  };
  if (input.sessionArn !== undefined) request.sessionArn = input.sessionArn;
  return request;
}

/** Seen identity policies, widened by unseen ones: these can add an Allow or a Deny, never remove one. */
function identityTally(input: DecideAccessInput, request: PolicyRequest): Tally {
  const seen = tally(evaluatePolicies(input.identityPolicies, request));
  if (!input.unseenIdentity?.length) return seen;
  return { ...seen, allow: seen.allow === 'yes' ? 'yes' : 'unknown', deny: seen.deny === 'yes' ? 'yes' : 'unknown' };
}

function tallyOf(policy: MaybePolicy, request: PolicyRequest, hasBoundary: boolean): Tally {
  if (policy === 'none') return ABSENT_TALLY;
  if (policy === 'unknown') return UNKNOWN_TALLY;
  return tally(evaluatePolicies([hasBoundary ? denyNotPrincipalAsEveryone(policy) : policy], request));
}

/**
 * IAM user guide (access_policies_boundaries.html): a resource-based Deny with NotPrincipal always
 * denies a principal that has a permissions boundary, whatever NotPrincipal lists. Model that by
 * reading such statements as `Principal: "*"`.
 */
function denyNotPrincipalAsEveryone(policy: NamedPolicy): NamedPolicy {
  const rewrite = (s: PolicyStatement): PolicyStatement => {
    if (s.Effect !== 'Deny' || s.NotPrincipal === undefined) return s;
    const { NotPrincipal: _dropped, ...rest } = s;
    return { ...rest, Principal: '*' };
  };
  const document: PolicyDocument = { ...policy.document, Statement: statementsOf(policy.document).map(rewrite) };
  return { ...policy, document };
}

export interface ChainEvaluation {
  chain: ChainInput;
  verdict: Verdict;
}

function secretChain(input: DecideAccessInput, crossAccount: boolean): ChainEvaluation {
  const secretAccount = parseArn(input.secretArn)?.account ?? input.principalAccount;
  const context = { 'aws:ResourceAccount': secretAccount, 'secretsmanager:SecretId': input.secretArn, ...input.context };
  const request = baseRequest(input, input.action ?? 'secretsmanager:GetSecretValue', input.secretArn, context);
  const hasBoundary = input.boundary !== undefined && input.boundary !== 'none';
  const chain: ChainInput = {
    identity: identityTally(input, request),
    boundary: hasBoundary ? tallyOf(input.boundary!, request, false) : undefined,
    resource: tallyOf(input.resourcePolicy ?? 'none', request, hasBoundary),
    crossAccount,
    resourcePolicyRequired: false,
  };
  return { chain, verdict: chainVerdict(chain) };
}

/**
 * Secrets Manager calls KMS on the caller's behalf, so the Decrypt request carries the caller's
 * identity plus kms:ViaService, kms:CallerAccount and the secret ARN as encryption context
 * (Secrets Manager user guide, security-encryption.html).
 */
function keyChain(input: DecideAccessInput, key: KmsKeyInput): ChainEvaluation {
  const keyArn = parseArn(key.keyArn);
  const region = parseArn(input.secretArn)?.region ?? keyArn?.region ?? '';
  // Secrets Manager keys belong to the GetSecretValue request; in the KMS request they are absent.
  const isSecretsManagerKey = (k: string): boolean => k.toLowerCase().startsWith('secretsmanager:');
  const ownContext = Object.fromEntries(Object.entries(input.context ?? {}).filter(([k]) => !isSecretsManagerKey(k)));
  const absent = [...(input.absentContextKeys ?? []), ...Object.keys(input.context ?? {}).filter(isSecretsManagerKey), 'secretsmanager:SecretId'];
  const context: Record<string, ContextValue> = {
    ...ownContext,
    'kms:ViaService': `secretsmanager.${region}.amazonaws.com`,
    'kms:CallerAccount': input.principalAccount,
    'kms:EncryptionContext:SecretARN': input.secretArn,
    'aws:ResourceAccount': keyArn?.account ?? input.principalAccount,
  };
  // A key with no alias sends an empty kms:ResourceAliases set; only an unknown list stays unknown.
  if (key.aliases !== undefined) context['kms:ResourceAliases'] = key.aliases;
  const request = { ...baseRequest(input, KMS_DECRYPT, key.keyArn, context), absentContextKeys: absent };
  const hasBoundary = input.boundary !== undefined && input.boundary !== 'none';
  const chain: ChainInput = {
    identity: identityTally(input, request),
    boundary: hasBoundary ? tallyOf(input.boundary!, request, false) : undefined,
    resource: tallyOf(key.keyPolicy, request, hasBoundary),
    crossAccount: (keyArn?.account ?? input.principalAccount) !== input.principalAccount,
    resourcePolicyRequired: true,
  };
  return { chain, verdict: chainVerdict(chain) };
}

function pickDeciding(verdict: Verdict, links: LinkResult[]): DecidingStatement | undefined {
  const wanted = verdict === 'denied' ? 'Deny' : verdict === 'allowed' ? 'Allow' : undefined;
  if (!wanted) return undefined;
  for (const link of links) {
    const s = link.statements.find((e: StatementEvaluation) => e.status === 'applies' && e.effect === wanted);
    if (s) return { policyName: s.policyName, kind: s.kind, source: s.source, sid: s.sid, index: s.index, effect: s.effect };
  }
  return undefined;
}

function collectReasons(verdict: Verdict, links: LinkResult[]): string[] {
  const relevant = links.filter((l) => (verdict === 'undetermined' ? l.status === 'unknown' : verdict === 'denied' ? l.status === 'fail' : false));
  return [...new Set(relevant.flatMap((l) => [l.summary, ...l.reasons]))];
}
