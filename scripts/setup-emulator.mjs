#!/usr/bin/env node
// Installs the test emulator (moto's server) into a project-local virtual environment, .venv/.
// Idempotent: a stamp holding the requirements' content skips the work when nothing changed.
// Run by `npm test` (pretest) so a fresh clone needs nothing installed by hand but Python 3.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const requirements = join(root, 'scripts', 'emulator-requirements.txt');
const stamp = join(venv, '.weather-secrets-stamp');
const wanted = readFileSync(requirements, 'utf8');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
  process.exit(0);
}

const python = findPython();
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
process.stderr.write(`Setting up the test emulator in ${venv} (one time)...\n`);
if (!existsSync(join(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv]);
const pip = join(venv, 'bin', 'pip');
run(pip, ['install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
writeFileSync(stamp, wanted);
process.stderr.write('Test emulator ready.\n');

function findPython() {
  for (const candidate of ['python3', 'python']) {
    try {
      execFileSync(candidate, ['-c', 'import sys; assert sys.version_info >= (3, 9)'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  process.stderr.write('Python 3.9+ is needed for the test emulator (moto). Install python3 and python3-venv.\n');
  process.exit(3);
}
