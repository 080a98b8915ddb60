/**
 * Principal / NotPrincipal matching for resource-based and key policies. The strength of the match
 * matters to the caller: naming the role grants directly, naming the account only delegates to
 * the account's own IAM policies (IAM user guide, reference_policies_elements_principal.html).
 */
import type { PrincipalBlock } from './types.js';
import { type Judgement, no, unknown, yes } from './tristate.js';

/** How a Principal element names the caller, from strongest to weakest. */
export type PrincipalMatch = 'principal' | 'session' | 'anyone' | 'account';

export interface PrincipalIdentity {
  /** The role ARN (`aws:PrincipalArn`), e.g. `arn:aws:iam::123456789012:role/path/Name`. */
  principalArn: string;
  principalAccount: string;
  /** The STS session ARN, `arn:aws:sts::ACCT:assumed-role/Name/Session`, when known. */
  sessionArn?: string | undefined;
}

export interface PrincipalResult {
  judgement: Judgement;
  match?: PrincipalMatch;
}

const ACCOUNT_ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;

function classify(value: string, who: PrincipalIdentity): PrincipalMatch | undefined {
  if (value === '*') return 'anyone';
  if (value === who.principalArn) return 'principal';
  if (who.sessionArn !== undefined && value === who.sessionArn) return 'session';
  const account = /^\d{12}$/.test(value) ? value : ACCOUNT_ROOT.exec(value)?.[1];
  if (account !== undefined && account === who.principalAccount) return 'account';
  return undefined;
}

const RANK: Record<PrincipalMatch, number> = { principal: 0, session: 1, anyone: 2, account: 3 };

/** Best match of the caller against a Principal block; Service/Federated principals never match a role. */
export function matchPrincipal(block: PrincipalBlock, who: PrincipalIdentity): PrincipalResult {
  if (block === '*') return { judgement: yes(), match: 'anyone' };
  if (typeof block !== 'object' || block === null) return { judgement: unknown(`Principal ${String(block)} is not understood`) };
  const aws = block.AWS;
  const values = aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
  let best: PrincipalMatch | undefined;
  for (const value of values) {
    const m = classify(value, who);
    if (m !== undefined && (best === undefined || RANK[m] < RANK[best])) best = m;
  }
  if (best === undefined) return { judgement: no(`Principal does not name ${who.principalArn} or its account`) };
  return { judgement: yes(), match: best };
}

/** NotPrincipal applies to everyone the block does not name. */
export function matchNotPrincipal(block: PrincipalBlock, who: PrincipalIdentity): PrincipalResult {
  const named = matchPrincipal(block, who);
  if (named.judgement.state === 'unknown') return named;
  return named.judgement.state === 'yes'
    ? { judgement: no(`NotPrincipal excludes ${who.principalArn}`) }
    : { judgement: yes(), match: 'anyone' };
}
