/**
 * The shipped CI examples run as written: the pre-commit hook's entry and the GitHub Actions workflow's
 * `run:` steps, with `weather-secrets` pointing at the built CLI, in a copy of a SAM project.
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const env = { PATH: process.env.PATH!, HOME: '/nonexistent', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', NO_COLOR: '1' };

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ws-ci-'));
  cpSync(join(ROOT, 'test', 'fixtures', 'iac', 'sam'), dir, { recursive: true });
  return dir;
}

/** `npx --yes weather-secrets@0 …` and `weather-secrets …` both become the built CLI. */
const local = (command: string) => command.replace(/(npx --yes )?weather-secrets(@\d+)?(?= )/g, `"${process.execPath}" "${BIN}"`);

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;

  it('declares a node hook that takes no file names', () => {
    expect(hooks).toEqual([expect.objectContaining({ id: 'weather-secrets-check-policy', language: 'node', pass_filenames: false, entry: 'weather-secrets check-policy --all' })]);
    expect(new RegExp(String(hooks[0]!.files)).test('infra/template.yaml')).toBe(true);
    expect(new RegExp(String(hooks[0]!.files)).test('cdk.out/WeatherStack.template.json')).toBe(true);
  });

  it('its entry fails the commit on a denied function (exit 1) and names it', async () => {
    const run = await execa('bash', ['-c', `${local(String(hooks[0]!.entry))} --region eu-central-1`], { cwd: project(), env, extendEnv: false, reject: false });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/ForecastFunction\s+openweatherapi\s+denied\s+arn-missing-suffix/);
  });
});

describe('examples/ci/github-actions.yml', () => {
  const workflow = parse(readFileSync(join(ROOT, 'examples', 'ci', 'github-actions.yml'), 'utf8'));
  const steps = workflow.jobs['check-policy'].steps as Array<{ name?: string; run?: string; uses?: string; with?: Record<string, string> }>;

  it('its steps run as written: annotations fail the job, the SARIF step writes the file it uploads', async () => {
    const dir = project();
    const [annotate, sarif] = steps.filter((s) => s.run?.includes('weather-secrets'));
    const gate = await execa('bash', ['-e', '-c', local(annotate!.run!)], { cwd: dir, env, extendEnv: false, reject: false });
    expect(gate.exitCode).toBe(1);
    expect(gate.stdout).toMatch(/^::error file=template\.yaml,line=27,col=3,title=weather-secrets arn-missing-suffix::/m);
    const report = await execa('bash', ['-e', '-c', local(sarif!.run!)], { cwd: dir, env, extendEnv: false, reject: false });
    expect(report.exitCode).toBe(0);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    const log = JSON.parse(readFileSync(join(dir, upload.with!.sarif_file!), 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('template.yaml');
  });
});
