/**
 * A small CloudFormation intrinsic resolver for the truth side of the harness, written from the
 * CloudFormation user guide (intrinsic-function-reference.html), independent of src/template/.
 * It resolves a translated (plain CloudFormation) template in one "world": a deploying account and
 * the physical values of the template's resources.
 */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface World {
  account: string;
  region: string;
  parameters: Record<string, string>;
  /** logicalId -> Ref value; `logicalId.Attr` -> GetAtt value. */
  physical: Record<string, string>;
  conditions: Record<string, unknown>;
  mappings: Record<string, Record<string, Record<string, unknown>>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function pseudo(name: string, w: World): string | typeof NO_VALUE {
  switch (name) {
    case 'AWS::AccountId': return w.account;
    case 'AWS::Region': return w.region;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return 'diff-stack';
    case 'AWS::NoValue': return NO_VALUE;
    default: throw new Error(`unknown Ref ${name}`);
  }
}

function ref(name: string, w: World): unknown {
  if (name.startsWith('AWS::')) return pseudo(name, w);
  if (name in w.parameters) return w.parameters[name];
  if (name in w.physical) return w.physical[name];
  throw new Error(`Ref to unknown ${name}`);
}

function getAtt(id: string, attr: string, w: World): string {
  const v = w.physical[`${id}.${attr}`];
  if (v === undefined) throw new Error(`GetAtt ${id}.${attr} unknown`);
  return v;
}

function substitute(text: string, vars: Record<string, unknown>, w: World): string {
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
    if (bang) return `\${${name}}`;
    if (name in vars) return String(vars[name]);
    if (name.includes('.') && !name.startsWith('AWS::')) {
      const [id, ...rest] = name.split('.');
      return getAtt(id!, rest.join('.'), w);
    }
    return String(ref(name, w));
  });
}

export function evaluateCondition(name: string, w: World): boolean {
  const body = w.conditions[name];
  if (body === undefined) throw new Error(`unknown condition ${name}`);
  return Boolean(resolve(body, w));
}

function fn(key: string, arg: unknown, w: World): unknown {
  switch (key) {
    case 'Ref': return ref(String(arg), w);
    case 'Fn::GetAtt': {
      const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.*)/);
      return getAtt(String(id), String(attr), w);
    }
    case 'Fn::Sub': {
      if (typeof arg === 'string') return substitute(arg, {}, w);
      const [text, vars] = arg as [string, Record<string, unknown>];
      return substitute(text, resolve(vars, w) as Record<string, unknown>, w);
    }
    case 'Fn::Join': {
      const [sep, list] = arg as [string, unknown[]];
      return (resolve(list, w) as unknown[]).join(sep);
    }
    case 'Fn::If': {
      const [cond, yes, no] = arg as [string, unknown, unknown];
      return resolve(evaluateCondition(cond, w) ? yes : no, w);
    }
    case 'Fn::Equals': {
      const [a, b] = resolve(arg, w) as [unknown, unknown];
      return String(a) === String(b);
    }
    case 'Fn::Not': return !(resolve(arg, w) as unknown[])[0];
    case 'Fn::And': return (resolve(arg, w) as unknown[]).every(Boolean);
    case 'Fn::Or': return (resolve(arg, w) as unknown[]).some(Boolean);
    case 'Condition': return evaluateCondition(String(arg), w);
    case 'Fn::FindInMap': {
      const [map, top, second, options] = arg as [unknown, unknown, unknown, Record<string, unknown> | undefined];
      const found = w.mappings[String(resolve(map, w))]?.[String(resolve(top, w))]?.[String(resolve(second, w))];
      if (found !== undefined) return found;
      if (options && 'DefaultValue' in options) return resolve(options.DefaultValue, w);
      throw new Error('FindInMap key not found');
    }
    default: throw new Error(`unsupported intrinsic ${key}`);
  }
}

/** Resolves every intrinsic; AWS::NoValue disappears from lists and mappings as CloudFormation does. */
export function resolve(value: unknown, w: World): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, w)).filter((v) => v !== NO_VALUE);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition')) return fn(keys[0]!, value[keys[0]!], w);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = resolve(v, w);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}
