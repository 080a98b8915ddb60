/** Memoises an async factory: AWS clients are built once per run, and only if needed. */
export function once<T>(factory: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= factory());
}
