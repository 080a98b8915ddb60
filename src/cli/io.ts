/**
 * The CLI's output host: results to stdout, progress/warnings/logs to stderr. The only place (with
 * main.ts) that writes to the terminal. Colour only on a TTY, never with --json, NO_COLOR respected.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Reporter } from '../core/reporter.js';

export interface GlobalFlags {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  configEnv?: string;
  configFile?: string;
  parameterOverrides?: string;
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
}

export interface Io {
  flags: GlobalFlags;
  env: NodeJS.ProcessEnv;
  cwd: string;
  style: ChalkInstance;
  reporter: Reporter;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** Aborted on Ctrl-C; long-running work (child processes, waits) listens to it. */
  signal: AbortSignal;
}

/** Pure: the chalk level to use. 0 = no colour. */
export function colorLevel(flags: GlobalFlags, env: NodeJS.ProcessEnv, isTTY: boolean, detected: number): 0 | 1 | 2 | 3 {
  if (flags.json || flags.color === false) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return (Math.min(Math.max(Number(force) || 1, 1), 3) as 1 | 2 | 3);
  }
  return isTTY ? ((detected || 1) as 1 | 2 | 3) : 0;
}

export function createIo(flags: GlobalFlags, signal: AbortSignal): Io {
  const { stdout, stderr, stdin, env } = process;
  const style = new Chalk({ level: colorLevel(flags, env, Boolean(stdout.isTTY), new Chalk().level) });
  const errStyle = new Chalk({ level: colorLevel(flags, env, Boolean(stderr.isTTY), new Chalk().level) });
  const showProgress = Boolean(stderr.isTTY) || Boolean(flags.verbose);
  const reporter: Reporter = {
    progress: (m) => showProgress && stderr.write(`${errStyle.dim(m)}\n`),
    warn: (m) => stderr.write(`${errStyle.yellow('warning:')} ${m}\n`),
    debug: (m) => flags.verbose && stderr.write(`${errStyle.dim(`debug: ${m}`)}\n`),
  };
  return { flags, env, cwd: process.cwd(), style, reporter, stdout, stderr, stdin, signal };
}
