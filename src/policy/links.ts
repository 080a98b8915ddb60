/**
 * One result per link of the permission chain, so a report can say which link broke and which
 * statements decided it. Statuses: pass (this link allows), fail (it denies or grants nothing that
 * is needed), unknown (it depends on something we could not see), not-applicable (not needed).
 */
import type { StatementEvaluation } from './evaluate.js';
import type { MaybePolicy, KmsKeyInput } from './types.js';
import { type ChainInput, type Tally, denyState, grantState } from './tally.js';
import type { TriState } from './tristate.js';

export type LinkName = 'identity' | 'boundary' | 'resource-policy' | 'kms-key';
export type LinkStatus = 'pass' | 'fail' | 'unknown' | 'not-applicable';

export interface LinkResult {
  link: LinkName;
  status: LinkStatus;
  /** One sentence describing the link's outcome. */
  summary: string;
  /** Deciding statements: applying Denies on fail, applying Allows on pass, undetermined ones on unknown. */
  statements: StatementEvaluation[];
  /** Supporting detail: why Allow statements did not apply, or why they could not be decided. */
  reasons: string[];
}

const applying = (t: Tally, effect: string): StatementEvaluation[] =>
  t.statements.filter((s) => s.status === 'applies' && (effect === 'Deny' ? s.effect !== 'Allow' : s.effect === 'Allow'));
const undetermined = (t: Tally): StatementEvaluation[] => t.statements.filter((s) => s.status === 'undetermined');
const unique = (items: string[]): string[] => [...new Set(items)];
const missedAllows = (t: Tally): string[] =>
  unique(t.statements.filter((s) => s.effect === 'Allow' && s.status === 'does-not-apply').flatMap((s) => s.reasons));

interface Texts { pass: string; fail: string; deny: string; unknown: string }

/** Shared shape: explicit deny → fail; allow with no possible deny → pass; no allow → fail; else unknown. */
function judge(link: LinkName, t: Tally, allow: TriState, texts: Texts): LinkResult {
  if (t.deny === 'yes') return { link, status: 'fail', summary: texts.deny, statements: applying(t, 'Deny'), reasons: [] };
  if (allow === 'yes' && t.deny === 'no') return { link, status: 'pass', summary: texts.pass, statements: applying(t, 'Allow'), reasons: [] };
  if (allow === 'no') return { link, status: 'fail', summary: texts.fail, statements: [], reasons: missedAllows(t) };
  const open = undetermined(t);
  return { link, status: 'unknown', summary: texts.unknown, statements: open, reasons: unique(open.flatMap((s) => s.reasons)) };
}

function grantsDirectly(chain: ChainInput): TriState {
  const r = chain.resource;
  if (chain.crossAccount) return 'no';
  if (r.allowSession === 'yes' || r.allowRole === 'yes') return 'yes';
  return r.allowSession === 'unknown' || r.allowRole === 'unknown' ? 'unknown' : 'no';
}

export function identityLink(chain: ChainInput, action: string): LinkResult {
  const t = chain.identity;
  if (t.deny !== 'yes' && t.allow !== 'yes' && grantsDirectly(chain) === 'yes') {
    return { link: 'identity', status: 'not-applicable', summary: `no identity-based policy allows ${action}, but the secret's resource policy grants it directly`, statements: [], reasons: missedAllows(t) };
  }
  return judge('identity', t, t.allow, {
    pass: `an identity-based policy allows ${action}`,
    fail: `no identity-based policy allows ${action} on the secret`,
    deny: `an identity-based policy explicitly denies ${action}`,
    unknown: `whether the identity-based policies allow ${action} depends on values that are not known`,
  });
}

/** Both the secret read and (with a customer-managed key) kms:Decrypt must fit inside the boundary. */
export function boundaryLink(boundary: MaybePolicy, secret: ChainInput, key: ChainInput | undefined): LinkResult {
  if (boundary === 'none') return { link: 'boundary', status: 'not-applicable', summary: 'the role has no permissions boundary', statements: [], reasons: [] };
  if (boundary === 'unknown') return { link: 'boundary', status: 'unknown', summary: 'the role has a permissions boundary that could not be read', statements: [], reasons: [] };
  const parts = [secret.boundary, key?.boundary].filter((t): t is Tally => t !== undefined);
  const merged: Tally = {
    ...parts[0]!,
    deny: parts.some((t) => t.deny === 'yes') ? 'yes' : parts.some((t) => t.deny === 'unknown') ? 'unknown' : 'no',
    allow: parts.some((t) => t.allow === 'no') ? 'no' : parts.some((t) => t.allow === 'unknown') ? 'unknown' : 'yes',
    statements: parts.flatMap((t) => t.statements),
  };
  const actions = key ? 'the secret read and kms:Decrypt' : 'the secret read';
  return judge('boundary', merged, merged.allow, {
    pass: `the permissions boundary ${boundary.name} allows ${actions}`,
    fail: `the permissions boundary ${boundary.name} does not allow ${actions}: it caps what identity policies grant`,
    deny: `the permissions boundary ${boundary.name} explicitly denies ${actions}`,
    unknown: `whether the permissions boundary ${boundary.name} allows ${actions} depends on values that are not known`,
  });
}

export function resourceLink(policy: MaybePolicy, chain: ChainInput): LinkResult {
  const link = 'resource-policy';
  if (policy === 'none') {
    return chain.crossAccount
      ? { link, status: 'fail', summary: 'cross-account access needs a resource policy on the secret that allows the role or its account', statements: [], reasons: [] }
      : { link, status: 'not-applicable', summary: 'the secret has no resource policy', statements: [], reasons: [] };
  }
  if (policy === 'unknown') return { link, status: 'unknown', summary: "the secret's resource policy could not be read; it may deny", statements: [], reasons: [] };
  const texts: Texts = {
    pass: chain.crossAccount ? "the secret's resource policy allows the role's account or the role" : "the secret's resource policy grants the role directly",
    fail: "the secret's resource policy does not allow the role or its account (needed cross-account)",
    deny: "the secret's resource policy explicitly denies the request",
    unknown: "whether the secret's resource policy applies depends on values that are not known",
  };
  if (chain.crossAccount) return judge(link, chain.resource, chain.resource.allow, texts);
  return sameAccountResourceLink(chain, texts);
}

/** Same account the resource policy is optional: it matters only when it denies or grants directly. */
function sameAccountResourceLink(chain: ChainInput, texts: Texts): LinkResult {
  const link = 'resource-policy';
  const r = chain.resource;
  const direct = grantsDirectly(chain);
  if (r.deny === 'yes' || (r.deny === 'no' && direct === 'yes')) return judge(link, r, direct, texts);
  if (r.deny === 'unknown' || (direct === 'unknown' && chain.identity.allow !== 'yes')) {
    const open = undetermined(r);
    return { link, status: 'unknown', summary: texts.unknown, statements: open, reasons: unique(open.flatMap((s) => s.reasons)) };
  }
  return { link, status: 'not-applicable', summary: "the secret's resource policy neither grants nor denies; identity policies decide", statements: [], reasons: [] };
}

export function keyLink(key: KmsKeyInput | undefined, chain: ChainInput | undefined, secretCrossAccount: boolean): LinkResult {
  const link = 'kms-key';
  if (!key || !chain) {
    return secretCrossAccount
      ? { link, status: 'fail', summary: 'the secret uses the AWS managed key aws/secretsmanager, which never works cross-account; use a customer-managed key', statements: [], reasons: [] }
      : { link, status: 'not-applicable', summary: 'the secret uses the AWS managed key aws/secretsmanager, usable by any principal of the account', statements: [], reasons: [] };
  }
  if (key.keyPolicy === 'unknown') return { link, status: 'unknown', summary: `the key policy of ${key.keyArn} could not be read`, statements: [], reasons: [] };
  const all: Tally = { ...chain.resource, deny: denyState(chain), statements: [...chain.identity.statements, ...chain.resource.statements] };
  return judge(link, all, grantState(chain), {
    pass: `kms:Decrypt on ${key.keyArn} is allowed`,
    fail: kmsFailure(chain, key.keyArn),
    deny: `kms:Decrypt on ${key.keyArn} is explicitly denied`,
    unknown: `whether kms:Decrypt on ${key.keyArn} is allowed depends on values that are not known`,
  });
}

/** Name the missing half: the key policy, the identity policy, or the boundary. */
function kmsFailure(chain: ChainInput, keyArn: string): string {
  const r = chain.resource;
  const viaService = [...chain.identity.statements, ...r.statements].some((s) => s.effect === 'Allow' && s.status === 'does-not-apply' && s.reasons.some((x) => /on kms:ViaService is not met/i.test(x)));
  if (viaService && grantState(chain) === 'no') {
    return `the statement that would allow kms:Decrypt on ${keyArn} requires another kms:ViaService; the request comes through Secrets Manager (secretsmanager.<region>.amazonaws.com)`;
  }
  const keySide = chain.crossAccount ? r.allow : [r.allowRole, r.allowSession, r.allowAccount].includes('yes') ? 'yes' : 'no';
  if (keySide === 'no') return `the key policy of ${keyArn} neither allows the role nor delegates to IAM (an arn:aws:iam::ACCOUNT:root principal)`;
  if (chain.boundary?.allow === 'no') return `the permissions boundary does not allow kms:Decrypt on ${keyArn}`;
  if (chain.identity.allow === 'no') return `the key policy delegates to IAM, but no identity-based policy allows kms:Decrypt on ${keyArn}`;
  return `kms:Decrypt on ${keyArn} is not allowed`;
}
