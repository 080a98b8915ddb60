/**
 * Decides what `fix` changes, as data: edits addressed by template path, with values in long form.
 * The editors (yaml-editor.ts, json-editor.ts) apply them; nothing here touches text.
 */
import { UsageError } from '../core/errors.js';
import { iamStatementJson } from '../check/fixes.js';
import { isUnresolved, resolveString, substituteTokens, type FunctionAnalysis, type PathSegment } from '../template/index.js';
import { isRecord } from '../template/load.js';
import { identityAccess, type IdentityAccess } from './access.js';
import { findRepair, rolePolicyCandidates, samPolicyCandidates } from './repair.js';
import type { SecretTarget } from './target.js';

export type Edit =
  /** Replace the value at `path`, keeping its tag and quoting where the editor can. */
  | { op: 'replace'; path: PathSegment[]; value: unknown }
  /** Append to the list at `path`; create it when absent, or make a list of a single entry. */
  | { op: 'append'; path: PathSegment[]; value: unknown }
  /** Set the mapping key at the end of `path`, creating the mappings above it. */
  | { op: 'set'; path: PathSegment[]; value: unknown };

export interface PlannedChange {
  code: 'rewrite-secret-arn' | 'add-secret-policy' | 'add-kms-decrypt' | 'add-role-policy' | 'add-secret-env';
  description: string;
  edit: Edit;
}

export interface FixNote {
  code: 'role-overrides-policies' | 'external-role' | 'boundary-not-checked' | 'build-template-stale' | 'build-template-differs' | 'build-template-used' | 'parameter-override-unknown';
  message: string;
}

export interface FixPlan {
  changes: PlannedChange[];
  notes: FixNote[];
  /** For a role managed outside the template: the statement to add there by hand. */
  externalRoleStatement?: string;
}

const GET_SECRET_VALUE = 'secretsmanager:GetSecretValue';
const ROLE_POLICY_NAME = 'weather-secrets-read-secret';

export function planFix(analysis: FunctionAnalysis, target: SecretTarget): FixPlan {
  const { permissions, ctx } = analysis;
  const secret = identityAccess(permissions, ctx, GET_SECRET_VALUE, target.expectedArn);
  const key = target.kms ? identityAccess(permissions, ctx, 'kms:Decrypt', target.kms.keyArn) : { status: 'allowed' as const };
  refuseExplicitDeny(secret, target.label);
  refuseExplicitDeny(key, `the KMS key of ${target.label}`);
  const needsSecret = secret.status !== 'allowed';
  const needsKey = key.status !== 'allowed';
  const notes = roleNotes(analysis);
  const role = permissions.role;
  if (role.kind === 'external') return externalRolePlan(analysis, target, needsSecret || needsKey, notes);
  const changes = role.kind === 'template'
    ? roleChanges(analysis, role.logicalId, target, needsSecret, needsKey)
    : samChanges(analysis, target, needsSecret, needsKey);
  const env = envChange(analysis, target);
  return { changes: env ? [...changes, env] : changes, notes };
}

/** Adding an Allow cannot beat an explicit Deny; silently adding one would only hide the real cause. */
function refuseExplicitDeny(access: IdentityAccess, what: string): void {
  if (access.status !== 'explicit-deny') return;
  const by = access.statements.map((s) => `${s.sid ? `statement ${s.sid}` : `statement ${s.index}`} of ${s.source}`).join('; ');
  throw new UsageError(`An explicit Deny stops the function reading ${what}: ${by}. An added Allow would not help.`, {
    code: 'explicit-deny',
    hint: 'Change or remove that Deny (for example, add the secret to its NotResource); fix leaves deliberate denies to you.',
  });
}

function samChanges(analysis: FunctionAnalysis, target: SecretTarget, needsSecret: boolean, needsKey: boolean): PlannedChange[] {
  const fnId = analysis.fn.logicalId;
  const policiesPath: PathSegment[] = ['Resources', fnId, 'Properties', 'Policies'];
  if (!needsSecret && !needsKey) return [];
  refuseConditional(analysis.fn.policies, analysis.template.where(policiesPath));
  const changes: PlannedChange[] = [];
  if (needsSecret) {
    const repair = findRepair(samPolicyCandidates(analysis.fn.policies, policiesPath), target.nameArn ?? target.expectedArn, analysis.ctx);
    changes.push(repair ? rewrite(analysis, repair, target) : {
      code: 'add-secret-policy',
      description: `add AWSSecretsManagerGetSecretValuePolicy for ${target.label} to ${fnId}'s Policies`,
      edit: { op: 'append', path: policiesPath, value: { AWSSecretsManagerGetSecretValuePolicy: { SecretArn: target.policyValue } } },
    });
  }
  if (needsKey && target.kms) {
    changes.push({
      code: 'add-kms-decrypt',
      description: `add kms:Decrypt on the secret's customer-managed key to ${fnId}'s Policies`,
      edit: { op: 'append', path: policiesPath, value: target.kms.samEntry },
    });
  }
  return changes;
}

function roleChanges(analysis: FunctionAnalysis, roleId: string, target: SecretTarget, needsSecret: boolean, needsKey: boolean): PlannedChange[] {
  const policiesPath: PathSegment[] = ['Resources', roleId, 'Properties', 'Policies'];
  if (!needsSecret && !needsKey) return [];
  const existing = roleProperties(analysis, roleId).Policies;
  refuseConditional(existing, analysis.template.where(policiesPath));
  const repair = needsSecret ? findRepair(rolePolicyCandidates(existing, policiesPath), target.nameArn ?? target.expectedArn, analysis.ctx) : undefined;
  const statements: unknown[] = [];
  if (needsSecret && !repair) statements.push({ Effect: 'Allow', Action: GET_SECRET_VALUE, Resource: target.policyValue });
  if (needsKey && target.kms) statements.push({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: target.kms.statementResource });
  const changes: PlannedChange[] = repair ? [rewrite(analysis, repair, target)] : [];
  if (statements.length === 0) return changes;
  const value = { PolicyName: uniquePolicyName(existing), PolicyDocument: { Version: '2012-10-17', Statement: statements } };
  const what = [needsSecret && !repair ? GET_SECRET_VALUE : undefined, needsKey ? 'kms:Decrypt' : undefined].filter(Boolean).join(' and ');
  changes.push({ code: 'add-role-policy', description: `add an inline policy granting ${what} to role ${roleId}`, edit: { op: 'append', path: policiesPath, value } });
  return changes;
}

function rewrite(analysis: FunctionAnalysis, repair: { path: PathSegment[]; written: string; why: string }, target: SecretTarget): PlannedChange {
  return {
    code: 'rewrite-secret-arn',
    description: `correct the secret ARN at ${analysis.template.where(repair.path)}: ${repair.why}`,
    edit: { op: 'replace', path: repair.path, value: target.policyValue },
  };
}

function roleProperties(analysis: FunctionAnalysis, roleId: string): Record<string, unknown> {
  const role = analysis.ctx.resources[roleId];
  return isRecord(role) && isRecord(role.Properties) ? role.Properties : {};
}

/** Entries behind `!If` may or may not exist once deployed: appending beside them could grant in one stage only. */
function refuseConditional(policies: unknown, where: string): void {
  if (!JSON.stringify(policies ?? null).includes('"Fn::If"')) return;
  throw new UsageError(`${where}: the policies use Fn::If, so fix cannot tell which entries exist once deployed.`, {
    code: 'policies-conditional',
    hint: 'Add the grant by hand inside the right branch (run check-policy to see what is missing).',
  });
}

function uniquePolicyName(existing: unknown): string {
  const taken = new Set(Array.isArray(existing) ? existing.map((p) => (isRecord(p) ? p.PolicyName : undefined)) : []);
  let name = ROLE_POLICY_NAME;
  for (let n = 2; taken.has(name); n++) name = `${ROLE_POLICY_NAME}-${n}`;
  return name;
}

function envChange(analysis: FunctionAnalysis, target: SecretTarget): PlannedChange | undefined {
  if (analysis.secretReferences.length > 0) return undefined;
  // `Environment: !If [...]` and the like: which branch to add to is the author's call, and not needed for access.
  const own = analysis.ctx.resources[analysis.fn.logicalId];
  const environment = isRecord(own) && isRecord(own.Properties) ? own.Properties.Environment : undefined;
  if (environment !== undefined && environment !== null && !isPlainMapping(environment)) return undefined;
  if (isRecord(environment) && environment.Variables != null && !isPlainMapping(environment.Variables)) return undefined;
  const fnId = analysis.fn.logicalId;
  const { name, value } = target.envVariable;
  return {
    code: 'add-secret-env',
    description: `add ${name} to ${fnId}'s environment so the code knows which secret to read`,
    edit: { op: 'set', path: ['Resources', fnId, 'Properties', 'Environment', 'Variables', name], value },
  };
}

function isPlainMapping(value: unknown): boolean {
  return isRecord(value) && !Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'));
}

function roleNotes(analysis: FunctionAnalysis): FixNote[] {
  const { permissions, fn } = analysis;
  const notes: FixNote[] = [];
  if (fn.role !== undefined && fn.policies !== undefined) {
    notes.push({ code: 'role-overrides-policies', message: `${fn.logicalId} sets Role, so SAM ignores its Policies: the grant goes to the role instead.` });
  }
  if (permissions.boundary || permissions.undetermined.some((u) => u.includes('permissions boundary'))) {
    notes.push({ code: 'boundary-not-checked', message: 'The role has a permissions boundary: it must allow the read too (check-policy checks it).' });
  }
  return notes;
}

function externalRolePlan(analysis: FunctionAnalysis, target: SecretTarget, needed: boolean, notes: FixNote[]): FixPlan {
  const { permissions, ctx } = analysis;
  if (permissions.role.kind === 'external' && isUnresolved(permissions.role.arn) && permissions.role.arn.reason === 'no Role') {
    throw new UsageError(`${analysis.fn.logicalId} is an AWS::Lambda::Function without Role: there is no role to fix.`, { code: 'no-role' });
  }
  if (!needed) return { changes: [], notes };
  const readable = (value: unknown): string => {
    const resolved = resolveString(value, ctx);
    return isUnresolved(resolved) ? '(unresolved)' : substituteTokens(resolved, { region: 'REGION', accountId: 'ACCOUNT_ID' });
  };
  const statement = iamStatementJson({
    secretArnPattern: readable(target.policyValue),
    ...(target.kms ? { kmsKeyArn: substituteTokens(target.kms.keyArn, { region: 'REGION', accountId: 'ACCOUNT_ID' }) } : {}),
  });
  const message = `${analysis.fn.logicalId}'s role is not defined in this template: add the statement to that role; the template was left as it is.`;
  return { changes: [], notes: [...notes, { code: 'external-role', message }], externalRoleStatement: statement };
}
