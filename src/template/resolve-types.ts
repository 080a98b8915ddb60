/**
 * The types every intrinsic-resolving module shares, in a leaf file so that intrinsics.ts,
 * conditions.ts and parameters.ts do not import each other in a circle.
 */
import { isRecord } from './load.js';

export interface Unresolved {
  unresolved: true;
  reason: string;
}

export type Resolved = string | number | boolean | null | Resolved[] | { [key: string]: Resolved } | Unresolved;

export interface ResolveOptions {
  /** The region the stack is (or will be) deployed to. Without it `${AWS::Region}` stays a token. */
  region?: string;
  /** A concrete account, when known; otherwise `${AWS::AccountId}` is `ACCOUNT_TOKEN`. */
  accountId?: string;
  stackName?: string;
  /** Parameter values that win over template Defaults (samconfig parameter_overrides, --parameter-overrides). */
  parameterOverrides?: Record<string, string>;
}

export interface ParameterValue {
  value: string | string[] | Unresolved;
  origin: 'override' | 'default' | 'none';
}

export interface ResolveContext {
  body: Record<string, unknown>;
  resources: Record<string, unknown>;
  parameters: Map<string, ParameterValue>;
  pseudo: Record<string, string | Unresolved>;
  conditionCache: Map<string, boolean | Unresolved>;
  /** intrinsics.ts's resolver, carried here so conditions.ts can call it without importing it back. */
  resolveValue: (expr: unknown, ctx: ResolveContext) => Resolved;
}

export function unresolved(reason: string): Unresolved {
  return { unresolved: true, reason };
}

export function isUnresolved(value: unknown): value is Unresolved {
  return isRecord(value) && value.unresolved === true && typeof value.reason === 'string';
}
