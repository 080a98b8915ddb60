/** argv -> handler name and options, without running any handler or touching AWS. */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, type HandlerName } from '../../src/cli/program.js';
import { normalisePutOptions } from '../../src/cli/handlers/put.js';

async function parse(argv: string[]): Promise<{ name: HandlerName; options: Record<string, unknown>; globals: Record<string, unknown>; args: string[] }> {
  let captured: { name: HandlerName; command: Command } | undefined;
  const program = buildProgram('0.0.0', async (name, _load, command) => {
    captured = { name, command };
  });
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await program.parseAsync(['node', 'weather-secrets', ...argv]);
  if (!captured) throw new Error('no command ran');
  return { name: captured.name, options: captured.command.opts(), globals: captured.command.optsWithGlobals(), args: captured.command.args };
}

describe('argv to options', () => {
  it('put defaults', async () => {
    const { name, options } = await parse(['put']);
    expect(name).toBe('put');
    expect(normalisePutOptions(options)).toEqual({
      secretId: 'openweatherapi', key: 'OPENWEATHER_API_KEY', description: undefined, kmsKeyId: undefined,
      tags: [], replace: false, restore: false, dryRun: false, verify: false,
    });
  });

  it('put with every option, and global options before or after the command', async () => {
    const { options, globals } = await parse([
      '--region', 'eu-west-1', 'put', '--secret-id', 'prod/owm', '--key', 'K', '--tag', 'a=1', '--tag', 'b=x=y',
      '--kms-key-id', 'alias/k', '--description', 'd', '--replace', '--restore', '--dry-run', '--verify', '--json', '--profile', 'dev',
    ]);
    expect(normalisePutOptions(options)).toEqual({
      secretId: 'prod/owm', key: 'K', description: 'd', kmsKeyId: 'alias/k',
      tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'x=y' }], replace: true, restore: true, dryRun: true, verify: true,
    });
    expect(globals).toMatchObject({ region: 'eu-west-1', json: true, profile: 'dev' });
  });

  it.each([['--no-color'], ['--verbose'], ['--endpoint-url', 'http://127.0.0.1:5000'], ['--config-env', 'prod']])('global %s', async (...flag) => {
    const { globals } = await parse(['put', ...flag]);
    const key = { '--no-color': 'color', '--verbose': 'verbose', '--endpoint-url': 'endpointUrl', '--config-env': 'configEnv' }[flag[0]!]!;
    expect(globals[key]).toEqual(flag[0] === '--no-color' ? false : flag[1] ?? true);
  });

  it('a tag without = is a usage error', () => {
    expect(() => normalisePutOptions({ tag: ['novalue'] })).toThrow(expect.objectContaining({ exitCode: 2, code: 'invalid-tag' }));
  });

  it('an unknown option is a commander usage error', async () => {
    await expect(parse(['put', '--bogus'])).rejects.toMatchObject({ code: 'commander.unknownOption' });
  });
});

describe('argv to options: the other commands', () => {
  it('check-policy takes the function positionally or with --function, not both differently', async () => {
    const { normaliseCheckPolicyOptions } = await import('../../src/cli/handlers/check-policy.js');
    const a = await parse(['check-policy', 'WeatherFunction', '--static', '--secret-id', 's', '--template', 't.yaml', '--stack-name', 'st']);
    expect(a.name).toBe('check-policy');
    expect(normaliseCheckPolicyOptions(a.options, a.args)).toEqual({ functionName: 'WeatherFunction', secretId: 's', templatePath: 't.yaml', stackName: 'st', static: true });
    const b = await parse(['check-policy', '--function', 'fn-name']);
    expect(normaliseCheckPolicyOptions(b.options, b.args)).toMatchObject({ functionName: 'fn-name', static: false });
    const c = await parse(['check-policy', 'one', '--function', 'two']);
    expect(() => normaliseCheckPolicyOptions(c.options, c.args)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('doctor', async () => {
    const { normaliseDoctorOptions } = await import('../../src/cli/handlers/doctor.js');
    const { name, options, args } = await parse(['doctor', 'WeatherFunction', '--invoke', '--key', 'K']);
    expect(name).toBe('doctor');
    expect(normaliseDoctorOptions(args, options)).toEqual({ functionName: 'WeatherFunction', secretId: undefined, templatePath: undefined, stackName: undefined, key: 'K', invoke: true });
  });

  it('invoke modes', async () => {
    const { normaliseInvokeOptions } = await import('../../src/cli/handlers/invoke.js');
    const local = await parse(['invoke', 'WeatherFunction']);
    expect(normaliseInvokeOptions(local.args, local.options)).toMatchObject({ mode: 'local', functionId: 'WeatherFunction', redact: true, asDeployedRole: false });
    const remote = await parse(['invoke', 'fn', '--remote', '--qualifier', 'live', '--no-redact', '--event', 'e.json']);
    expect(normaliseInvokeOptions(remote.args, remote.options)).toMatchObject({ mode: 'remote', qualifier: 'live', redact: false, event: 'e.json' });
    const compare = await parse(['invoke', '--compare', '--as-deployed-role']);
    expect(normaliseInvokeOptions(compare.args, compare.options)).toMatchObject({ mode: 'compare', asDeployedRole: true });
  });
});
