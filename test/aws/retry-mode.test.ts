/**
 * Retry mode, resolved by the SDK itself: the live scan asks for `adaptive` (client-side rate limiting
 * when IAM throttles), but AWS_RETRY_MODE and the profile's `retry_mode` still decide when set, and a
 * normal command leaves the choice entirely to the SDK (standard by default).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IAMClient } from '@aws-sdk/client-iam';
import { sdkClientOptions, type AwsClientConfig } from '../../src/aws/config.js';

afterEach(() => vi.unstubAllEnvs());

async function modeOf(config: AwsClientConfig): Promise<string> {
  const client = new IAMClient({ ...(await sdkClientOptions(config, 'IAM')), credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const strategy = (await client.config.retryStrategy()) as { mode?: string };
  return strategy.mode ?? 'unknown';
}

describe('retry mode', () => {
  it.each([
    ['a normal command, nothing set: the SDK default', {}, undefined, undefined, 'standard'],
    ['a normal command, AWS_RETRY_MODE=adaptive', {}, 'adaptive', undefined, 'adaptive'],
    ['the scan, nothing set: adaptive', { defaultRetryMode: 'adaptive' }, undefined, undefined, 'adaptive'],
    ['the scan, AWS_RETRY_MODE=standard wins', { defaultRetryMode: 'adaptive' }, 'standard', undefined, 'standard'],
    ["the scan, the profile's retry_mode = standard wins", { defaultRetryMode: 'adaptive', profile: 'dev' }, undefined, 'standard', 'standard'],
  ] as const)('%s', async (_name, extra, envMode, profileMode, expected) => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-retry-mode-'));
    await writeFile(join(dir, 'config'), `[profile dev]\nregion = eu-central-1\n${profileMode ? `retry_mode = ${profileMode}\n` : ''}`);
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    vi.stubEnv('AWS_PROFILE', undefined);
    if (envMode) vi.stubEnv('AWS_RETRY_MODE', envMode);
    else vi.stubEnv('AWS_RETRY_MODE', undefined);
    expect(await modeOf({ region: 'eu-central-1', ...extra })).toBe(expected);
  });
});
