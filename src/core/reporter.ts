/**
 * The port through which commands and domain code tell the user what is happening, without printing.
 * The CLI's implementation writes to stderr; tests collect the lines. Never pass a secret value here.
 */
export interface Reporter {
  /** Progress, e.g. "Reading secret openweatherapi...". Goes to stderr, so it never mixes with results. */
  progress(message: string): void;
  warn(message: string): void;
  /** Only shown with --verbose. */
  debug(message: string): void;
}

export const silentReporter: Reporter = {
  progress() {},
  warn() {},
  debug() {},
};

export function collectingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    progress: (m) => lines.push(`progress: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
  };
}
