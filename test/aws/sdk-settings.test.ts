/**
 * Settings SDK users expect, through the built CLI against moto: HTTP(S)_PROXY routes AWS calls through
 * the proxy (NO_PROXY exempts hosts), and --profile picks up that profile's endpoint_url as AWS_PROFILE
 * does. (AWS_MAX_ATTEMPTS is covered in test/faults/fault-matrix.test.ts.)
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import { execa } from 'execa';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { motoEndpoint, motoEnv, resetMoto } from '../support/moto.js';
import { createSecret } from '../support/scenarios.js';

/** A forward proxy (absolute-URI requests, as a client sends to an HTTP proxy) that counts what it carries. */
let proxy: Server;
let carried: string[] = [];
let proxyUrl: string;
beforeAll(async () => {
  proxy = createServer((req, res) => {
    carried.push(String(req.url));
    const target = new URL(String(req.url));
    const out = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => { proxy.closeAllConnections(); proxy.close(() => resolve()); }));
beforeEach(async () => {
  carried = [];
  await resetMoto();
  await createSecret();
});

describe('proxies', () => {
  it('HTTP_PROXY carries the AWS calls', async () => {
    const run = await runCli(['put', '--key', 'K', '--json'], { env: motoEnv({ HTTP_PROXY: proxyUrl }), cwd: '/', input: 'value-123456' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(carried.length).toBeGreaterThan(0);
    expect(carried[0]).toContain(new URL(motoEndpoint()).host);
  });

  it('HTTPS_PROXY tunnels TLS to an https endpoint (CONNECT), as real AWS endpoints are reached', async () => {
    // A TLS endpoint in front of moto, with a certificate made here and trusted through NODE_EXTRA_CA_CERTS.
    const dir = await mkdtemp(join(tmpdir(), 'ws-tls-'));
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    const tls = createHttpsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (req, res) => {
      const out = httpRequest(new URL(String(req.url), motoEndpoint()), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(out);
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const tunnels: string[] = [];
    const open: Socket[] = [];
    const onConnect = (req: { url?: string }, socket: Socket, head: Buffer) => {
      tunnels.push(String(req.url));
      open.push(socket);
      const [host, port] = String(req.url).split(':');
      const upstream = connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      open.push(upstream);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    };
    proxy.on('connect', onConnect);
    try {
      const endpoint = `https://localhost:${(tls.address() as AddressInfo).port}`;
      const run = await runCli(['put', '--key', 'K', '--json'], { env: motoEnv({ AWS_ENDPOINT_URL: endpoint, HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }), cwd: '/', input: 'value-123456' });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).action).toBe('updated');
      expect(tunnels.length).toBeGreaterThan(0);
      expect(tunnels[0]).toBe(new URL(endpoint).host);
      expect(carried).toEqual([]);
    } finally {
      proxy.off('connect', onConnect);
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => { tls.closeAllConnections(); tls.close(() => resolve()); });
    }
  });

  it('NO_PROXY exempts the endpoint', async () => {
    const run = await runCli(['put', '--key', 'K', '--json'], { env: motoEnv({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' }), cwd: '/', input: 'value-123456' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(carried).toEqual([]);
  });
});

describe('profile settings', () => {
  it("--profile uses that profile's endpoint_url", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-profile-'));
    await writeFile(join(dir, 'config'), `[profile dev]\nregion = eu-central-1\nendpoint_url = ${motoEndpoint()}\n`);
    await writeFile(join(dir, 'credentials'), '[dev]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    const env = motoEnv({ AWS_ENDPOINT_URL: undefined, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_MAX_ATTEMPTS: '1', WEATHER_SECRETS_REQUEST_TIMEOUT_MS: '3000' });
    const run = await runCli(['put', '--profile', 'dev', '--key', 'K', '--json'], { env, cwd: '/', input: 'value-123456' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).action).toBe('updated');
  });

  const profileFiles = async (config: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-profile-'));
    await writeFile(join(dir, 'config'), config);
    await writeFile(join(dir, 'credentials'), '[dev]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    return motoEnv({ AWS_ENDPOINT_URL: undefined, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_MAX_ATTEMPTS: '1', WEATHER_SECRETS_REQUEST_TIMEOUT_MS: '3000' });
  };
  // Nothing listens on port 9: a call sent there fails at once.
  const DEAD = 'http://127.0.0.1:9';

  it("--profile uses its services section's entry for the service before the profile's endpoint_url", async () => {
    const env = await profileFiles(`[profile dev]\nregion = eu-central-1\nservices = local\nendpoint_url = ${DEAD}\n\n[services local]\nsecrets_manager =\n  endpoint_url = ${motoEndpoint()}\n`);
    const run = await runCli(['put', '--profile', 'dev', '--key', 'K', '--json'], { env, cwd: '/', input: 'value-123456' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).action).toBe('updated');
  });

  it('AWS_ENDPOINT_URL_SECRETS_MANAGER beats the --profile endpoint_url, as in the SDK', async () => {
    const env = await profileFiles(`[profile dev]\nregion = eu-central-1\nendpoint_url = ${DEAD}\n`);
    const run = await runCli(['put', '--profile', 'dev', '--key', 'K', '--json'], { env: { ...env, AWS_ENDPOINT_URL_SECRETS_MANAGER: motoEndpoint() }, cwd: '/', input: 'value-123456' });
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it('a services section the config file lacks is an environment error that names it (exit 3), nothing written', async () => {
    const env = await profileFiles(`[profile dev]\nregion = eu-central-1\nservices = nowhere\n`);
    const run = await runCli(['put', '--profile', 'dev', '--key', 'K'], { env, cwd: '/', input: 'value-123456' });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/services section "nowhere"/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('retry settings from the profile', () => {
  it("the profile's max_attempts sets how often a failing call is tried (nothing hard-coded)", async () => {
    const { startRecordingProxy } = await import('../support/recording-proxy.js');
    const failing = await startRecordingProxy(motoEndpoint(), () => ({ status: 500, contentType: 'application/x-amz-json-1.1', body: '{"__type":"InternalServiceError","message":"try again"}' }));
    try {
      const attempts = async (maxAttempts: number) => {
        const dir = await mkdtemp(join(tmpdir(), 'ws-retry-'));
        await writeFile(join(dir, 'config'), `[default]\nregion = eu-central-1\nmax_attempts = ${maxAttempts}\nretry_mode = standard\n`);
        failing.requests.length = 0;
        const run = await runCli(['put', '--key', 'K', '--json'], { env: motoEnv({ AWS_ENDPOINT_URL: failing.endpoint, AWS_CONFIG_FILE: join(dir, 'config'), AWS_REGION: undefined }), cwd: '/', input: 'value-123456' });
        expect(run.exitCode).toBe(3);
        return failing.requests.length;
      };
      expect(await attempts(1)).toBe(1);
      expect(await attempts(3)).toBe(3);
    } finally {
      await failing.close();
    }
  }, 60_000);
});
