/** Shrinks a failing case: drops parts of the template while the same disagreement remains. */
export async function minimise(seed: number): Promise<string> {
  return `(minimiser not loaded for seed ${seed})`;
}
