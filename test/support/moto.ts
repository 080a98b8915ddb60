/** Helpers for tests that talk to the moto emulator started by global-setup.ts. */
import { inject } from 'vitest';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'eu-central-1';

export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

/** Clears all emulator state: call in beforeEach of every integration test file. */
export async function resetMoto(): Promise<void> {
  const response = await fetch(`${motoEndpoint()}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
}

/** SDK client settings pointing at the emulator with throwaway credentials. */
export function motoClientConfig(region = REGION) {
  return {
    region,
    endpoint: motoEndpoint(),
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

/** Environment for a child CLI process: the emulator endpoint and test credentials, nothing from the host. */
export function motoEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
