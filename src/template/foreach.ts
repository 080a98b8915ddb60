/**
 * `Fn::ForEach` of the AWS::LanguageExtensions transform (CloudFormation user guide,
 * intrinsic-function-reference-foreach.html): `Fn::ForEach::Name: [Identifier, Collection, {Key: Value}]`
 * in Resources makes one copy of each output per item, with `${Identifier}` / `&{Identifier}` in keys
 * and `${Identifier}` in Fn::Sub / `Ref: Identifier` in values replaced. Expanded here when the collection
 * is a literal list (or a parameter Default list); otherwise the loop is left out and remembered, so
 * every verdict that could depend on it is "undetermined" instead of the template being "malformed".
 */
const unexpanded = new WeakMap<object, string[]>();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Loops of this template that could not be expanded offline. */
export function unexpandedLoops(body: object): string[] {
  return unexpanded.get(body) ?? [];
}

function replaceIn(value: unknown, id: string, item: string): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => replaceIn(v, id, item));
  if (!isRecord(value)) return value;
  if (Object.keys(value).length === 1 && value.Ref === id) return item;
  if (Object.keys(value).length === 1 && 'Fn::Sub' in value) {
    const sub = value['Fn::Sub'];
    const swap = (s: unknown) => (typeof s === 'string' ? s.split(`\${${id}}`).join(item) : s);
    return { 'Fn::Sub': Array.isArray(sub) ? [swap(sub[0]), replaceIn(sub[1], id, item)] : swap(sub) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIn(v, id, item)]));
}

function collection(raw: unknown, body: Record<string, unknown>): string[] | undefined {
  if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw as string[];
  if (isRecord(raw) && typeof raw.Ref === 'string' && isRecord(body.Parameters)) {
    const def = (body.Parameters[raw.Ref] as Record<string, unknown> | undefined)?.Default;
    if (typeof def === 'string') return def.split(',').map((s) => s.trim());
    if (Array.isArray(def) && def.every((v) => typeof v === 'string')) return def as string[];
  }
  return undefined;
}

function expandSection(section: Record<string, unknown>, body: Record<string, unknown>, missed: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (!key.startsWith('Fn::ForEach::')) { out[key] = value; continue; }
    const args = Array.isArray(value) ? value : [];
    const [id, raw, outputs] = args;
    const items = typeof id === 'string' && isRecord(outputs) ? collection(raw, body) : undefined;
    if (!items) { missed.push(key); continue; }
    for (const item of items) {
      const safe = item.replace(/[^A-Za-z0-9]/g, '');
      const copies: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(outputs as Record<string, unknown>)) {
        copies[k.split(`\${${id}}`).join(item).split(`&{${id}}`).join(safe)] = replaceIn(v, id as string, item);
      }
      Object.assign(out, expandSection(copies, body, missed));
    }
  }
  return out;
}

/** Returns the body with Resources' loops expanded (the input is not changed). */
export function expandForEach(body: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(body.Resources) || !Object.keys(body.Resources).some((k) => k.startsWith('Fn::ForEach::'))) return body;
  const missed: string[] = [];
  const expanded = { ...body, Resources: expandSection(body.Resources, body, missed) };
  if (missed.length > 0) unexpanded.set(expanded, missed);
  return expanded;
}
