/**
 * The process's first module (bin/ imports it). It answers `--version` and `--help` from a file written
 * at build time (scripts/build-help.mjs), so they load neither commander nor the rest of the CLI;
 * everything else turns on Node 22's compile cache and goes to main.ts.
 *
 * Hand-written because it is about start-up time, which no library can save for us: loading commander
 * and the CLI's modules costs more than Node's own start. The cached help is commander's own output for
 * the same arguments, captured by running main.ts; it is used only where main.ts would print the same
 * bytes: help is at most HELP_WIDTH (program.ts) columns wide, so any stdout but a terminal narrower than that.
 */
import module from 'node:module';
import { readFileSync } from 'node:fs';

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
    cache = JSON.parse(readFileSync(new URL('./help.json', import.meta.url), 'utf8')) as HelpCache;
  } catch {
    return undefined; // Not built (a source checkout mid-build): main.ts answers.
  }
  if (isVersion) return `${cache.version}\n`;
  if (process.stdout.isTTY && (process.stdout.columns ?? cache.width) < cache.width) return undefined;
  return Object.hasOwn(cache.help, helpFor!) ? cache.help[helpFor!] : undefined;
}

const cached = cachedOutput(process.argv.slice(2));
if (cached === undefined) {
  // Node 22's on-disk compile cache makes every later start faster; Node 20 has none and skips it.
  // Not for the cached answers: setting it up costs more than they take.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  await import('./main.js');
} else {
  // A closed pipe (`--help | head -1`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.stdout.write(cached);
}
