/** Public surface of the policy evaluator; callers import from here rather than from the parts. */
export type { ConditionBlock, NamedPolicy, PolicyDocument, PolicyKind, PolicyStatement, PrincipalBlock, StringOrList } from './types.js';
export { matchWildcard, matchPolicyPattern, resolvePolicyVariables, hasWildcard } from './wildcard.js';
export type { WildcardOptions, VariableLookup } from './wildcard.js';
export {
  parseArn, parseSecretArn, analyseSecretArnPattern, recommendedSecretArnPattern, editDistance,
} from './arn.js';
export type { Arn, SecretArn, SecretArnPatternAnalysis, SecretArnPatternCode } from './arn.js';
export { RequestContext } from './context.js';
export type { ContextValue, RequestContextInput } from './context.js';
export { evaluateConditionBlock, evaluateConditionEntry } from './conditions.js';
export { parseOperator } from './operators.js';
export { evaluatePolicies, statementsOf } from './evaluate.js';
export type { PolicyRequest, StatementEvaluation, StatementProvenance, StatementStatus } from './evaluate.js';
export type { PrincipalMatch } from './principal.js';
export { decideAccess } from './decide.js';
export type {
  AccessDecision, DecideAccessInput, DecidingStatement, KmsKeyInput, LinkName, LinkResult, LinkStatus, MaybePolicy, Verdict,
} from './decide.js';
export type { Judgement, TriState } from './tristate.js';
