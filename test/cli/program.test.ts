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
