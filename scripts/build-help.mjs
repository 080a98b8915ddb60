#!/usr/bin/env node
// Part of `npm run build`: writes dist/cli/help.json, the version and every `[command] --help` text,
// captured by running the built CLI's main.ts (commander's own output, at HELP_WIDTH columns). The
// entry module (src/cli/entry.cts) serves them without loading commander.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'cli', 'main.js');
const { buildProgram, HELP_WIDTH } = await import(join(root, 'dist', 'cli', 'program.js'));
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const names = ['', ...buildProgram(version, async () => {}).commands.map((c) => c.name())];
// Not a terminal, no colour: exactly what main.ts prints into a pipe, and to a terminal at least HELP_WIDTH wide.
const env = { ...process.env, NO_COLOR: '1' };
delete env.FORCE_COLOR;
delete env.CLICOLOR_FORCE;
const help = {};
for (const name of names) {
  help[name] = execFileSync(process.execPath, [main, ...(name ? [name] : []), '--help'], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}
writeFileSync(join(root, 'dist', 'cli', 'help.json'), `${JSON.stringify({ version, width: HELP_WIDTH, help }, null, 1)}\n`);
