/**
 * The canary sweep: every command × human / --json / --verbose × a run that succeeds and one that fails,
 * through the built CLI with the secret holding a canary value. Nowhere may the canary show: stdout,
 * stderr, the argv and environment the stand-in sam was started with, and any file left in TMPDIR
 * (each run gets its own TMPDIR, which must be empty afterwards).
 */
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempLeftovers } from '../support/tmpdir.js';
import { resetMoto } from '../support/moto.js';
import { allow, createSecret, deployStack, doc, SECRET_PATTERN } from '../support/scenarios.js';
import { configureMotoLambda, deployFunction, ECHO_SAM_DIR, makeProject, queueMotoPayloads, readRecord, samEnv } from '../invoke/invoke-fixtures.js';

const CANARY = 'CANARY-sweep-8c1d2e3f4a5b';
const NEW_VALUE = 'CANARY-sweep-new-9f8e7d6c';
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'openweather');
const MODES: Array<[string, string[]]> = [['human', []], ['--json', ['--json']], ['--verbose', ['--verbose']]];

interface Sweep {
  command: string;
  outcome: 'success' | 'failure';
  /** Seeds the emulator and the project; returns the args, cwd and stdin to run with. */
  prepare(): Promise<{ args: string[]; cwd: string; input?: string; env?: Record<string, string> }>;
}

const readable = { WeatherFunctionRolePolicy0: doc(allow(SECRET_PATTERN)) };
const echo = (stdout: string, stderr: string) => ({ SAM_ECHO_STDOUT: stdout, SAM_ECHO_STDERR: stderr });

async function exampleProject(fixed: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-sweep-'));
  await cp(join(EXAMPLE, 'samconfig.toml'), join(dir, 'samconfig.toml'));
  let template = await readFile(join(EXAMPLE, 'template.yaml'), 'utf8');
  if (fixed) {
    template = template.replace(/(\n\s+Policies:\n)/, `$1        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: !Sub "arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-??????"\n`);
  }
  await writeFile(join(dir, 'template.yaml'), template);
  return dir;
}

const SWEEPS: Sweep[] = [
  { command: 'put', outcome: 'success', prepare: async () => ({ args: ['put', '--key', 'OTHER'], cwd: '/', input: NEW_VALUE }) },
  { command: 'put', outcome: 'failure', prepare: async () => ({ args: ['put', '--secret-id', 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:nope-AbCdEf'], cwd: '/', input: NEW_VALUE }) },
  {
    command: 'check-policy', outcome: 'success',
    prepare: async () => ({ args: ['check-policy', '--function', await deployStack({ rolePolicies: readable })], cwd: '/' }),
  },
  {
    command: 'check-policy', outcome: 'failure',
    prepare: async () => ({ args: ['check-policy', '--function', await deployStack()], cwd: '/' }),
  },
  {
    command: 'invoke --local', outcome: 'success',
    prepare: async () => ({ args: ['invoke', '--local'], cwd: await makeProject(), env: echo(JSON.stringify({ statusCode: 200, config: { key: CANARY } }), `loaded key ${CANARY}\n`) }),
  },
  {
    command: 'invoke --local', outcome: 'failure',
    prepare: async () => ({ args: ['invoke', '--local'], cwd: await makeProject(), env: echo(JSON.stringify({ errorType: 'KeyError', errorMessage: `bad key ${CANARY}` }), `[ERROR] KeyError: ${CANARY.slice(0, 14)}\n${CANARY.slice(14)}\n`) }),
  },
  {
    command: 'invoke --remote', outcome: 'success',
    prepare: async () => { await deployFunction('weather'); await queueMotoPayloads(JSON.stringify({ statusCode: 200, echoed: `caf\u00e9 ${CANARY}` })); return { args: ['invoke', '--remote', 'weather'], cwd: '/' }; },
  },
  {
    command: 'invoke --remote', outcome: 'failure',
    prepare: async () => { await deployFunction('weather'); await queueMotoPayloads(JSON.stringify({ errorType: 'KeyError', errorMessage: `no ${CANARY}` })); return { args: ['invoke', '--remote', 'weather'], cwd: '/' }; },
  },
  {
    command: 'doctor', outcome: 'success',
    prepare: async () => { await deployStack({ rolePolicies: readable }); return { args: ['doctor'], cwd: await exampleProject(true) }; },
  },
  {
    command: 'doctor', outcome: 'failure',
    prepare: async () => { await deployStack(); return { args: ['doctor'], cwd: await exampleProject(false) }; },
  },
  { command: 'fix', outcome: 'success', prepare: async () => ({ args: ['fix', '--write'], cwd: await exampleProject(false) }) },
  {
    command: 'fix', outcome: 'failure',
    prepare: async () => { const cwd = await makeProject('Resources: 42\n'); return { args: ['fix', '--write'], cwd }; },
  },
];

let counted = 0;
beforeEach(async () => {
  await resetMoto();
  await configureMotoLambda();
  // With "é" in it: Python's json.dumps would print it as \u00e9.
  await createSecret('openweatherapi', { OPENWEATHER_API_KEY: CANARY, CITY: `caf\u00e9 ${CANARY}` });
});

describe.each(SWEEPS)('$command ($outcome)', (sweep) => {
  it.each(MODES)('%s: the canary shows nowhere, and TMPDIR is left empty', async (_mode, flags) => {
    const { args, cwd, input, env } = await sweep.prepare();
    const tmp = await mkdtemp(join(tmpdir(), 'ws-sweep-tmp-'));
    const record = join(await mkdtemp(join(tmpdir(), 'ws-sweep-record-')), 'record.json');
    const run = await runCli([...args, ...flags], { env: samEnv(ECHO_SAM_DIR, { TMPDIR: tmp, SAM_STANDIN_RECORD: record, ...env }), cwd, input });
    counted++;
    if (sweep.outcome === 'success') expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    else expect(run.exitCode, run.stdout + run.stderr).not.toBe(0);
    for (const value of [CANARY, NEW_VALUE, 'caf\\u00e9']) {
      expect(run.stdout).not.toContain(value);
      expect(run.stderr).not.toContain(value);
    }
    if (flags.includes('--json')) expect(() => JSON.parse(run.stdout)).not.toThrow();
    const sam = readRecord(record);
    if (sweep.command === 'invoke --local') expect(sam, 'sam was run').toBeDefined();
    if (sam) {
      expect(JSON.stringify(sam.argv)).not.toContain('CANARY');
      // SAM_ECHO_* is this test's script for the function's output, not something weather-secrets passed.
      const { SAM_ECHO_STDOUT: _out, SAM_ECHO_STDERR: _err, ...passed } = sam.env;
      expect(JSON.stringify(passed)).not.toContain('CANARY-sweep');
    }
    expect(await tempLeftovers(tmp, [CANARY, NEW_VALUE])).toEqual([]);
  });
});

it('swept every command in every mode, both ways', () => {
  expect(counted).toBe(SWEEPS.length * MODES.length);
});
