/**
 * Defers building an adapter (and importing its SDK client) until one of its methods is first called.
 * Every adapter method returns a promise, so a forwarding proxy keeps the narrow interface intact while
 * a check that never needs, say, KMS never loads @aws-sdk/client-kms.
 */
export function lazyApi<T extends object>(factory: () => Promise<T>): T {
  let instance: Promise<T> | undefined;
  const get = () => (instance ??= factory());
  return new Proxy({} as T, {
    get: (_target, method) => async (...args: unknown[]) => {
      const api = (await get()) as Record<PropertyKey, (...a: unknown[]) => unknown>;
      return api[method]!(...args);
    },
  });
}
