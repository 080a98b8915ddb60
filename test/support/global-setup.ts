/**
 * Starts moto's server (the AWS API emulator, installed into .venv by `npm run setup:emulator`) on
 * 127.0.0.1 and a free port, once for the whole run. Tests reach it through `inject('motoEndpoint')`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

const root = join(import.meta.dirname, '..', '..');
let server: ChildProcess | undefined;

export default async function setup(project: TestProject) {
  const motoServer = join(root, '.venv', 'bin', 'moto_server');
  if (!existsSync(motoServer)) {
    throw new Error('moto is not installed: run `npm run setup:emulator` (npm test does it for you).');
  }
  const port = await freePort();
  server = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // AWS managed policies stay unloaded: loading them costs ~1.3 s on the first IAM call after each reset.
    env: { ...process.env },
  });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForServer(endpoint, () => log);
  project.provide('motoEndpoint', endpoint);
  return async () => {
    server?.kill('SIGTERM');
  };
}

async function waitForServer(endpoint: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`moto_server exited early:\n${log()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`moto_server did not start within 30 s:\n${log()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
