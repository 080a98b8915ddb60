/**
 * Entry point: parse argv, run one handler, print its result, and set the exit code. The only place,
 * with io.ts, that writes to the terminal, and the only place that decides exit codes.
 */
import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { SCHEMA_VERSION } from '../core/findings.js';
import { EXIT } from '../core/errors.js';
import { renderError } from './errors.js';
import type { GlobalFlags } from './io.js';
import { buildProgram, type RunHandler } from './program.js';

// The SDK warns on every process under Node 20 about its future support policy: keep our output clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(EXIT.interrupted);
  interrupted = true;
  process.exitCode = EXIT.interrupted;
  controller.abort();
  // Give child processes a moment to stop, then leave.
  setTimeout(() => process.exit(EXIT.interrupted), 3_000).unref();
});

const run: RunHandler = async (name, load, command: Command) => {
  const flags = command.optsWithGlobals() as GlobalFlags & Record<string, unknown>;
  // Loaded here, not at the top: --help and --version need neither chalk nor the output host.
  const { createIo } = await import('./io.js');
  const io = createIo(flags, controller.signal);
  try {
    const { handle } = await load();
    const outcome = await handle(command.args, command.opts(), io);
    if (flags.json) io.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...outcome.result }, null, 2)}\n`);
    else io.stdout.write(`${outcome.human(io.style)}\n`);
    process.exitCode = interrupted ? EXIT.interrupted : outcome.exitCode;
  } catch (error) {
    const rendered = renderError(error, Boolean(flags.verbose));
    io.stderr.write(`${rendered.text}\n`);
    if (flags.json) io.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, command: name, error: rendered.json }, null, 2)}\n`);
    process.exitCode = interrupted ? EXIT.interrupted : rendered.exitCode;
  }
};

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const program = buildProgram(version, run);
// Commander echoes an unknown option as typed: `--valu=KEY` would print the key. Drop any `=value`.
for (const command of [program, ...program.commands]) command.configureOutput({ outputError: (text, write) => write(withoutOptionValues(text)) });
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
