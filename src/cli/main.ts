/**
 * Entry point: parse argv, run one handler, print its result, and set the exit code. The only place,
 * with io.ts, that writes to the terminal, and the only place that decides exit codes.
 */
import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { SCHEMA_VERSION } from '../core/findings.js';
import { EXIT, InterruptedError } from '../core/errors.js';
import { commandDeadline, FORCED_EXIT_AFTER_INTERRUPT_MS } from './deadline.js';
import { renderError } from './errors.js';
import { exitCodeOf } from './exit-codes.js';
import type { GlobalFlags } from './io.js';
import { buildProgram, HELP_WIDTH, type RunHandler } from './program.js';

// The SDK warns on every process under Node 20 about its future support policy: keep our output clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A closed pipe (`weather-secrets --help | head -1`) is not an error: stop writing and leave quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
}

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(EXIT.interrupted);
  interrupted = true;
  process.exitCode = EXIT.interrupted;
  controller.abort(new InterruptedError());
  // Work listening to the signal stops a child (SIGINT, SIGTERM, SIGKILL within ~4 s, src/sam/exec.ts),
  // removes its temp dir and undoes a half-done put; this is only the backstop if something does not.
  setTimeout(() => process.exit(EXIT.interrupted), FORCED_EXIT_AFTER_INTERRUPT_MS).unref();
});

const run: RunHandler = async (name, load, command: Command) => {
  const flags = command.optsWithGlobals() as GlobalFlags & Record<string, unknown>;
  // Loaded here, not at the top: --help and --version need neither chalk nor the output host.
  const { createIo } = await import('./io.js');
  const io = createIo(flags, controller.signal);
  try {
    // Every command's --secret-id is checked the same way, before anything reads or writes.
    if (typeof command.opts().secretId === 'string') (await import('../secrets/document.js')).validateSecretId(command.opts().secretId as string);
    const { handle } = await load();
    const outcome = await commandDeadline(name, io.env, controller, () => handle(command.args, command.opts(), io));
    if (flags.json) io.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...outcome.result }, null, 2)}\n`);
    else io.stdout.write(`${outcome.human(io.style)}\n`);
    process.exitCode = interrupted ? EXIT.interrupted : exitCodeOf(outcome.result);
  } catch (error) {
    // After Ctrl-C, whatever the aborted work threw (an aborted request, a stopped sam) is the interrupt.
    const rendered = renderError(interrupted ? new InterruptedError() : error, Boolean(flags.verbose));
    io.stderr.write(`${rendered.text}\n`);
    if (flags.json) io.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, command: name, error: rendered.json }, null, 2)}\n`);
    process.exitCode = interrupted ? EXIT.interrupted : rendered.exitCode;
    // Past the deadline, stalled sockets may keep the process alive: give children a moment, then leave.
    if (rendered.json.code === 'deadline-exceeded') setTimeout(() => process.exit(process.exitCode), 5_000).unref();
  }
};

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const program = buildProgram(version, run);
// Commander echoes an unknown option as typed: `--valu=KEY` would print the key. Drop any `=value`.
// Help is wrapped at HELP_WIDTH columns, or a narrower terminal's (entry.cts serves it from a cache).
const helpWidth = () => Math.min(HELP_WIDTH, process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : HELP_WIDTH);
for (const command of [program, ...program.commands]) command.configureOutput({ outputError: (text, write) => write(withoutOptionValues(text)), getOutHelpWidth: helpWidth });
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = ok ? EXIT.ok : EXIT.usage;
    if (!ok && process.argv.includes('--json')) {
      const command = process.argv.slice(2).find((a) => program.commands.some((c) => c.name() === a));
      const message = withoutOptionValues(error.message).replace(/^error: /, '');
      process.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, command: command ?? null, error: { code: 'usage', message } }, null, 2)}\n`);
    }
  } else {
    process.stderr.write(`${renderError(error, true).text}\n`);
    process.exitCode = EXIT.environment;
  }
}

/** `'--value=abc'` → `'--value=…'`: option values never travel into messages. */
function withoutOptionValues(text: string): string {
  return text.replace(/(--?[A-Za-z][\w-]*)=[^'"\s]*/g, '$1=…');
}
