/**
 * Resolves CloudFormation intrinsic functions offline, as far as they can be resolved honestly.
 *
 * What the template cannot know (the account, the stack name, a resource's ARN) becomes a symbolic
 * token (tokens.ts). What cannot be worked out at all (an import, an SSM-typed parameter, a condition on
 * one) becomes an explicit `Unresolved` with the reason. Never a plausible-looking wrong string.
 */
import { isRecord } from './load.js';
import { isUnresolved, unresolved, type ParameterValue, type Resolved, type ResolveContext, type ResolveOptions, type Unresolved } from './resolve-types.js';
import { evaluateCondition } from './conditions.js';
import { pseudoParameters, resolveParameters } from './parameters.js';
import { resourceToken } from './tokens.js';

export { ACCOUNT_TOKEN, STACK_NAME_TOKEN, REGION_TOKEN } from './tokens.js';

export type { ParameterValue, Resolved, ResolveContext, ResolveOptions, Unresolved } from './resolve-types.js';
export { isUnresolved, unresolved } from './resolve-types.js';

/** Marks a value that `!Ref AWS::NoValue` removed; stripped out of lists and mappings. */
const NO_VALUE = Object.freeze({ noValue: true as const });
type Internal = Resolved | typeof NO_VALUE;

export function createResolveContext(body: Record<string, unknown>, options: ResolveOptions = {}): ResolveContext {
  const resources = isRecord(body.Resources) ? body.Resources : {};
  return {
    body,
    resources,
    parameters: resolveParameters(body, options.parameterOverrides ?? {}),
    pseudo: pseudoParameters(options),
    conditionCache: new Map(),
    resolveValue,
  };
}

/** Resolves every intrinsic inside `expr`; parts that cannot be resolved become `Unresolved`. */
export function resolveValue(expr: unknown, ctx: ResolveContext): Resolved {
  const value = resolveInternal(expr, ctx);
  return value === NO_VALUE ? null : (value as Resolved);
}

/** Resolves `expr` to one string, or says why it cannot. Numbers and booleans become strings, like CloudFormation. */
export function resolveString(expr: unknown, ctx: ResolveContext): string | Unresolved {
  return asString(resolveInternal(expr, ctx));
}

function asString(value: Internal): string | Unresolved {
  if (isUnresolved(value)) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === NO_VALUE) return unresolved('the value is AWS::NoValue');
  return unresolved(`expected a string, found ${Array.isArray(value) ? 'a list' : 'a mapping'}`);
}

function asList(value: Internal): Resolved[] | Unresolved {
  if (isUnresolved(value)) return value;
  if (Array.isArray(value)) return value;
  return unresolved('expected a list');
}

function resolveInternal(expr: unknown, ctx: ResolveContext): Internal {
  if (Array.isArray(expr)) {
    return expr.map((item) => resolveInternal(item, ctx)).filter((item): item is Resolved => item !== NO_VALUE);
  }
  if (!isRecord(expr)) return (expr ?? null) as Resolved;
  const keys = Object.keys(expr);
  const only = keys[0];
  if (keys.length === 1 && only !== undefined && only in FUNCTIONS) return FUNCTIONS[only]!(expr[only], ctx);
  const out: Record<string, Resolved> = {};
  for (const key of keys) {
    const value = resolveInternal(expr[key], ctx);
    if (value !== NO_VALUE) out[key] = value as Resolved;
  }
  return out;
}

type Fn = (args: unknown, ctx: ResolveContext) => Internal;

const FUNCTIONS: Record<string, Fn> = {
  Ref: (name, ctx) => (typeof name === 'string' ? resolveRef(name, ctx) : unresolved('Ref needs a name')),
  'Fn::GetAtt': resolveGetAtt,
  'Fn::Sub': resolveSub,
  'Fn::Join': resolveJoin,
  'Fn::Select': resolveSelect,
  'Fn::Split': resolveSplit,
  'Fn::If': resolveIf,
  'Fn::FindInMap': resolveFindInMap,
  'Fn::Base64': (arg, ctx) => {
    const text = resolveString(arg, ctx);
    return isUnresolved(text) ? text : Buffer.from(text, 'utf8').toString('base64');
  },
  'Fn::Length': (arg, ctx) => {
    const list = asList(resolveInternal(arg, ctx));
    return isUnresolved(list) ? list : list.length;
  },
  'Fn::ToJsonString': (arg, ctx) => {
    const value = resolveValue(arg, ctx);
    return containsUnresolved(value) ? unresolved('Fn::ToJsonString over an unresolved value') : JSON.stringify(value);
  },
  'Fn::GetAZs': () => unresolved('Fn::GetAZs is only known at deploy time'),
  'Fn::ImportValue': (arg, ctx) => unresolved(`Fn::ImportValue ${describe(resolveString(arg, ctx))} is exported by another stack`),
  'Fn::Cidr': () => unresolved('Fn::Cidr is not evaluated offline'),
  'Fn::Transform': () => unresolved('Fn::Transform runs a macro at deploy time'),
};

function describe(value: string | Unresolved): string {
  return isUnresolved(value) ? '(unresolved)' : value;
}

export function containsUnresolved(value: Resolved): boolean {
  if (isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnresolved);
  if (isRecord(value)) return Object.values(value).some((v) => containsUnresolved(v as Resolved));
  return false;
}

/** `Ref`: a pseudo parameter, a template parameter, or a resource (its physical id, as a token). */
export function resolveRef(name: string, ctx: ResolveContext): Internal {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const pseudo = ctx.pseudo[name];
  if (pseudo !== undefined) return pseudo;
  const parameter = ctx.parameters.get(name);
  if (parameter) return parameter.value;
  if (name in ctx.resources || isSamGeneratedRole(name, ctx)) return resourceToken(name);
  return unresolved(`Ref ${name}: no parameter or resource of that name`);
}

/** SAM creates `<Function>Role` for a function without `Role`; templates may refer to it by that id. */
function isSamGeneratedRole(name: string, ctx: ResolveContext): boolean {
  if (!name.endsWith('Role')) return false;
  const fn = ctx.resources[name.slice(0, -'Role'.length)];
  return isRecord(fn) && fn.Type === 'AWS::Serverless::Function' && !(isRecord(fn.Properties) && fn.Properties.Role);
}

function resolveGetAtt(args: unknown, ctx: ResolveContext): Internal {
  const parts = typeof args === 'string' ? args.split('.') : Array.isArray(args) ? args : [];
  const [logicalId, ...rest] = parts;
  if (typeof logicalId !== 'string' || rest.length === 0) return unresolved('Fn::GetAtt needs [LogicalId, Attribute]');
  const attribute = rest.map((p) => resolveString(p, ctx));
  const bad = attribute.find(isUnresolved);
  if (bad) return bad;
  if (!(logicalId in ctx.resources) && !isSamGeneratedRole(logicalId, ctx)) {
    return unresolved(`Fn::GetAtt ${logicalId}: no resource of that name`);
  }
  return canonicalAttribute(logicalId, (attribute as string[]).join('.'), ctx);
}

/**
 * One spelling per value, so equal things compare equal: a secret's `Id` is its ARN, like `!Ref`; a KMS
 * key's `Arn` is written out around its key id, the form KMSDecryptPolicy builds from `!Ref Key`.
 */
function canonicalAttribute(logicalId: string, attribute: string, ctx: ResolveContext): string {
  const resource = ctx.resources[logicalId];
  const type = isRecord(resource) ? resource.Type : undefined;
  if (type === 'AWS::SecretsManager::Secret' && attribute === 'Id') return resourceToken(logicalId);
  if (type === 'AWS::KMS::Key' && attribute === 'KeyId') return resourceToken(logicalId);
  if (type === 'AWS::KMS::Key' && attribute === 'Arn') return kmsKeyArn(resourceToken(logicalId), ctx);
  return resourceToken(logicalId, attribute);
}

/** `arn:<partition>:kms:<region>:<account>:key/<keyId>` in this context's region and account. */
export function kmsKeyArn(keyId: string, ctx: ResolveContext): string {
  const { pseudo } = ctx;
  return `arn:${String(pseudo['AWS::Partition'])}:kms:${String(pseudo['AWS::Region'])}:${String(pseudo['AWS::AccountId'])}:key/${keyId}`;
}

function resolveSub(args: unknown, ctx: ResolveContext): Internal {
  const [template, vars] = Array.isArray(args) ? [args[0], args[1]] : [args, undefined];
  if (typeof template !== 'string') return unresolved('Fn::Sub needs a string');
  const locals = isRecord(vars) ? vars : {};
  let failure: Unresolved | undefined;
  const text = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return '${' + inner.slice(1) + '}'; // `${!Literal}` writes `${Literal}`
    const value = subVariable(inner.trim(), locals, ctx);
    if (isUnresolved(value)) failure ??= value;
    return isUnresolved(value) ? whole : value;
  });
  return failure ? unresolved(`Fn::Sub "${template}": ${failure.reason}`) : text;
}

function subVariable(name: string, locals: Record<string, unknown>, ctx: ResolveContext): string | Unresolved {
  if (name in locals) return resolveString(locals[name], ctx);
  const dot = name.indexOf('.');
  if (dot > 0 && !name.startsWith('AWS::')) return asString(resolveGetAtt([name.slice(0, dot), name.slice(dot + 1)], ctx));
  const value = resolveRef(name, ctx);
  return Array.isArray(value) ? value.join(',') : asString(value);
}

function resolveJoin(args: unknown, ctx: ResolveContext): Internal {
  if (!Array.isArray(args) || args.length !== 2) return unresolved('Fn::Join needs [delimiter, list]');
  const delimiter = resolveString(args[0], ctx);
  const list = asList(resolveInternal(args[1], ctx));
  if (isUnresolved(delimiter)) return delimiter;
  if (isUnresolved(list)) return list;
  const parts = list.map((item) => asString(item));
  const bad = parts.find(isUnresolved);
  return bad ? unresolved(`Fn::Join: ${bad.reason}`) : (parts as string[]).join(delimiter);
}

function resolveSelect(args: unknown, ctx: ResolveContext): Internal {
  if (!Array.isArray(args) || args.length !== 2) return unresolved('Fn::Select needs [index, list]');
  const index = resolveString(args[0], ctx);
  const list = asList(resolveInternal(args[1], ctx));
  if (isUnresolved(index)) return index;
  if (isUnresolved(list)) return list;
  const item = list[Number(index)];
  return item === undefined ? unresolved(`Fn::Select: index ${index} is outside the list`) : item;
}

function resolveSplit(args: unknown, ctx: ResolveContext): Internal {
  if (!Array.isArray(args) || args.length !== 2) return unresolved('Fn::Split needs [delimiter, string]');
  const delimiter = resolveString(args[0], ctx);
  const text = resolveString(args[1], ctx);
  if (isUnresolved(delimiter)) return delimiter;
  if (isUnresolved(text)) return text;
  return text.split(delimiter);
}

function resolveIf(args: unknown, ctx: ResolveContext): Internal {
  if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
    return unresolved('Fn::If needs [condition, then, else]');
  }
  const decided = evaluateCondition(args[0], ctx);
  if (isUnresolved(decided)) return unresolved(`Fn::If ${args[0]}: ${decided.reason}`);
  return resolveInternal(decided ? args[1] : args[2], ctx);
}

function resolveFindInMap(args: unknown, ctx: ResolveContext): Internal {
  if (!Array.isArray(args) || args.length < 3) return unresolved('Fn::FindInMap needs [map, key, key]');
  const keys = args.slice(0, 3).map((k) => resolveString(k, ctx));
  const bad = keys.find(isUnresolved);
  if (bad) return unresolved(`Fn::FindInMap: ${bad.reason}`);
  const [map, top, second] = keys as string[];
  const mappings = isRecord(ctx.body.Mappings) ? ctx.body.Mappings : {};
  const level1 = mappings[map!];
  const level2 = isRecord(level1) ? level1[top!] : undefined;
  const value = isRecord(level2) ? level2[second!] : undefined;
  if (value !== undefined) return resolveInternal(value, ctx);
  // AWS::LanguageExtensions adds an optional fourth argument: { DefaultValue: ... }.
  const fallback = isRecord(args[3]) ? args[3].DefaultValue : undefined;
  if (fallback !== undefined) return resolveInternal(fallback, ctx);
  return unresolved(`Fn::FindInMap: ${map}/${top}/${second} is not in Mappings`);
}
