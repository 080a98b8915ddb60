/**
 * The process's first module (bin/ requires it). CommonJS on purpose: Node starts a CommonJS file
 * without setting up its ES module loader, which costs more than the cached answers themselves.
 * It answers `--version` and `--help` from a file written at build time (scripts/build-help.mjs), so
 * they load neither commander nor the rest of the CLI; everything else turns on Node 22's compile
 * cache and goes to main.ts.
 *
 * Hand-written because it is about start-up time, which no library can save for us: loading commander
 * and the CLI's modules costs more than Node's own start. The cached help is commander's own output for
 * the same arguments, captured by running main.ts; it is used only where main.ts would print the same
 * bytes: help is at most HELP_WIDTH (program.ts) columns wide, so any stdout but a terminal narrower than that.
 */
import nodeModule = require('node:module');
import fs = require('node:fs');
import path = require('node:path');
import tty = require('node:tty');

interface HelpCache {
  version: string;
  width: number;
  /** '' for the program, else a command's name → the exact bytes of `[command] --help`. */
  help: Record<string, string>;
}

function cachedOutput(args: readonly string[]): string | undefined {
  const isVersion = args.length === 1 && (args[0] === '--version' || args[0] === '-V');
  const helpFlag = (a: string | undefined) => a === '--help' || a === '-h';
  const helpFor = args.length === 1 && helpFlag(args[0]) ? '' : args.length === 2 && helpFlag(args[1]) ? args[0] : undefined;
  if (!isVersion && helpFor === undefined) return undefined;
  let cache: HelpCache;
  try {
    cache = JSON.parse(fs.readFileSync(path.join(__dirname, 'help.json'), 'utf8')) as HelpCache;
  } catch {
    return undefined; // Not built (a source checkout mid-build): main.ts answers.
  }
  if (isVersion) return `${cache.version}\n`;
  // tty.isatty first: reading process.stdout.isTTY would create the stream writeOut avoids.
  if (tty.isatty(1) && (process.stdout.columns ?? cache.width) < cache.width) return undefined;
  return Object.hasOwn(cache.help, helpFor!) ? cache.help[helpFor!] : undefined;
}

const cached = cachedOutput(process.argv.slice(2));
if (cached === undefined) {
  // Node 22's on-disk compile cache makes every later start faster; Node 20 has none and skips it.
  // Not for the cached answers: setting it up costs more than they take.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  // The rest of the CLI is ES modules. main.ts maps its own errors to exit codes; failing to load it at
  // all (a broken or half-built install) is an environment error: one line, exit 3, no stack trace.
  import('./main.js').catch((error: unknown) => {
    process.stderr.write(`weather-secrets: cannot load the CLI from ${__dirname}: ${error instanceof Error ? error.message : String(error)}. Reinstall weather-secrets (in a checkout: npm run build).\n`);
    process.exitCode = 3;
  });
} else {
  writeOut(cached);
}

/**
 * Writes to fd 1 directly: creating `process.stdout` costs more than the rest of a cached answer. A
 * closed pipe (`--help | head -1`) is not an error; a non-blocking descriptor that is full (EAGAIN)
 * gets the rest through `process.stdout`, which waits for it.
 */
function writeOut(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += fs.writeSync(1, bytes, offset);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') process.exit(0);
    if (code !== 'EAGAIN') throw error;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
    process.stdout.write(bytes.subarray(offset));
  }
}
