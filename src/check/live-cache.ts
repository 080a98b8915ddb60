/**
 * For a live scan of many functions: each role, secret, resource policy and key is fetched once per
 * run (the promise is shared, so two functions asking at once make one call), IAM calls run at most
 * a few at a time, and an IAM simulator that is unavailable is asked once, not once per function.
 */
import type { IamApi, Simulation } from '../aws/iam.js';
import type { KmsApi } from '../aws/kms.js';
import type { SecretsStore } from '../aws/secrets-manager.js';
import type { LiveDeps } from './live.js';

/** At most `max` of the wrapped calls in flight; the rest wait in order. */
export function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Memoises by the arguments; a failed call is forgotten so a retry asks again. */
function memo<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const seen = new Map<string, Promise<R>>();
  return (...args) => {
    const key = JSON.stringify(args);
    let hit = seen.get(key);
    if (!hit) {
      hit = fn(...args).catch((error: unknown) => {
        seen.delete(key);
        throw error;
      });
      seen.set(key, hit);
    }
    return hit;
  };
}

export const IAM_CONCURRENCY = 6;
/** From this many distinct roles on, a scan reads them all with GetAccountAuthorizationDetails. */
export const BULK_ROLES = 20;

export interface CachedLiveDeps extends LiveDeps {
  /** Before the checks: read the roles in bulk when there are many (falls back quietly). */
  prepareRoles(roleNames: readonly string[]): Promise<void>;
}

export function cachedLiveDeps(deps: LiveDeps, iamConcurrency = IAM_CONCURRENCY, bulkRoles = BULK_ROLES): CachedLiveDeps {
  const iamSlot = limiter(iamConcurrency);
  const simulate = memo((request: Parameters<IamApi['simulate']>[0]) => iamSlot(() => deps.iam.simulate(request)));
  // The first simulation is a probe: the others wait for it, and skip the simulator if it is unavailable
  // (not implemented, or not permitted: it will not be for the next function either).
  let probe: Promise<Simulation> | undefined;
  const iam: IamApi = {
    getRolePolicies: memo((roleName: string) => iamSlot(() => deps.iam.getRolePolicies(roleName))),
    async simulate(request) {
      if (!probe) return (probe = simulate(request));
      const first = await probe.catch(() => undefined);
      return first && !first.available ? first : simulate(request);
    },
  };
  const secrets = withOverrides<SecretsStore>(deps.secrets, {
    describe: memo((id: string) => deps.secrets.describe(id)),
    getResourcePolicy: memo((id: string) => deps.secrets.getResourcePolicy(id)),
    listNames: memo((limit?: number) => deps.secrets.listNames(limit)),
  });
  const kms = withOverrides<KmsApi>(deps.kms, {
    describeKey: memo((id: string) => deps.kms.describeKey(id)),
    getKeyPolicy: memo((id: string) => deps.kms.getKeyPolicy(id)),
  });
  return {
    iam,
    secrets,
    kms,
    ...(deps.ec2 && { ec2: { secretsManagerEndpoints: memo((vpcId: string, region: string) => deps.ec2!.secretsManagerEndpoints(vpcId, region)) } }),
    async prepareRoles(roleNames) {
      if (new Set(roleNames).size < bulkRoles || !deps.iam.loadAllRoles) return;
      // Not allowed (iam:GetAccountAuthorizationDetails) or failed: each role is read on its own.
      await deps.iam.loadAllRoles().catch(() => undefined);
    },
  };
}

/** The cached methods, and the adapter's others passed through (adapters may be lazy proxies: no spreading them). */
function withOverrides<T extends object>(api: T, overrides: Partial<T>): T {
  return new Proxy({} as T, {
    get: (_t, method) => (overrides as Record<PropertyKey, unknown>)[method] ?? ((...args: unknown[]) => (api as Record<PropertyKey, (...a: unknown[]) => unknown>)[method]!(...args)),
  });
}
