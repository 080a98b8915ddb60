/**
 * The tool's error taxonomy. Domain code throws these; src/cli/ is the one place that maps them to
 * exit codes and text. Anything else that escapes is a bug (stack trace and a bug-report hint).
 *
 * Messages must never contain a secret value: they are printed, logged and put in --json.
 */
export type ExitCode = 0 | 1 | 2 | 3 | 130;

export const EXIT = {
  ok: 0,
  problem: 1,
  usage: 2,
  environment: 3,
  interrupted: 130,
} as const satisfies Record<string, ExitCode>;

export interface ErrorDetails {
  /** A stable, machine-readable code, e.g. `secret-scheduled-for-deletion`. */
  code: string;
  /** What to do next, shown under the message. */
  hint?: string;
  cause?: unknown;
}

export abstract class WeatherSecretsError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly code: string;
  readonly hint?: string;

  constructor(message: string, details: ErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.hint = details.hint;
  }
}

/** Bad usage or bad input: exit 2, and nothing was written. */
export class UsageError extends WeatherSecretsError {
  override readonly name: string = 'UsageError';
  readonly exitCode = EXIT.usage;
}

/** AWS said no, or could not be reached, or the environment lacks something (a tool, credentials): exit 3. */
export class EnvironmentError extends WeatherSecretsError {
  override readonly name: string = 'EnvironmentError';
  readonly exitCode = EXIT.environment;
}

/** An AWS service error, translated at the adapter. */
export class AwsError extends EnvironmentError {
  override readonly name: string = 'AwsError';
  constructor(
    message: string,
    details: ErrorDetails & { service: string; operation: string; awsCode?: string },
  ) {
    super(message, details);
    this.service = details.service;
    this.operation = details.operation;
    this.awsCode = details.awsCode;
  }
  readonly service: string;
  readonly operation: string;
  readonly awsCode?: string;
}

/** The user pressed Ctrl-C: exit 130. */
export class InterruptedError extends WeatherSecretsError {
  override readonly name: string = 'InterruptedError';
  readonly exitCode = EXIT.interrupted;
  constructor(message = 'Interrupted.') {
    super(message, { code: 'interrupted' });
  }
}

export function isWeatherSecretsError(error: unknown): error is WeatherSecretsError {
  return error instanceof WeatherSecretsError;
}
