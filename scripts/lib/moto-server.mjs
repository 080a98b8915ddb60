// Starts moto's server (from .venv/, see setup-emulator.mjs) on 127.0.0.1 and a free port, and waits
// until it answers. Shared by the tests' global setup and `npm run demo`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export async function startMoto(root) {
  const motoServer = join(root, '.venv', 'bin', 'moto_server');
  if (!existsSync(motoServer)) {
    throw new Error('moto is not installed: run `npm run setup:emulator` (npm test and npm run demo do it for you).');
  }
  const port = await freePort();
  const child = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  try {
    await waitForServer(endpoint, child, () => log);
  } catch (error) {
    stop();
    throw error;
  }
  return { endpoint, stop };
}

async function waitForServer(endpoint, child, log) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early:\n${log()}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`moto_server did not start within 30 s:\n${log()}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
