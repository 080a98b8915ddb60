/**
 * samLocalInvoke and samVersion against the stand-in sam (test/fixtures/sam-standin/sam) put first on
 * PATH, the way a user's shell would find the real one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { samLocalInvoke, samVersion, type SamLocalInvokeOptions } from '../../src/sam/cli.js';
import { EnvironmentError, InterruptedError, UsageError } from '../../src/core/errors.js';
import { parsePayload } from '../../src/invoke/payload.js';
import { classifyInvoke } from '../../src/invoke/classify.js';
import { createRedactor } from '../../src/invoke/redact.js';

const STANDIN_DIR = join(import.meta.dirname, '..', 'fixtures', 'sam-standin');

interface Record {
  argv: string[];
  cwd: string;
  env: { [name: string]: string | undefined };
  pid: number;
}

let work: string;
let recordPath: string;
const readRecord = (): Record => JSON.parse(readFileSync(recordPath, 'utf8')) as Record;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'ws-sam-'));
  recordPath = join(work, 'record.json');
  vi.stubEnv('PATH', `${STANDIN_DIR}:${process.env.PATH ?? ''}`);
  vi.stubEnv('SAM_STANDIN_RECORD', recordPath);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(work, { recursive: true, force: true });
});

function invoke(scenario: string, extra: Partial<SamLocalInvokeOptions> = {}) {
  vi.stubEnv('SAM_STANDIN_SCENARIO', scenario);
  const stderr: string[] = [];
  const run = samLocalInvoke({
    logicalId: 'WeatherFunction',
    templatePath: 'template.yaml',
    eventPath: 'events/event.json',
    cwd: work,
    onStderr: (chunk) => stderr.push(chunk),
    ...extra,
  });
  return { run, stderr };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition()).toBe(true);
}

describe('samLocalInvoke', () => {
  it('calls sam with exactly the expected argv, in the given directory', async () => {
    await invoke('success', {
      envVarsPath: 'env.json',
      parameterOverrides: { SecretName: 'openweatherapi', Greeting: 'hello world' },
      region: 'eu-west-1',
      configEnv: 'staging',
    }).run;
    const record = readRecord();
    expect(record.argv).toEqual([
      'local', 'invoke', 'WeatherFunction', '--template', 'template.yaml', '--event', 'events/event.json',
      '--env-vars', 'env.json', '--parameter-overrides', 'SecretName=openweatherapi', 'Greeting="hello world"',
      '--region', 'eu-west-1', '--config-env', 'staging',
    ]);
    expect(record.cwd).toBe(work);
  });

  it('passes temporary credentials only through the environment, never on the command line', async () => {
    vi.stubEnv('AWS_PROFILE', 'developer-admin');
    const credentials = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEY123456', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKEN' };
    await invoke('success', { env: credentials, region: 'eu-west-1' }).run;
    const { argv, env } = readRecord();
    for (const value of Object.values(credentials)) expect(argv.join(' ')).not.toContain(value);
    expect(env).toMatchObject(credentials);
    // An inherited profile would make sam ignore the credentials (botocore drops env credentials then).
    expect(env.AWS_PROFILE).toBeUndefined();
  });

  it('refuses a profile together with credentials, before starting sam', async () => {
    const { run } = invoke('success', { profile: 'dev', env: { AWS_ACCESS_KEY_ID: 'ASIAX', AWS_SECRET_ACCESS_KEY: 'y' } });
    await expect(run).rejects.toThrow(UsageError);
  });

  it('streams sam\'s container logs to onStderr and returns the payload from stdout alone', async () => {
    const { run, stderr } = invoke('success');
    const result = await run;
    expect(result.exitCode).toBe(0);
    expect(stderr[0]).toBe('Invoking app.lambda_handler (python3.12)\n');
    expect(stderr.join('')).toContain('as /var/task:ro,delegated, inside runtime container');
    expect(JSON.parse(result.stdout)).toEqual({ statusCode: 200, body: '{"city": "Oslo", "temperature": 4.5}' });
    expect(result.stderrTail).toMatch(/^REPORT RequestId: \S+\tInit Duration: 0.25 ms\tDuration: 131.88 ms/m);
  });

  it('returns exit 0 with the error object when the function threw (sam does not fail)', async () => {
    const result = await invoke('function-error').run;
    expect(result.exitCode).toBe(0);
    const diagnosis = classifyInvoke({ payload: parsePayload(result.stdout), logs: result.stderrTail, mode: 'local' });
    expect(diagnosis).toMatchObject({ code: 'unhandled-exception', summary: "The function raised KeyError: 'apiKey'" });
  });

  it('gives what is needed to explain a local access denial under the developer\'s identity', async () => {
    const result = await invoke('access-denied').run;
    const diagnosis = classifyInvoke({ payload: parsePayload(result.stdout), logs: result.stderrTail, mode: 'local' });
    expect(diagnosis.code).toBe('secret-access-denied');
    expect(diagnosis.detail).toMatchObject({ principal: 'arn:aws:iam::123456789012:user/jane.developer', resource: 'openweatherapi' });
  });

  it('returns a timed-out function as exit 0, empty stdout and sam\'s timeout line', async () => {
    const result = await invoke('timeout').run;
    expect(result).toMatchObject({ exitCode: 0, stdout: '' });
    const diagnosis = classifyInvoke({ payload: parsePayload(result.stdout), logs: result.stderrTail, mode: 'local' });
    expect(diagnosis).toMatchObject({ code: 'timeout', detail: { seconds: 3 } });
  });

  it.each(['no-container-runtime', 'docker-legacy'])('says plainly that Docker is not running (%s)', async (scenario) => {
    const error = await invoke(scenario).run.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error).toMatchObject({ code: 'no-container-runtime', exitCode: 3 });
    expect((error as EnvironmentError).message).toMatch(/container runtime \(Docker or Finch\)/);
    expect((error as EnvironmentError).hint).toMatch(/docker ps/);
  });

  it('hands other sam failures back with the exit code and stderr, e.g. a usage error', async () => {
    const result = await invoke('no-such-option').run;
    expect(result.exitCode).toBe(2);
    expect(result.stderrTail).toContain('Error: No such option: --nosuch');
  });

  it('reports sam-missing, with how to install it, when sam is not on PATH', async () => {
    vi.stubEnv('PATH', work);
    const error = await invoke('success').run.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'sam-missing', exitCode: 3 });
    expect((error as EnvironmentError).hint).toMatch(/install-sam-cli/);
    expect((error as EnvironmentError).cause).toBeDefined();
  });

  it('on Ctrl-C (abort) sends sam SIGINT, reports an interruption, and leaves no process behind', async () => {
    const controller = new AbortController();
    const { run, stderr } = invoke('slow', { signal: controller.signal });
    await until(() => stderr.some((line) => line.startsWith('START RequestId')));
    const { pid } = readRecord();
    controller.abort();
    await expect(run).rejects.toThrow(InterruptedError);
    expect(stderr.join('')).toContain('Aborted!'); // sam's own SIGINT handler ran
    expect(isAlive(pid)).toBe(false);
  });

  it('kills a sam that ignores SIGINT after the grace period', async () => {
    const controller = new AbortController();
    const { run, stderr } = invoke('stubborn', { signal: controller.signal, killGraceMs: 300 });
    await until(() => stderr.some((line) => line.startsWith('START RequestId')));
    const { pid } = readRecord();
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'interrupted', exitCode: 130 });
    await until(() => !isAlive(pid));
  });

  it('stops a sam that runs past the timeout and says so', async () => {
    const error = await invoke('slow', { timeoutMs: 500, killGraceMs: 300 }).run.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'sam-timeout', exitCode: 3 });
    expect((error as EnvironmentError).hint).toContain('START RequestId');
  });

  it('keeps no secret value in a timeout error: message, hint and the whole cause chain are masked', async () => {
    const canary = 'CANARY-sam-9c41e7a0d2b35f68';
    vi.stubEnv('SAM_STANDIN_CANARY', canary);
    const redact = createRedactor(canary).redact;
    // Long enough for the stand-in to have started and set its SIGINT handler on a loaded machine.
    const error = await invoke('slow-leaky', { timeoutMs: 2_000, killGraceMs: 300, redact }).run.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'sam-timeout', exitCode: 3 });
    // sam's last words are still there, masked.
    expect((error as EnvironmentError).hint).toContain('appid=****');
    expect(everythingIn(error)).not.toContain(canary);
    expect(everythingIn(error)).toContain('timed out'); // the cause still says what happened
  });
});

/** Every text an error chain can show: messages, hints, stacks, own fields, and Node's inspection of it. */
function everythingIn(error: unknown): string {
  const texts: string[] = [inspect(error, { depth: 10, showHidden: true })];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (e instanceof Error) texts.push(e.message, e.stack ?? '');
    if (typeof e === 'object') {
      texts.push(String((e as { hint?: unknown }).hint ?? ''));
      try {
        texts.push(JSON.stringify(e, Object.getOwnPropertyNames(e)));
      } catch {
        texts.push(inspect(e, { depth: 10 }));
      }
    } else texts.push(String(e));
    e = typeof e === 'object' ? (e as { cause?: unknown }).cause : undefined;
  }
  return texts.join('\n');
}

describe('samVersion', () => {
  it('reads the version sam prints', async () => {
    expect(await samVersion(work)).toEqual({ version: '1.170.0', raw: 'SAM CLI, version 1.170.0' });
  });

  it('uses an injected exec (no process) and the command it is given', async () => {
    const calls: string[][] = [];
    const version = await samVersion(work, {
      command: '/opt/sam/bin/sam',
      exec: async (command, args) => {
        calls.push([command, ...args]);
        return { exitCode: 0, stdout: 'SAM CLI, version 1.99.0\n', timedOut: false, canceled: false };
      },
    });
    expect(calls).toEqual([['/opt/sam/bin/sam', '--version']]);
    expect(version.version).toBe('1.99.0');
  });
});
