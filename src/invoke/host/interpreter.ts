/**
 * Which program runs the handler on this machine. Python: the app's own virtual environment first
 * (`.venv` or `venv` in CodeUri or beside the template), then an activated one (VIRTUAL_ENV), then
 * `python3.X` for the function's exact version, then `python3`. Node.js: the node running this tool.
 * Hand-written PATH lookup: it is a few lines, and a library for it would still need the venv rules.
 */
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { delimiter, dirname, join, relative } from 'node:path';
import type { HostFunctionSpec } from './spec.js';

export interface Interpreter {
  command: string;
  /** Where it was found, for the output: `the app's venv .venv`, `PATH (python3)`. */
  origin: string;
}

/**
 * The first candidate that exists and runs. A file can be executable and still not run Python: a
 * pyenv shim for a version pyenv does not have set exits 127, a venv whose base Python was removed
 * fails. Such a candidate is skipped (and named in `skipped`), so its failure is never reported as
 * the handler's.
 */
export async function findInterpreter(spec: HostFunctionSpec, templatePath: string, env: NodeJS.ProcessEnv, skipped: string[] = []): Promise<Interpreter | undefined> {
  if (spec.language === 'nodejs') return { command: process.execPath, origin: 'the Node.js running weather-secrets' };
  const templateDir = dirname(templatePath);
  const candidates: Interpreter[] = [];
  const venvs = [...new Set([spec.codeDir, templateDir])].flatMap((dir) => ['.venv', 'venv'].map((name) => join(dir, name)));
  for (const venv of venvs) candidates.push({ command: join(venv, 'bin', 'python'), origin: `the app's virtual environment ${relative(templateDir, venv) || venv}` });
  if (env.VIRTUAL_ENV) candidates.push({ command: join(env.VIRTUAL_ENV, 'bin', 'python'), origin: `the active virtual environment ${env.VIRTUAL_ENV}` });
  for (const name of [`python${spec.runtimeVersion}`, 'python3']) {
    const found = await onPath(name, env.PATH ?? '');
    if (found) candidates.push({ command: found, origin: `${name} on PATH` });
  }
  for (const candidate of candidates) {
    if (!(await isExecutable(candidate.command))) continue;
    if (await runsPython(candidate.command, env)) return candidate;
    skipped.push(`${candidate.command} (${candidate.origin}) does not run`);
  }
  return undefined;
}

async function runsPython(command: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const { execa } = await import('execa');
  const result = await execa(command, ['-c', 'import sys'], { env, extendEnv: false, reject: false, timeout: 15_000, stdin: 'ignore' });
  return result.exitCode === 0;
}

async function onPath(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Packages the Lambda runtime itself provides: present deployed, often missing on a laptop. */
const PROVIDED_BY_LAMBDA: Record<HostFunctionSpec['language'], RegExp> = {
  python: /^(boto3|botocore|s3transfer|jmespath|dateutil|urllib3|six)$/,
  nodejs: /^@aws-sdk\//,
};

/**
 * The next step when the handler imports a package this interpreter lacks: the app's own
 * requirements.txt / package.json when there is one, and whether Lambda ships the package itself.
 */
export async function missingPackageHint(spec: HostFunctionSpec, module: string, interpreter: Interpreter, templatePath: string): Promise<string> {
  const pkg = spec.language === 'python' ? module.split('.')[0]! : module.startsWith('@') ? module.split('/').slice(0, 2).join('/') : module.split('/')[0]!;
  const provided = PROVIDED_BY_LAMBDA[spec.language].test(pkg) ? ` The ${spec.runtime} Lambda runtime includes ${pkg}, so deployed it is there; install it locally too.` : '';
  const base = `The handler imports ${pkg}, which ${interpreter.command} (${interpreter.origin}) does not have.${provided}`;
  const rel = (file: string) => relative(dirname(templatePath), file) || file;
  if (spec.language === 'nodejs') {
    const manifest = join(spec.codeDir, 'package.json');
    return (await exists(manifest)) ? `${base} Run \`npm install\` in ${rel(spec.codeDir)} (${rel(manifest)}).` : `${base} Install it with \`npm install ${pkg}\` in ${rel(spec.codeDir)}.`;
  }
  const requirements = join(spec.codeDir, 'requirements.txt');
  const listed = (await exists(requirements)) && new RegExp(`^\\s*${pkg.replace(/[-_.]/g, '[-_.]')}\\b`, 'im').test(await readFile(requirements, 'utf8'));
  const venv = join(dirname(templatePath), '.venv');
  const install = (await exists(requirements)) ? `-r ${rel(requirements)}${listed ? '' : ` ${pkg}`}` : pkg;
  return `${base}${listed ? ` ${rel(requirements)} lists it.` : ''} Create the app's virtual environment, which --runtime host uses: python${spec.runtimeVersion} -m venv ${rel(venv)} && ${rel(venv)}/bin/pip install ${install}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
