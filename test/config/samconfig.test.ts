import { parseParameterOverrides as parseOverrides } from '../../src/config/parameter-overrides.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSamconfig, parseSamconfig, samconfigParameters } from '../../src/config/samconfig.js';

const TOML = `
version = 0.1
[default.global.parameters]
stack_name = "openweather-demo"
region = "eu-central-1"
[default.deploy.parameters]
region = "eu-west-1"
capabilities = "CAPABILITY_IAM"
parameter_overrides = "SecretName=\\"openweatherapi\\" Stage=dev"
[default.local_invoke.parameters]
profile = "local"
[prod.global.parameters]
region = "us-east-1"
`;

describe('samconfig', () => {
  it('overlays [ENV.global.parameters] with the command table, the command winning', async () => {
    const config = await parseSamconfig('samconfig.toml', TOML, 'toml');
    const { parameters, origin } = samconfigParameters(config, 'default', ['deploy']);
    expect(parameters).toMatchObject({ stack_name: 'openweather-demo', region: 'eu-west-1', capabilities: 'CAPABILITY_IAM' });
    expect(origin.region).toBe('samconfig.toml [default.deploy.parameters]');
    expect(origin.stack_name).toBe('samconfig.toml [default.global.parameters]');
  });

  it.each([
    [['local_invoke'], { region: 'eu-central-1', profile: 'local' }],
    [['local_invoke', 'deploy'], { region: 'eu-west-1', profile: 'local' }],
    [[], { region: 'eu-central-1' }],
  ])('reads command tables %j in priority order', async (commands, expected) => {
    const config = await parseSamconfig('samconfig.toml', TOML, 'toml');
    expect(samconfigParameters(config, 'default', commands).parameters).toMatchObject(expected);
  });

  it('reads another environment', async () => {
    const config = await parseSamconfig('samconfig.toml', TOML, 'toml');
    expect(samconfigParameters(config, 'prod', ['deploy']).parameters.region).toBe('us-east-1');
    expect(samconfigParameters(config, 'staging', ['deploy']).parameters).toEqual({});
  });

  it('prefers samconfig.toml over samconfig.yaml in the same folder, and reads YAML', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-samconfig-'));
    await writeFile(join(dir, 'samconfig.yaml'), 'version: 0.1\ndefault:\n  global:\n    parameters:\n      region: ap-south-1\n');
    expect(samconfigParameters(await loadSamconfig(dir), 'default', []).parameters.region).toBe('ap-south-1');
    await writeFile(join(dir, 'samconfig.toml'), 'version = 0.1\n[default.global.parameters]\nregion = "sa-east-1"\n');
    expect(samconfigParameters(await loadSamconfig(dir), 'default', []).parameters.region).toBe('sa-east-1');
  });

  it('returns undefined when there is no samconfig, and names the file and problem when it is malformed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-samconfig-'));
    expect(await loadSamconfig(dir)).toBeUndefined();
    await writeFile(join(dir, 'samconfig.toml'), 'version = 0.1\n[default.global.parameters\n');
    await expect(loadSamconfig(dir)).rejects.toThrow(/samconfig\.toml is not valid TOML/);
  });
});

describe('parameter_overrides', () => {
  it.each([
    ['Key="Value" Key2="Value 2"', { Key: 'Value', Key2: 'Value 2' }],
    ['SecretName=openweatherapi Stage=dev', { SecretName: 'openweatherapi', Stage: 'dev' }],
    ["Name='single quoted'", { Name: 'single quoted' }],
    ['ParameterKey=SecretName,ParameterValue=owm ParameterKey=Stage,ParameterValue=prod', { SecretName: 'owm', Stage: 'prod' }],
    [['A=1', 'B="two words"'], { A: '1', B: 'two words' }],
    [{ A: 'x', B: 2 }, { A: 'x', B: '2' }],
    ['Escaped="a \\"quote\\""', { Escaped: 'a "quote"' }],
    [undefined, {}],
  ])('parses %j', (input, expected) => {
    expect(parseOverrides(input).values).toEqual(expected);
  });
});
