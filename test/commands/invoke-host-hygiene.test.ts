/**
 * `invoke --runtime host` and secret hygiene and interrupts: the known secret is masked in the handler's
 * log as it streams and in the payload, and Ctrl-C stops the handler's process (exit 130).
 */
import { execa } from 'execa';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { allOutput, BIN, runCli } from '../support/cli.js';
import { motoEnv, resetMoto } from '../support/moto.js';
import { CANARY, seedSecret } from '../invoke/invoke-fixtures.js';

const VENV = join(import.meta.dirname, '..', '..', '.venv');

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  LeakyFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: leaky.handler
      Runtime: python3.12
      Timeout: 30
      Environment:
        Variables:
          SECRET_NAME: openweatherapi
`;

const LEAKY = `import json, os, sys, time
import boto3

def handler(event, context):
    value = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["SECRET_NAME"])["SecretString"]
    print("loaded", value, flush=True)
    if event.get("sleep"):
        print("sleeping pid", os.getpid(), flush=True)
        time.sleep(60)
    return {"config": json.loads(value)}
`;

async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-host-hygiene-'));
  await writeFile(join(dir, 'template.yaml'), TEMPLATE);
  await writeFile(join(dir, 'leaky.py'), LEAKY);
  return dir;
}

beforeEach(() => resetMoto());

describe('invoke --runtime host: hygiene', () => {
  it('masks the secret in the streamed log and in the payload; --no-redact shows it', async () => {
    await seedSecret();
    const cwd = await project();
    const env = motoEnv({ VIRTUAL_ENV: VENV });
    const run = await runCli(['invoke', '--runtime', 'host'], { env, cwd });
    expect(run.exitCode).toBe(0);
    expect(allOutput(run)).not.toContain(CANARY);
    expect(run.stderr).toContain('loaded ****'); // the whole SecretString is one of the masked values
    expect(run.stdout).toContain('"OPENWEATHER_API_KEY": "****"');
    const shown = await runCli(['invoke', '--runtime', 'host', '--no-redact'], { env, cwd });
    expect(shown.stdout).toContain(CANARY);
  }, 60_000);

  it('Ctrl-C stops the handler process: exit 130', async () => {
    await seedSecret();
    const cwd = await project();
    await writeFile(join(cwd, 'event.json'), '{"sleep": true}');
    const child = execa(process.execPath, [BIN, 'invoke', '--runtime', 'host', '--event', 'event.json'], { env: motoEnv({ VIRTUAL_ENV: VENV }), extendEnv: false, cwd, reject: false, stdin: 'ignore' });
    let stderr = '';
    const pid = await new Promise<number>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /sleeping pid (\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(isAlive(pid)).toBe(false);
    expect(`${result.stdout}${stderr}`).not.toContain(CANARY);
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
