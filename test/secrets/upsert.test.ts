/**
 * The compare-and-swap loop against an in-memory store that reproduces Secrets Manager's staging rules:
 * a label lives on one version at a time, and moving AWSCURRENT with a RemoveFromVersionId that no
 * longer holds it fails (as UpdateSecretVersionStage's InvalidParameterException does).
 */
import { describe, expect, it } from 'vitest';
import { SecretStoreConflict, type SecretsStore } from '../../src/aws/secrets-manager.js';
import { silentReporter } from '../../src/core/reporter.js';
import { upsertSecretKey, type UpsertRequest } from '../../src/secrets/upsert.js';

function memoryStore(initial?: string) {
  const versions = new Map<string, { value: string; stages: string[] }>();
  let counter = 0;
  const arn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:openweatherapi-AbCdEf';
  let exists = initial !== undefined;
  if (initial !== undefined) versions.set('v0', { value: initial, stages: ['AWSCURRENT'] });
  const holder = (stage: string) => [...versions].find(([, v]) => v.stages.includes(stage))?.[0];
  const take = (stage: string) => versions.forEach((v) => (v.stages = v.stages.filter((s) => s !== stage)));
  const calls: string[] = [];
  /** Called just before moveStage: lets a test simulate a concurrent writer winning the race. */
  let beforeMove: (() => void) | undefined;
  const store: SecretsStore = {
    async describe() {
      return exists ? { arn, name: 'openweatherapi', rotationEnabled: false, versions: Object.fromEntries([...versions].map(([id, v]) => [id, v.stages])) } : undefined;
    },
    async getValue() {
      const id = holder('AWSCURRENT');
      return id ? { arn, versionId: id, secretString: versions.get(id)!.value } : undefined;
    },
    async create(secret) {
      calls.push('create');
      if (exists) throw new SecretStoreConflict('exists', 'exists');
      exists = true;
      versions.set('v0', { value: secret.secretString, stages: ['AWSCURRENT'] });
      return { arn, versionId: 'v0' };
    },
    async putValue(_id, value, _token, stages) {
      calls.push('put');
      const id = `v${++counter}`;
      stages.forEach(take);
      versions.set(id, { value, stages: [...stages] });
      return { versionId: id };
    },
    async moveStage(_id, stage, to, from) {
      if (stage === 'AWSCURRENT') {
        calls.push('move');
        beforeMove?.();
        beforeMove = undefined;
      }
      if (from && !versions.get(from)?.stages.includes(stage)) throw new SecretStoreConflict('stage-moved', 'moved');
      if (from) versions.get(from)!.stages = versions.get(from)!.stages.filter((s) => s !== stage);
      if (to) versions.get(to)!.stages.push(stage);
    },
    async restore() {},
    async getResourcePolicy() {
      return undefined;
    },
    async listNames() {
      return [];
    },
  };
  return {
    store,
    calls,
    current: () => JSON.parse(versions.get(holder('AWSCURRENT')!)!.value),
    stagesOf: (id: string) => versions.get(id)?.stages,
    raceOnce: (write: () => void) => (beforeMove = write),
    writeDirectly(value: string) {
      const id = `v${++counter}`;
      take('AWSCURRENT');
      versions.set(id, { value, stages: ['AWSCURRENT'] });
    },
  };
}

const request = (key: string, value: string, extra: Partial<UpsertRequest> = {}): UpsertRequest => ({
  secretId: 'openweatherapi', key, value, replace: false, restore: false, dryRun: false, create: {}, ...extra,
});

describe('upsertSecretKey', () => {
  it('creates a missing secret', async () => {
    const m = memoryStore();
    const out = await upsertSecretKey(m.store, request('K', 'v'), silentReporter);
    expect(out.action).toBe('created');
    expect(m.current()).toEqual({ K: 'v' });
  });

  it('when another writer moves AWSCURRENT first, re-reads and merges, so neither write is lost', async () => {
    const m = memoryStore('{"A":"a"}');
    m.raceOnce(() => m.writeDirectly('{"A":"a","B":"b"}'));
    const out = await upsertSecretKey(m.store, request('K', 'v'), silentReporter);
    expect(out.attempts).toBe(2);
    expect(m.current()).toEqual({ A: 'a', B: 'b', K: 'v' });
    expect(m.calls.filter((c) => c === 'move')).toHaveLength(2);
  });

  it('stages under its own label, never AWSCURRENT or AWSPENDING, and removes the label afterwards', async () => {
    const m = memoryStore('{"A":"a"}');
    const out = await upsertSecretKey(m.store, request('K', 'v'), silentReporter);
    expect(m.stagesOf(out.versionId!)).toEqual(['AWSCURRENT']);
  });

  it('falls back to updating when the secret is created between describe and create', async () => {
    const m = memoryStore('{"OTHER":"o"}');
    const original = m.store.describe;
    let calls = 0;
    // The first describe sees no secret (another writer creates it right after), so create conflicts.
    m.store.describe = async (id) => (calls++ === 0 ? undefined : original(id));
    const out = await upsertSecretKey(m.store, request('K', 'v'), silentReporter);
    expect(out.action).toBe('updated');
    expect(m.calls[0]).toBe('create');
    expect(m.current()).toEqual({ OTHER: 'o', K: 'v' });
  });

  it('dry-run writes nothing', async () => {
    const m = memoryStore('{"A":"a"}');
    const out = await upsertSecretKey(m.store, request('K', 'v', { dryRun: true }), silentReporter);
    expect(out.action).toBe('updated');
    expect(m.calls).toEqual([]);
    expect(m.current()).toEqual({ A: 'a' });
  });
});
