/**
 * Runs the example's Python handler (src/app.py) against moto's Secrets Manager and a local stand-in
 * for OpenWeather, in one long-lived Python process per test, the way a warm Lambda container runs it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REGION, motoClientConfig, motoEnv, resetMoto } from '../../../test/support/moto.js';

const root = join(import.meta.dirname, '..', '..', '..');
const python = join(root, '.venv', 'bin', 'python');
const driver = join(import.meta.dirname, 'run_handler.py');
const CANARY = 'canary-4f7a1c0e9b2d4d8a';

interface HandlerResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Plays OpenWeather's /data/2.5/weather: 200 for the canary key, its real 401 body otherwise. */
function startOpenWeatherStub(requests: URL[]): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    requests.push(url);
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname !== '/data/2.5/weather') {
      res.writeHead(404).end(JSON.stringify({ cod: '404', message: 'Internal error' }));
    } else if (url.searchParams.get('appid') !== CANARY) {
      const message = 'Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.';
      res.writeHead(401).end(JSON.stringify({ cod: 401, message }));
    } else {
      res.writeHead(200).end(JSON.stringify(viennaWeather(url.searchParams)));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function viennaWeather(query: URLSearchParams) {
  return {
    coord: { lon: Number(query.get('lon')), lat: Number(query.get('lat')) },
    weather: [{ id: 803, main: 'Clouds', description: 'broken clouds', icon: '04d' }],
    base: 'stations',
    main: { temp: 7.31, feels_like: 4.92, temp_min: 6.1, temp_max: 8.4, pressure: 1019, humidity: 76 },
    visibility: 10000,
    wind: { speed: 3.6, deg: 300 },
    clouds: { all: 75 },
    dt: 1764370800,
    sys: { type: 2, id: 2037452, country: 'AT', sunrise: 1764311401, sunset: 1764342839 },
    timezone: 3600,
    id: 2761369,
    name: 'Vienna',
    cod: 200,
  };
}

/** One warm "container": each invoke() sends an event line and waits for the result line. */
class HandlerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  private readonly results: string[] = [];
  private waiting?: (line: string) => void;

  constructor(env: Record<string, string>) {
    this.child = spawn(python, [driver], { cwd: root, env });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.stdout += `${line}\n`;
      if (this.waiting) this.waiting(line);
      else this.results.push(line);
    });
  }

  invoke(event?: unknown): Promise<HandlerResult> {
    this.child.stdin.write(`${event === undefined ? '' : JSON.stringify(event)}\n`);
    const queued = this.results.shift();
    const line = queued !== undefined ? Promise.resolve(queued) : new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`handler gave no result; stderr:\n${this.stderr}`)), 20_000);
      this.waiting = (l) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(l);
      };
    });
    return line.then((l) => JSON.parse(l) as HandlerResult);
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

describe('examples/openweather handler', () => {
  const secrets = new SecretsManagerClient(motoClientConfig());
  const requests: URL[] = [];
  let stub: Server;
  let handler: HandlerProcess | undefined;

  beforeAll(async () => {
    stub = await startOpenWeatherStub(requests);
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));
  beforeEach(async () => {
    await resetMoto();
    requests.length = 0;
  });
  afterEach(() => handler?.stop());

  function startHandler(): HandlerProcess {
    const { port } = stub.address() as AddressInfo;
    handler = new HandlerProcess(
      motoEnv({
        AWS_DEFAULT_REGION: REGION,
        SECRET_NAME: 'openweatherapi',
        OPENWEATHER_BASE_URL: `http://127.0.0.1:${port}`,
      }),
    );
    return handler;
  }

  async function createSecret(secretString: string): Promise<void> {
    await secrets.send(new CreateSecretCommand({ Name: 'openweatherapi', SecretString: secretString }));
  }

  it('returns 200 with the stub temperature for the sample event', async () => {
    await createSecret(JSON.stringify({ OPENWEATHER_API_KEY: CANARY }));
    const h = startHandler();
    const result = await h.invoke();

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ city: 'Vienna', temperature: 7.31, description: 'broken clouds' });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.searchParams.get('lat')).toBe('48.208176');
    expect(requests[0]?.searchParams.get('units')).toBe('metric');
    expect(h.stdout + h.stderr).not.toContain(CANARY);
  });

  it('falls back to Vienna without query parameters and accepts a plain-string secret', async () => {
    await createSecret(CANARY);
    const result = await startHandler().invoke({ httpMethod: 'GET', path: '/weather', queryStringParameters: null });

    expect(result.statusCode).toBe(200);
    expect(requests[0]?.searchParams.get('lon')).toBe('16.373819');
  });

  it('caches the key: a second invocation still works after the secret is gone', async () => {
    await createSecret(JSON.stringify({ OPENWEATHER_API_KEY: CANARY }));
    const h = startHandler();
    expect((await h.invoke()).statusCode).toBe(200);

    // If the handler called GetSecretValue again, moto would now answer ResourceNotFoundException.
    await secrets.send(new DeleteSecretCommand({ SecretId: 'openweatherapi', ForceDeleteWithoutRecovery: true }));
    const second = await h.invoke();

    expect(second.statusCode).toBe(200);
    expect(requests).toHaveLength(2);
  });

  it('reports a missing secret as 500 naming the secret and the AWS error code', async () => {
    // The key exists, but under another name than SECRET_NAME: a typo made in the console.
    await secrets.send(new CreateSecretCommand({ Name: 'openweather', SecretString: CANARY }));
    const h = startHandler();
    const result = await h.invoke();

    expect(result.statusCode).toBe(500);
    const { error } = JSON.parse(result.body) as { error: string };
    expect(error).toMatch(/^cannot read secret openweatherapi: ResourceNotFoundException/);
    expect(h.stderr).toContain('ResourceNotFoundException');
    expect(h.stdout + h.stderr).not.toContain(CANARY);
    expect(requests).toHaveLength(0);
  });

  it('turns a rejected key into 502 without echoing the key', async () => {
    await createSecret(JSON.stringify({ OPENWEATHER_API_KEY: 'canary-wrong-key-0000' }));
    const h = startHandler();
    const result = await h.invoke();

    expect(result.statusCode).toBe(502);
    expect((JSON.parse(result.body) as { error: string }).error).toMatch(/^OpenWeather answered 401: Invalid API key/);
    expect(h.stdout + h.stderr).not.toContain('canary-wrong-key-0000');
  });
});
