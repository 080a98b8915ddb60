#!/usr/bin/env node
// Installs what the tests and the demo need from PyPI into project-local virtual environments:
//   .venv/      moto's server, the AWS emulator (always)
//   .venv-sam/  the real AWS SAM CLI, for the argument check (with --with-sam; tests only)
// Idempotent: a stamp holding the requirements' content skips the work when nothing changed.
// `npm test` runs it (pretest), so a fresh clone needs nothing installed by hand but Python 3.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const python = findPython();

ensureVenv('.venv', 'emulator-requirements.txt', 'the AWS emulator (moto)');
if (process.argv.includes('--with-sam')) ensureVenv('.venv-sam', 'sam-requirements.txt', 'the AWS SAM CLI (argument check)');

function ensureVenv(name, requirementsFile, what) {
  const venv = join(root, name);
  const requirements = join(root, 'scripts', requirementsFile);
  const stamp = join(venv, '.weather-secrets-stamp');
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  const started = Date.now();
  process.stderr.write(`Installing ${what} into ${name}/ (once; about a minute)...\n`);
  const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(join(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stamp, wanted);
  process.stderr.write(`Installed ${what} in ${Math.round((Date.now() - started) / 1000)} s.\n`);
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    try {
      execFileSync(candidate, ['-c', 'import sys; assert sys.version_info >= (3, 9)'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  process.stderr.write('Python 3.9+ with venv is needed for the local AWS emulator (moto). Install python3 and python3-venv.\n');
  process.exit(3);
}
