/** Drives the built CLI (bin/weather-secrets.cjs, after `npm run build`) as a child process. */
import { execa } from 'execa';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'weather-secrets.cjs');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: { env: Record<string, string>; input?: string; cwd?: string; timeout?: number },
): Promise<CliRun> {
  const result = await execa(process.execPath, [BIN, ...args], {
    env: options.env,
    extendEnv: false,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    cwd: options.cwd,
    reject: false,
    timeout: options.timeout ?? 60_000,
    stripFinalNewline: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Asserts-friendly: every place a secret value could leak from a run. */
export function allOutput(run: CliRun): string {
  return `${run.stdout}\n${run.stderr}`;
}
