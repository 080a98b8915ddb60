/**
 * Turns a policy document as written in a template (intrinsics and all) into a `NamedPolicy` the
 * evaluator can read. A statement with a part that cannot be resolved is left out of the document and
 * reported as undetermined: evaluating half a statement could turn a Deny into nothing or an Allow into
 * too much.
 */
import type { NamedPolicy, PolicyKind, PolicyStatement } from '../policy/types.js';
import { containsUnresolved, isUnresolved, resolveValue, type Resolved, type ResolveContext } from './intrinsics.js';
import { isRecord } from './load.js';

export interface TemplateNote {
  /** Stable, e.g. `role-overrides-policies`, `managed-policy-unknown`. */
  code: string;
  message: string;
  line?: number;
}

/** What an expansion collects: policies it could read, and what it could not. */
export interface PolicyCollector {
  policies: NamedPolicy[];
  undetermined: string[];
  notes: TemplateNote[];
}

export function newCollector(): PolicyCollector {
  return { policies: [], undetermined: [], notes: [] };
}

export interface DocumentOrigin {
  name: string;
  kind: PolicyKind;
  source: string;
}

/** Resolves `rawDocument` and adds it to `into.policies`; returns the policy, or undefined if nothing usable. */
export function addPolicyDocument(
  origin: DocumentOrigin,
  rawDocument: unknown,
  ctx: ResolveContext,
  into: PolicyCollector,
): NamedPolicy | undefined {
  const document = resolveValue(rawDocument, ctx);
  if (!isRecord(document) || document.Statement === undefined) {
    into.undetermined.push(`${origin.source}: ${describeUnusable(document)}`);
    return undefined;
  }
  const raw = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const statements: PolicyStatement[] = [];
  raw.forEach((statement, index) => {
    if (containsUnresolved(statement)) {
      into.undetermined.push(`${origin.source}: statement ${index} left out: ${firstReason(statement)}`);
    } else if (isRecord(statement)) {
      statements.push(statement as unknown as PolicyStatement);
      noteNonArnResources(origin, statement, index, into);
    }
  });
  const policy: NamedPolicy = {
    ...origin,
    document: {
      ...(typeof document.Version === 'string' ? { Version: document.Version } : {}),
      Statement: statements,
    },
  };
  into.policies.push(policy);
  return policy;
}

/** Wraps bare statements (a SAM policy template's expansion) in a document. */
export function statementsDocument(statements: unknown[]): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: statements };
}

function describeUnusable(document: Resolved): string {
  if (isUnresolved(document)) return document.reason;
  return 'not a policy document (no Statement)';
}

export function firstReason(value: Resolved): string {
  if (isUnresolved(value)) return value.reason;
  const children = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
  for (const child of children) {
    if (containsUnresolved(child as Resolved)) return firstReason(child as Resolved);
  }
  return 'unresolved value';
}

/**
 * IAM refuses a policy whose Resource is neither `*` nor an ARN (e.g. a bare secret name given as
 * SecretArn), so the deploy fails: worth saying before the user finds out from CloudFormation.
 */
function noteNonArnResources(origin: DocumentOrigin, statement: Record<string, unknown>, index: number, into: PolicyCollector): void {
  for (const field of ['Resource', 'NotResource'] as const) {
    const values = [statement[field] ?? []].flat();
    for (const value of values) {
      if (typeof value !== 'string' || value === '*' || value.startsWith('arn:') || value.startsWith('{{resource:')) continue;
      into.notes.push({
        code: 'resource-not-an-arn',
        message: `${origin.source}: statement ${index} ${field} "${value}" is not an ARN; IAM rejects the policy at deploy time`,
      });
    }
  }
}
