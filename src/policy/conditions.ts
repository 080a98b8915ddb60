/**
 * Condition block evaluation.
 *
 * Semantics follow the IAM user guide, reference_policies_elements_condition_operators.html
 * ("Important" box) and reference_policies_condition-single-vs-multi-valued-context-keys.html:
 * - values listed for one key are OR'ed; keys and operators are AND'ed;
 * - a key missing from the request makes a positive operator false and a negated operator
 *   (StringNotEquals, ArnNotLike, ...) true; `...IfExists` is true when the key is missing;
 *   `Null: true` is true exactly when the key is missing;
 * - ForAnyValue on a missing/empty set is false, ForAllValues on a missing/empty set is true.
 * A key the caller could not observe at all is "unknown", and so is the condition.
 */
import type { ConditionBlock } from './types.js';
import { RequestContext } from './context.js';
import { type ParsedOperator, UNKNOWN_PUBLIC_IPV4, acceptsUnknownAddress, parseOperator } from './operators.js';
import { type Judgement, allOf, anyOf, fromBoolean, negate, no, unknown, yes } from './tristate.js';

type RawConditionValue = ConditionBlock[string][string];

/** Evaluate a whole Condition element; undefined or empty means "no conditions" (true). */
export function evaluateConditionBlock(block: ConditionBlock | undefined, context: RequestContext): Judgement {
  if (!block) return yes();
  const parts: Judgement[] = [];
  for (const [operatorName, keys] of Object.entries(block)) {
    for (const [key, rawValues] of Object.entries(keys)) {
      const part = evaluateConditionEntry(operatorName, key, rawValues, context);
      // Name the failing condition, so a report can say "kms:ViaService" rather than "no policy allows".
      parts.push(part.state === 'no' && part.reasons.length === 0 ? { state: 'no', reasons: [`condition ${operatorName} on ${key} is not met`] } : part);
    }
  }
  return allOf(parts);
}

/** One `Operator: { key: values }` entry. */
export function evaluateConditionEntry(
  operatorName: string,
  key: string,
  rawValues: RawConditionValue,
  context: RequestContext,
): Judgement {
  const op = parseOperator(operatorName);
  if (!op) return unknown(`condition operator ${operatorName} is not supported by this evaluator`);
  const policyValues = (Array.isArray(rawValues) ? rawValues : [rawValues]).map((v) => String(v));
  const found = context.lookup(key);
  if (found.status === 'unknown') {
    return unknown(`condition ${operatorName} on ${key} needs a request-context value that is not known`);
  }
  if (op.isNull) return evaluateNull(policyValues, found.status === 'absent');
  if (found.status === 'absent') return missingKeyResult(op);
  if (found.values.includes(UNKNOWN_PUBLIC_IPV4) && !acceptsUnknownAddress(op)) {
    return unknown(`condition ${operatorName} on ${key} needs the function's source IP address, which is not known`);
  }
  const result = evaluatePresent(op, found.values, found.multiValued, policyValues, context);
  return result.state === 'unknown' ? { state: 'unknown', reasons: result.reasons.map((r) => `${operatorName} ${key}: ${r}`) } : result;
}

/** `Null: {key: "true"}` asks "is the key absent?"; several values are OR'ed like any other. */
function evaluateNull(policyValues: string[], absent: boolean): Judgement {
  return anyOf(
    policyValues.map((v) => {
      const wanted = v.toLowerCase();
      if (wanted !== 'true' && wanted !== 'false') return unknown(`Null expects true or false, got ${v}`);
      return fromBoolean((wanted === 'true') === absent);
    }),
  );
}

function missingKeyResult(op: ParsedOperator): Judgement {
  if (op.ifExists) return yes();
  if (op.qualifier === 'ForAnyValue') return no();
  if (op.qualifier === 'ForAllValues') return yes();
  return op.negated ? yes() : no();
}

function evaluatePresent(
  op: ParsedOperator,
  requestValues: string[],
  multiValued: boolean,
  policyValues: string[],
  context: RequestContext,
): Judgement {
  const lookup = (k: string): string | undefined => context.variable(k);
  // For one request value: OR over policy values, then negate for the Not- operators, so
  // StringNotEquals [a, b] means "neither a nor b".
  const single = (r: string): Judgement => {
    const positive = anyOf(policyValues.map((p) => op.compare(r, p, lookup)));
    return op.negated ? negate(positive) : positive;
  };
  if (op.qualifier === 'ForAnyValue') return requestValues.length === 0 ? no() : anyOf(requestValues.map(single));
  if (op.qualifier === 'ForAllValues') return allOf(requestValues.map(single));
  if (multiValued && requestValues.length !== 1) {
    // AWS warns that single-valued operators on multivalued keys give surprising results; we do not model them.
    return unknown(`a single-valued operator is applied to a multivalued key with ${requestValues.length} values`);
  }
  return single(requestValues[0] ?? '');
}
