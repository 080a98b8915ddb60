/**
 * The request context as the evaluator sees it. AWS condition keys are case-insensitive, and the
 * tool usually knows only part of the real context, so a key has three states: present, known to be
 * absent, or unknown. Conflating "absent" and "unknown" would turn guesses into allows.
 */
export type ContextValue = string | string[] | boolean;

export type KeyLookup =
  | { status: 'present'; values: string[]; multiValued: boolean }
  | { status: 'absent' }
  | { status: 'unknown' };

export interface RequestContextInput {
  /** Known request-context values, e.g. `aws:PrincipalArn`, `kms:ViaService`. */
  values: Readonly<Record<string, ContextValue>>;
  /** Keys known NOT to be in the real request (e.g. `aws:SourceVpce` for a function outside a VPC). */
  absentKeys?: readonly string[];
}

export class RequestContext {
  private readonly values = new Map<string, ContextValue>();
  private readonly absent = new Set<string>();

  constructor(input: RequestContextInput) {
    for (const [key, value] of Object.entries(input.values)) this.values.set(key.toLowerCase(), value);
    for (const key of input.absentKeys ?? []) {
      if (!this.values.has(key.toLowerCase())) this.absent.add(key.toLowerCase());
    }
  }

  lookup(key: string): KeyLookup {
    const value = this.values.get(key.toLowerCase());
    if (value === undefined) return this.absent.has(key.toLowerCase()) ? { status: 'absent' } : { status: 'unknown' };
    if (Array.isArray(value)) return { status: 'present', values: [...value], multiValued: true };
    return { status: 'present', values: [String(value)], multiValued: false };
  }

  /** Policy variables resolve only from single-valued, present keys (AWS rejects multi-valued ones). */
  variable(key: string): string | undefined {
    const found = this.lookup(key);
    // The stand-in for an unknown source address is no value a policy variable could use.
    return found.status === 'present' && !found.multiValued && !found.values[0]!.startsWith('<') ? found.values[0] : undefined;
  }
}
