/**
 * Turns a permission-chain decision into findings that name the exact cause (which statement, which
 * part of the ARN) and carry the text that fixes it. Shared by the live and the static check.
 */
import type { Finding } from '../core/findings.js';
import {
  analyseSecretArnPattern,
  matchWildcard,
  statementsOf,
  type AccessDecision,
  type LinkResult,
  type NamedPolicy,
  type SecretArnPatternAnalysis,
} from '../policy/index.js';
import { iamStatementJson, rolePolicySnippet, samPoliciesSnippet } from './fixes.js';
import type { FixTarget } from './types.js';

export interface DiagnoseInput {
  decision: AccessDecision;
  identityPolicies: NamedPolicy[];
  secretArn: string;
  secretName: string;
  fix: FixTarget;
  /** Offline, the secret's random suffix is unknown: a literal suffix can be neither confirmed nor refuted. */
  suffixKnown: boolean;
  /** Offline, the deploying account is unknown too: a literal account may well be the right one. */
  accountKnown: boolean;
  crossAccount: boolean;
}

const GET_SECRET_VALUE = 'secretsmanager:GetSecretValue';

export function diagnose(input: DiagnoseInput): Finding[] {
  const findings: Finding[] = [];
  for (const link of input.decision.links) {
    if (link.status === 'fail') findings.push(...linkFindings(link, input));
    if (link.status === 'unknown') findings.push(undeterminedFinding(link));
  }
  return findings;
}

function linkFindings(link: LinkResult, input: DiagnoseInput): Finding[] {
  const denies = link.statements.filter((s) => s.effect !== 'Allow');
  if (denies.length > 0) {
    const s = denies[0]!;
    return [{
      code: link.link === 'resource-policy' ? 'resource-policy-denies' : link.link === 'boundary' ? 'boundary-denies' : link.link === 'kms-key' ? 'kms-explicit-deny' : 'explicit-deny',
      severity: 'error',
      message: `An explicit Deny in ${s.source} (statement ${s.sid ? `"${s.sid}"` : `#${s.index}`}) blocks ${link.link === 'kms-key' ? 'kms:Decrypt' : GET_SECRET_VALUE}; a Deny wins over every Allow.`,
      fix: `Narrow or remove that Deny statement in ${s.policyName} so it no longer covers ${input.secretArn}.`,
      detail: { policy: s.policyName, sid: s.sid, index: s.index, link: link.link },
    }];
  }
  switch (link.link) {
    case 'identity':
      return [identityFinding(input, link)];
    case 'boundary':
      return [{
        code: 'boundary-blocks',
        severity: 'error',
        message: `The role's permissions boundary does not allow ${GET_SECRET_VALUE} on the secret, so no identity policy can grant it.`,
        fix: `Add ${GET_SECRET_VALUE} on ${input.secretArn} (or NAME-??????) to the boundary policy.`,
      }];
    case 'resource-policy':
      return [{
        code: 'resource-policy-missing',
        severity: 'error',
        message: input.crossAccount
          ? "The secret is in another account: its resource policy must allow the function's role, and it does not."
          : `The secret's resource policy does not allow the role: ${link.summary}`,
        fix: "Add a statement to the secret's resource policy that allows the role's ARN secretsmanager:GetSecretValue.",
      }];
    case 'kms-key':
      return [{
        code: 'kms-decrypt-missing',
        severity: 'error',
        message: `The secret is encrypted with a customer-managed KMS key, and the role may not kms:Decrypt with it: ${link.summary}`,
        fix: fixText(input.fix, true),
        detail: { reasons: link.reasons },
      }];
  }
}

/** Why no identity statement grants: no statement for the action, or one whose Resource misses the secret. */
function identityFinding(input: DiagnoseInput, link: LinkResult): Finding {
  const near = nearMisses(input);
  const fix = fixText(input.fix, false);
  if (near.length === 0) {
    return {
      code: 'no-grant',
      severity: 'error',
      message: `No identity policy of the role grants ${GET_SECRET_VALUE} on ${input.secretArn}.`,
      fix,
    };
  }
  const best = near[0]!;
  if (best.analysis.code === 'matches') {
    return { code: 'condition-not-met', severity: 'error', message: `${best.source} names the secret, but its Condition does not hold: ${link.reasons.join('; ') || 'see the statement'}.`, fix };
  }
  if (best.analysis.code === 'wrong-account' && !input.accountKnown) {
    return {
      code: 'arn-literal-account-unverified',
      severity: 'warning',
      message: `${best.source} names the secret in account ${best.pattern.split(':')[4]}; offline the deploying account is unknown, so this can't be confirmed. Use \${AWS::AccountId} to be sure.`,
      fix,
    };
  }
  if (best.analysis.code === 'wrong-suffix' && !input.suffixKnown) {
    return {
      code: 'arn-literal-suffix-unverified',
      severity: 'warning',
      message: `${best.source} names the secret with a literal suffix (${best.pattern}); offline the real suffix is unknown, so this can't be confirmed. A wrong suffix matches nothing.`,
      fix,
    };
  }
  return {
    code: `arn-${best.analysis.code}`,
    severity: 'error',
    message: `${best.source} allows ${GET_SECRET_VALUE} on ${best.pattern}, which does not match the secret ${input.secretArn}: ${best.analysis.message}`,
    fix,
    detail: { pattern: best.pattern, recommended: best.analysis.recommended },
  };
}

interface NearMiss { source: string; pattern: string; analysis: SecretArnPatternAnalysis }

/** Allow statements for GetSecretValue whose Resource targets a secret, ranked by how close they come. */
function nearMisses(input: DiagnoseInput): NearMiss[] {
  const misses: NearMiss[] = [];
  for (const policy of input.identityPolicies) {
    statementsOf(policy.document).forEach((statement, index) => {
      if (statement.Effect !== 'Allow' || !coversAction(statement.Action)) return;
      for (const pattern of asList(statement.Resource)) {
        if (!pattern.includes(':secretsmanager:') && !pattern.startsWith('{{resource:')) continue;
        const where = `${policy.source}, statement ${statement.Sid ? `"${statement.Sid}"` : `#${index}`}`;
        misses.push({ source: where, pattern, analysis: analyseSecretArnPattern(pattern, input.secretArn) });
      }
    });
  }
  const rank = (m: NearMiss) => (m.analysis.code === 'matches' ? 0 : m.analysis.code === 'wrong-name' ? 2 : 1);
  return misses.sort((a, b) => rank(a) - rank(b));
}

function coversAction(action: string | string[] | undefined): boolean {
  return asList(action).some((a) => matchWildcard(a, GET_SECRET_VALUE, { ignoreCase: true }));
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function undeterminedFinding(link: LinkResult): Finding {
  return {
    code: 'undetermined',
    severity: 'warning',
    message: `The ${link.link} link could not be decided: ${link.reasons.join('; ') || link.summary}`,
    detail: { link: link.link },
  };
}

/** The exact text to add, for a SAM-managed role or for a role managed elsewhere. */
export function fixText(target: FixTarget, kmsOnly: boolean): string {
  const automated = 'Or let weather-secrets edit the template: weather-secrets fix --write';
  if (target.kind === 'sam' && target.roleInTemplate) {
    return `Add to the Policies of role ${target.roleInTemplate} (the function's Role; SAM ignores the function's own Policies), then run \`sam deploy\`:\n${rolePolicySnippet(target)}\n${automated}`;
  }
  if (target.kind === 'sam') {
    const snippet = samPoliciesSnippet(target);
    // For a KMS-only problem, show only the KMSDecryptPolicy entry under Policies.
    const body = kmsOnly ? snippet.split('\n').filter((l, i) => i === 0 || !/GetSecretValue|SecretArn/.test(l)).join('\n') : snippet;
    return `Add to the function's Policies in the template, then run \`sam deploy\`:\n${body}\n${automated}`;
  }
  const who = target.roleName ? ` to role ${target.roleName}` : '';
  return `Attach this policy${who} (the role is not managed by a SAM template here):\n${iamStatementJson({ secretArnPattern: target.secretArnPattern, kmsKeyArn: target.kmsKeyArn, region: target.region })}`;
}
