import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionFromProfile, resolveContext, type ResolveInputs } from '../../src/config/resolve.js';

let withSamconfig: string;
let empty: string;
beforeAll(async () => {
  withSamconfig = await mkdtemp(join(tmpdir(), 'ws-resolve-'));
  await writeFile(join(withSamconfig, 'samconfig.toml'), 'version = 0.1\n[default.deploy.parameters]\nregion = "eu-west-3"\nprofile = "sam-profile"\n[dev.deploy.parameters]\nregion = "us-west-2"\n');
  empty = await mkdtemp(join(tmpdir(), 'ws-resolve-'));
});

const profileRegion: ResolveInputs['profileRegion'] = async (profile) => ({ value: `from-profile-${profile ?? 'default'}`, source: 'profile' });
const noProfileRegion: ResolveInputs['profileRegion'] = async () => undefined;

describe("region precedence as sam's: flag > samconfig > AWS_REGION > AWS_DEFAULT_REGION > profile config", () => {
  it.each([
    ['the flag beats everything', { region: 'flag-1' }, { AWS_REGION: 'env-1' }, 'with', 'flag-1', '--region'],
    ['samconfig beats AWS_REGION (its values are the defaults of sam\'s options)', {}, { AWS_REGION: 'env-1', AWS_DEFAULT_REGION: 'env-2' }, 'with', 'eu-west-3', 'samconfig.toml [default.deploy.parameters]'],
    ['AWS_DEFAULT_REGION beats AWS_REGION, as in botocore (which sam uses)', {}, { AWS_REGION: 'env-1', AWS_DEFAULT_REGION: 'env-2' }, 'without', 'env-2', 'AWS_DEFAULT_REGION'],
    ['AWS_REGION when it is the only one', {}, { AWS_REGION: 'env-1' }, 'without', 'env-1', 'AWS_REGION'],
    ['samconfig beats the profile', {}, {}, 'with', 'eu-west-3', 'samconfig.toml [default.deploy.parameters]'],
    ['--config-env picks the samconfig environment', { configEnv: 'dev' }, {}, 'with', 'us-west-2', 'samconfig.toml [dev.deploy.parameters]'],
    ['the profile config last', {}, {}, 'without', 'from-profile-default', 'profile'],
    ['the profile config of AWS_PROFILE', {}, { AWS_PROFILE: 'p2' }, 'without', 'from-profile-p2', 'profile'],
  ] as const)('%s', async (_name, options, env, dir, region, source) => {
    const context = await resolveContext({
      options,
      env,
      cwd: dir === 'with' ? withSamconfig : empty,
      samCommands: ['deploy'],
      profileRegion,
    });
    expect(context.region).toEqual({ value: region, source: expect.stringContaining(source) });
  });

  it('profile: flag, then AWS_PROFILE, then samconfig, else none', async () => {
    const base = { cwd: withSamconfig, samCommands: ['deploy'], profileRegion };
    expect((await resolveContext({ ...base, options: { profile: 'f' }, env: { AWS_PROFILE: 'e' } })).profile?.value).toBe('f');
    expect((await resolveContext({ ...base, options: {}, env: { AWS_PROFILE: 'e' } })).profile?.value).toBe('e');
    expect((await resolveContext({ ...base, options: {}, env: {} })).profile?.value).toBe('sam-profile');
    expect((await resolveContext({ ...base, cwd: empty, options: {}, env: {} })).profile).toBeUndefined();
  });

  it('no region anywhere is a usage error that says how to set one', async () => {
    await expect(resolveContext({ options: {}, env: {}, cwd: empty, samCommands: [], profileRegion: noProfileRegion })).rejects.toMatchObject({
      exitCode: 2,
      code: 'no-region',
      hint: expect.stringMatching(/--region.*AWS_REGION.*samconfig/),
    });
  });

  it('an unknown --config-env is a usage error naming the environments that exist', async () => {
    await expect(resolveContext({ options: { configEnv: 'nope' }, env: {}, cwd: withSamconfig, samCommands: [], profileRegion })).rejects.toMatchObject({
      exitCode: 2,
      hint: expect.stringContaining('default, dev'),
    });
  });

  it('reads the region of a profile from the AWS config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-awsconfig-'));
    const file = join(dir, 'config');
    await writeFile(file, '[default]\nregion = eu-north-1\n[profile dev]\nregion = ap-southeast-2\n');
    const saved = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = file;
    try {
      expect((await regionFromProfile(undefined))?.value).toBe('eu-north-1');
      expect((await regionFromProfile('dev'))?.value).toBe('ap-southeast-2');
      expect(await regionFromProfile('missing')).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved;
    }
  });
});
