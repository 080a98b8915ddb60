/**
 * Three-valued logic for policy evaluation. "unknown" exists because the tool often cannot see
 * every request-context value AWS would see; an unknown must never be rounded up to an allow.
 */
export type TriState = 'yes' | 'no' | 'unknown';

/** A tri-state verdict plus the reasons a reader needs when it is not a plain yes/no. */
export interface Judgement {
  state: TriState;
  reasons: string[];
}

export const YES: Judgement = Object.freeze({ state: 'yes', reasons: [] }) as Judgement;
export const NO: Judgement = Object.freeze({ state: 'no', reasons: [] }) as Judgement;

export function yes(): Judgement {
  return { state: 'yes', reasons: [] };
}

export function no(reason?: string): Judgement {
  return { state: 'no', reasons: reason === undefined ? [] : [reason] };
}

export function unknown(reason: string): Judgement {
  return { state: 'unknown', reasons: [reason] };
}

export function fromBoolean(value: boolean): Judgement {
  return value ? yes() : no();
}

/** Kleene AND: one definite "no" settles it even when other parts are unknown. */
export function allOf(parts: readonly Judgement[]): Judgement {
  const noPart = parts.find((p) => p.state === 'no');
  if (noPart) return { state: 'no', reasons: [...noPart.reasons] };
  const unknowns = parts.filter((p) => p.state === 'unknown');
  if (unknowns.length > 0) return { state: 'unknown', reasons: unknowns.flatMap((p) => p.reasons) };
  return yes();
}

/** Kleene OR: one definite "yes" settles it even when other parts are unknown. */
export function anyOf(parts: readonly Judgement[]): Judgement {
  const yesPart = parts.find((p) => p.state === 'yes');
  if (yesPart) return { state: 'yes', reasons: [...yesPart.reasons] };
  const unknowns = parts.filter((p) => p.state === 'unknown');
  if (unknowns.length > 0) return { state: 'unknown', reasons: unknowns.flatMap((p) => p.reasons) };
  return { state: 'no', reasons: parts.flatMap((p) => p.reasons) };
}

export function negate(j: Judgement): Judgement {
  if (j.state === 'unknown') return j;
  return { state: j.state === 'yes' ? 'no' : 'yes', reasons: j.reasons };
}
