import type { ChalkInstance } from 'chalk';
import type { ExitCode } from '../../core/errors.js';
import type { Io } from '../io.js';

/** What every command handler gives back to main.ts: the result data, its exit code, and its human form. */
export interface HandlerOutcome<R extends { command: string } = { command: string }> {
  result: R;
  exitCode: ExitCode;
  human: (style: ChalkInstance) => string;
}

export type Handler = (positional: string[], options: Record<string, unknown>, io: Io) => Promise<HandlerOutcome>;
