/**
 * check-policy --all through the built CLI: the formats CI systems read. SARIF is validated against
 * the SARIF 2.1.0 JSON schema (test/fixtures/sarif), and each result points at the function's line
 * and column in its source template.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };
// ajv-draft-04 is CommonJS (`exports.default = Ajv`): required, with the little of its API used here.
const Ajv = (createRequire(import.meta.url)('ajv-draft-04') as { default: new (options: Record<string, unknown>) => { compile(schema: object): Validator } }).default;
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const IAC = join(import.meta.dirname, '..', 'fixtures', 'iac');
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
const env = { PATH: process.env.PATH!, HOME: '/nonexistent', AWS_REGION: 'eu-central-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', NO_COLOR: '1' };
const all = (args: string[]) => runCli(['check-policy', '--all', ...args], { env, cwd: IAC });

describe('check-policy --all --format sarif', () => {
  it('the schema check is real: a log whose tool has no name is rejected', () => {
    const validate = new Ajv({ strict: false, unicodeRegExp: false }).compile(schema);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
  });

  it.each([['cdk.out'], ['sam/template.yaml'], ['cloudformation/template.yaml'], ['serverless']])('%s: valid SARIF 2.1.0, every rule declared, results at file:line:col', async (template) => {
    const run = await all(['--template', template, '--format', 'sarif']);
    expect(run.exitCode).toBe(1);
    const sarif = JSON.parse(run.stdout);
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const [runLog] = sarif.runs;
    const ruleIds = runLog.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const rule of runLog.tool.driver.rules) expect(rule.helpUri).toMatch(/README\.md#finding-codes$/);
    expect(runLog.results.length).toBeGreaterThan(0);
    for (const result of runLog.results) {
      expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      // The line named is where the function's resource starts in that file.
      const lines = readFileSync(join(IAC, artifactLocation.uri), 'utf8').split('\n');
      expect(lines[region.startLine - 1]!.slice(region.startColumn - 1)).toMatch(/^"?[A-Za-z0-9]+"?:/);
    }
  });

  it('a suppressed check is in the SARIF with its justification, not dropped', async () => {
    const sarif = JSON.parse((await all(['--template', 'cdk.out', '--format', 'sarif'])).stdout);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions[0]).toEqual({ kind: 'inSource', justification: expect.stringContaining('WX-142') });
    expect(suppressed[0].locations[0].logicalLocations[0].name).toBe('WeatherStack/Alerts/DigestFunction');
  });
});

describe('check-policy --all: other formats and exit codes', () => {
  it('--json: one document with schemaVersion and a summary', async () => {
    const run = await all(['--template', 'sam/template.yaml', '--json']);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, command: 'check-policy', scope: 'all', method: 'static', summary: { checks: 3, denied: 2, suppressed: 1, failing: 1 } });
    expect(json.checks[1]).toMatchObject({ function: { name: 'ForecastFunction' }, verdict: 'denied', code: 'arn-missing-suffix', location: { file: 'sam/template.yaml', line: 27, col: 3 } });
  });

  it('--format junit: a failure per failing check, skipped per suppression', async () => {
    const run = await all(['--template', 'sam/template.yaml', '--format', 'junit']);
    expect(run.stdout).toMatch(/^<\?xml/);
    expect(run.stdout).toContain('<testsuites name="weather-secrets check-policy --all" tests="3" failures="1">');
    expect(run.stdout).toMatch(/name="ForecastFunction reads openweatherapi">\s*<failure type="arn-missing-suffix"/);
    expect(run.stdout).toMatch(/name="LegacyFunction reads openweatherapi">\s*<skipped message="suppressed: being retired/);
  });

  it('--format github: workflow annotations at the file and line', async () => {
    const run = await all(['--template', 'sam/template.yaml', '--format', 'github']);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^::error file=sam\/template\.yaml,line=27,col=3,title=weather-secrets arn-missing-suffix::ForecastFunction → openweatherapi: denied\. /);
    expect(lines[0]).not.toContain('\n');
    expect(lines[1]).toMatch(/^::notice file=sam\/template\.yaml,line=44,/);
  });

  it('exit 0 when every check passes, and the human table by default', async () => {
    const run = await all(['--template', 'cdk.out/WeatherStackAlertsA1B2C3D4.nested.template.json']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/FUNCTION\s+SECRET\s+VERDICT/);
    expect(run.stdout).toMatch(/DigestFunction\s+weather\/alerts\s+suppressed/);
  });

  it('usage errors: unknown --format, --fail-on, --format without --all', async () => {
    expect((await all(['--format', 'xml'])).exitCode).toBe(2);
    expect((await all(['--fail-on', 'allowed'])).exitCode).toBe(2);
    expect((await runCli(['check-policy', '--static', '--format', 'sarif'], { env, cwd: IAC })).exitCode).toBe(2);
  });
});
