/**
 * Evaluates the template's `Conditions` (Fn::Equals / And / Or / Not / Condition) so `Fn::If` can pick a
 * branch. A condition that depends on something unknown offline (an account token, an import) is
 * undetermined, not false: guessing a branch would report permissions the function may not have.
 */
import { isRecord } from './load.js';
import { isUnresolved, unresolved, type ResolveContext, type Unresolved } from './resolve-types.js';
import { hasSymbolicTokens } from './tokens.js';

export function evaluateCondition(name: string, ctx: ResolveContext): boolean | Unresolved {
  const cached = ctx.conditionCache.get(name);
  if (cached !== undefined) return cached;
  const conditions = isRecord(ctx.body.Conditions) ? ctx.body.Conditions : {};
  if (!(name in conditions)) return unresolved(`condition ${name} is not defined`);
  // Guards against a condition that refers to itself: CloudFormation rejects those too.
  ctx.conditionCache.set(name, unresolved(`condition ${name} refers to itself`));
  const result = evaluateConditionExpr(conditions[name], ctx);
  ctx.conditionCache.set(name, result);
  return result;
}

export function evaluateConditionExpr(expr: unknown, ctx: ResolveContext): boolean | Unresolved {
  if (typeof expr === 'boolean') return expr;
  if (!isRecord(expr)) return unresolved('a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition');
  if ('Condition' in expr && typeof expr.Condition === 'string') return evaluateCondition(expr.Condition, ctx);
  if ('Fn::Equals' in expr) return evaluateEquals(expr['Fn::Equals'], ctx);
  if ('Fn::Not' in expr) {
    const args = expr['Fn::Not'];
    const inner = evaluateConditionExpr(Array.isArray(args) ? args[0] : args, ctx);
    return isUnresolved(inner) ? inner : !inner;
  }
  if ('Fn::And' in expr) return combine(expr['Fn::And'], ctx, 'and');
  if ('Fn::Or' in expr) return combine(expr['Fn::Or'], ctx, 'or');
  return unresolved('unsupported condition function');
}

function evaluateEquals(args: unknown, ctx: ResolveContext): boolean | Unresolved {
  if (!Array.isArray(args) || args.length !== 2) return unresolved('Fn::Equals needs two values');
  const [a, b] = args.map((arg) => ctx.resolveValue(arg, ctx));
  for (const side of [a, b]) {
    if (isUnresolved(side)) return side;
    // Comparing a token (e.g. the account) with a literal could go either way once deployed.
    if (typeof side === 'string' && hasSymbolicTokens(side)) {
      return unresolved(`Fn::Equals compares ${side}, which is only known at deploy time`);
    }
  }
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

/** CloudFormation compares parameter strings with literals: `"1"` equals `1`. */
function normalise(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** And/Or: a decisive operand (false for And, true for Or) wins even if another one is undetermined. */
function combine(args: unknown, ctx: ResolveContext, op: 'and' | 'or'): boolean | Unresolved {
  if (!Array.isArray(args)) return unresolved(`Fn::${op === 'and' ? 'And' : 'Or'} needs a list`);
  const decisive = op === 'or';
  let pending: Unresolved | undefined;
  for (const arg of args) {
    const value = evaluateConditionExpr(arg, ctx);
    if (isUnresolved(value)) pending ??= value;
    else if (value === decisive) return decisive;
  }
  return pending ?? !decisive;
}
