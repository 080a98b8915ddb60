/** Shell completion and every command's --help, as a user at a terminal meets them. */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';

const cli = (...args: string[]) => execa(process.execPath, [BIN, ...args], { reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } });

/** Runs bash's completion function for the words typed so far and returns what it offers. */
async function bashCompletes(typed: string[]): Promise<string[]> {
  const script = (await cli('completion', 'bash')).stdout;
  const words = ['weather-secrets', ...typed].map((w) => `'${w}'`).join(' ');
  const run = await execa('bash', ['-c', `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _weather_secrets; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  return run.stdout.split('\n').filter(Boolean);
}

describe('weather-secrets completion', () => {
  it('bash: completes commands, then that command\'s options and the global ones', async () => {
    expect(await bashCompletes(['che'])).toEqual(['check-policy']);
    const options = await bashCompletes(['check-policy', '--a']);
    expect(options.sort()).toEqual(['--all', '--all-functions']);
    expect(await bashCompletes(['doctor', '--reg'])).toEqual(['--region']);
  });

  it.each([['zsh', /^#compdef weather-secrets/], ['fish', /complete -c weather-secrets -n "__fish_seen_subcommand_from check-policy" -l fail-on/]])('%s: a script naming every command', async (shell, pattern) => {
    const run = await cli('completion', shell);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(pattern);
    for (const name of ['put', 'check-policy', 'invoke', 'doctor', 'fix']) expect(run.stdout).toContain(name);
  });

  it('an unknown shell is a usage error', async () => {
    const run = await cli('completion', 'ksh');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Allowed choices are bash, zsh, fish');
  });
});

describe('every command\'s --help', () => {
  it.each([['put'], ['check-policy'], ['invoke'], ['doctor'], ['fix'], ['completion']])('%s: shows examples and the global options', async (name) => {
    const run = await cli(name, '--help');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Examples:\\n  .*weather-secrets ${name}`));
    expect(run.stdout).toMatch(/Global Options:[\s\S]*--region <region>[\s\S]*--json/);
  });
});
