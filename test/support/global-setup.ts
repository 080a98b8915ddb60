/**
 * Starts moto's server (the AWS API emulator, installed into .venv by `npm run setup:emulator`) on
 * 127.0.0.1 and a free port, once for the whole run. Tests reach it through `inject('motoEndpoint')`.
 * AWS managed policies stay unloaded: loading them costs ~1.3 s on the first IAM call after each reset.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMoto } from '../../scripts/lib/moto-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const moto = await startMoto(join(import.meta.dirname, '..', '..'));
  project.provide('motoEndpoint', moto.endpoint);
  return async () => moto.stop();
}
