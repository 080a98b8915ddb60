import type { ChalkInstance } from 'chalk';
import type { CommandResult } from '../exit-codes.js';
import type { Io } from '../io.js';

/** What every command handler gives back to main.ts: the result data and its human form. The exit code is the result's (exit-codes.ts). */
export interface HandlerOutcome<R extends CommandResult = CommandResult> {
  result: R;
  human: (style: ChalkInstance) => string;
}

export type Handler = (positional: string[], options: Record<string, unknown>, io: Io) => Promise<HandlerOutcome>;
