/**
 * `put` end to end: the built CLI as a child process against moto's server. Every run uses a canary
 * value and checks it never appears in stdout or stderr (--json included).
 */
import { GetSecretValueCommand, CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allOutput, runCli, type CliRun } from '../support/cli.js';
import { motoClientConfig, motoEnv, resetMoto } from '../support/moto.js';

const CANARY = 'CANARY-owm-7f3a9c1e5b2d4a60';
const sm = () => new SecretsManagerClient(motoClientConfig());

async function secretObject(id = 'openweatherapi'): Promise<Record<string, string>> {
  const out = await sm().send(new GetSecretValueCommand({ SecretId: id, VersionStage: 'AWSCURRENT' }));
  return JSON.parse(out.SecretString!);
}

async function versionCount(id = 'openweatherapi'): Promise<number> {
  const out = await sm().send(new DescribeSecretCommand({ SecretId: id }));
  return Object.keys(out.VersionIdsToStages ?? {}).length;
}

function put(args: string[], input?: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return runCli(['put', ...args], { env: motoEnv(env), input });
}

function expectNoCanary(run: CliRun, canary = CANARY) {
  expect(allOutput(run)).not.toContain(canary);
}

beforeEach(resetMoto);

describe('put against the emulator', () => {
  it('creates the secret from piped stdin, stripping one trailing newline', async () => {
    const run = await put([], `${CANARY}\n`);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Created openweatherapi');
    expect(run.stdout).toMatch(/arn:aws:secretsmanager:eu-central-1:123456789012:secret:openweatherapi-[A-Za-z0-9]{6}/);
    expect(await secretObject()).toEqual({ OPENWEATHER_API_KEY: CANARY });
    expectNoCanary(run);
  });

  it('a second put of another key keeps the first key, and the old version stays readable as AWSPREVIOUS', async () => {
    await put([], CANARY);
    const run = await put(['--key', 'OTHER', '--json'], `${CANARY}-2`);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'put', action: 'updated' });
    expect(doc.keys).toEqual([
      { name: 'OPENWEATHER_API_KEY', change: 'kept' },
      { name: 'OTHER', change: 'added' },
    ]);
    expect(await secretObject()).toEqual({ OPENWEATHER_API_KEY: CANARY, OTHER: `${CANARY}-2` });
    const previous = await sm().send(new GetSecretValueCommand({ SecretId: 'openweatherapi', VersionStage: 'AWSPREVIOUS' }));
    expect(JSON.parse(previous.SecretString!)).toEqual({ OPENWEATHER_API_KEY: CANARY });
    expectNoCanary(run);
  });

  it('the same value again writes no new version and says unchanged', async () => {
    await put([], CANARY);
    const before = await versionCount();
    const run = await put(['--json'], CANARY);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).action).toBe('unchanged');
    expect(await versionCount()).toBe(before);
    expectNoCanary(run);
  });

  it('changing the value reports "changed" for that key', async () => {
    await put([], CANARY);
    const run = await put([], `${CANARY}-new`);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('~ OPENWEATHER_API_KEY (changed)');
    expect((await secretObject()).OPENWEATHER_API_KEY).toBe(`${CANARY}-new`);
  });

  it('reads the value from --from-env', async () => {
    const run = await put(['--from-env', 'MY_KEY'], undefined, { MY_KEY: CANARY });
    expect(run.exitCode).toBe(0);
    expect(await secretObject()).toEqual({ OPENWEATHER_API_KEY: CANARY });
    expectNoCanary(run);
  });

  it('--dry-run says what would happen and writes nothing', async () => {
    const create = await put(['--dry-run', '--json'], CANARY);
    expect(create.exitCode).toBe(0);
    expect(JSON.parse(create.stdout)).toMatchObject({ action: 'created', dryRun: true });
    await expect(sm().send(new DescribeSecretCommand({ SecretId: 'openweatherapi' }))).rejects.toThrow();

    await put([], CANARY);
    const before = await versionCount();
    const update = await put(['--dry-run', '--key', 'NEW'], CANARY);
    expect(update.stdout).toContain('Would update openweatherapi');
    expect(update.stdout).toContain('+ NEW (added)');
    expect(await versionCount()).toBe(before);
    expectNoCanary(update);
  });

  it('applies --description, --tag and --kms-key-id on creation', async () => {
    const run = await put(['--secret-id', 'prod/weather', '--description', 'OpenWeather key', '--tag', 'team=weather', '--tag', 'env=dev'], CANARY);
    expect(run.exitCode).toBe(0);
    const described = await sm().send(new DescribeSecretCommand({ SecretId: 'prod/weather' }));
    expect(described.Description).toBe('OpenWeather key');
    expect(described.Tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'weather' }, { Key: 'env', Value: 'dev' }]));
  });

  it('twenty concurrent puts of twenty different keys leave all twenty keys', async () => {
    await put(['--key', 'SEED'], CANARY);
    const keys = Array.from({ length: 20 }, (_, i) => `KEY_${i}`);
    const runs = await Promise.all(keys.map((key, i) => put(['--key', key], `${CANARY}-${i}`)));
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(0);
      expectNoCanary(run);
    }
    const stored = await secretObject();
    expect(Object.keys(stored).sort()).toEqual(['SEED', ...keys].sort());
    keys.forEach((key, i) => expect(stored[key]).toBe(`${CANARY}-${i}`));
  }, 120_000);

  it('twenty concurrent puts on a secret that does not exist yet all survive', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `FRESH_${i}`);
    const runs = await Promise.all(keys.map((key) => put(['--key', key], CANARY)));
    runs.forEach((run) => expect(run.exitCode, run.stderr).toBe(0));
    expect(Object.keys(await secretObject()).sort()).toEqual([...keys].sort());
  }, 120_000);
});

describe('put refuses bad input with exit 2 and writes nothing', () => {
  it('refuses --value, explaining why, without echoing it', async () => {
    const run = await put(['--value', CANARY]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/shell history/);
    expectNoCanary(run);
    await expect(sm().send(new DescribeSecretCommand({ SecretId: 'openweatherapi' }))).rejects.toThrow();
  });

  it('refuses an empty value', async () => {
    const run = await put([], '\n');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('The value is empty');
    await expect(sm().send(new DescribeSecretCommand({ SecretId: 'openweatherapi' }))).rejects.toThrow();
  });

  it('refuses a value that would make the secret exceed 65,536 bytes', async () => {
    await put([], CANARY);
    const before = await versionCount();
    const run = await put(['--key', 'BIG'], 'x'.repeat(65_500));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/at most 65536/);
    expect(await versionCount()).toBe(before);
    expect(await secretObject()).toEqual({ OPENWEATHER_API_KEY: CANARY });
  });

  it('refuses a secret that is not a JSON object, and --replace overwrites it after saying so', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'openweatherapi', SecretString: 'plain-text-key' }));
    const refused = await put([], CANARY);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/not a JSON object: it holds plain text/);
    expect(refused.stderr).toContain('--replace');
    const raw = await sm().send(new GetSecretValueCommand({ SecretId: 'openweatherapi' }));
    expect(raw.SecretString).toBe('plain-text-key');

    const replaced = await put(['--replace'], CANARY);
    expect(replaced.exitCode).toBe(0);
    expect(replaced.stderr).toMatch(/overwriting the whole of openweatherapi/);
    expect(await secretObject()).toEqual({ OPENWEATHER_API_KEY: CANARY });
    expectNoCanary(replaced);
  });

  it('refuses a secret scheduled for deletion, and --restore restores it and writes', async () => {
    await put([], CANARY);
    await sm().send(new DeleteSecretCommand({ SecretId: 'openweatherapi', RecoveryWindowInDays: 7 }));
    const refused = await put(['--key', 'OTHER'], `${CANARY}-2`);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/scheduled for deletion/);
    expect(refused.stderr).toContain('--restore');

    const restored = await put(['--key', 'OTHER', '--restore'], `${CANARY}-2`);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('restored');
    expect(await secretObject()).toEqual({ OPENWEATHER_API_KEY: CANARY, OTHER: `${CANARY}-2` });
  });

  it.each([['has space'], ['bad*name'], ['x'.repeat(513)]])('refuses the invalid secret name %#', async (name) => {
    const run = await put(['--secret-id', name], CANARY);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('is not a valid secret name');
  });

  it('refuses --from-env naming an unset variable', async () => {
    const run = await put(['--from-env', 'NOT_SET_ANYWHERE']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('NOT_SET_ANYWHERE');
  });
});

describe('put --verify', () => {
  let server: Server;
  let base: string;
  let seenKeys: string[];
  beforeEach(async () => {
    seenKeys = [];
    server = createServer((req, res) => {
      const key = new URL(req.url!, 'http://x').searchParams.get('appid') ?? '';
      seenKeys.push(key);
      const good = key === CANARY;
      res.writeHead(good ? 200 : 401, { 'content-type': 'application/json' });
      res.end(good ? '{"cod":200,"name":"Vienna"}' : '{"cod":401,"message":"Invalid API key."}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stores a key OpenWeather accepts', async () => {
    const run = await put(['--verify'], CANARY, { OPENWEATHER_BASE_URL: base });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('verified with OpenWeather: valid');
    expect(seenKeys).toEqual([CANARY]);
    expectNoCanary(run);
  });

  it('refuses a key OpenWeather rejects (401) with exit 2, storing nothing', async () => {
    const run = await put(['--verify'], `${CANARY}-wrong`, { OPENWEATHER_BASE_URL: base });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('401');
    expectNoCanary(run);
    await expect(sm().send(new DescribeSecretCommand({ SecretId: 'openweatherapi' }))).rejects.toThrow();
  });

  it('a network failure is exit 3, storing nothing, and never prints the key even with --verbose', async () => {
    const run = await put(['--verify', '--verbose'], CANARY, { OPENWEATHER_BASE_URL: 'http://127.0.0.1:9' });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/Could not reach OpenWeather/);
    expectNoCanary(run);
    await expect(sm().send(new DescribeSecretCommand({ SecretId: 'openweatherapi' }))).rejects.toThrow();
  });
});

describe('put: environment errors', () => {
  it('an unreachable endpoint exits 3, without the value', async () => {
    const run = await put(['--endpoint-url', 'http://127.0.0.1:9', '--verbose'], CANARY);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/Cannot reach the Secrets Manager endpoint \(ECONNREFUSED\)/);
    expectNoCanary(run);
  });

  it('no region anywhere exits 2 and says how to set one', async () => {
    const run = await put([], CANARY, { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/No AWS region is set/);
    expect(run.stderr).toMatch(/--region/);
    expect(run.stderr).toMatch(/AWS_REGION/);
  });

  it('with --json an error is still one JSON document on stdout', async () => {
    const run = await put(['--json'], '');
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 1, command: 'put', error: { code: 'empty-value' } });
  });
});

describe('put: creation-only options on an existing secret', () => {
  it('says that --description, --kms-key-id and --tag were not applied', async () => {
    await put([], CANARY);
    const run = await put(['--key', 'OTHER', '--description', 'new text', '--tag', 'a=b'], CANARY);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/--description, --tag apply only when the secret is created/);
    const described = await sm().send(new DescribeSecretCommand({ SecretId: 'openweatherapi' }));
    expect(described.Description ?? '').not.toBe('new text');
  });
});
