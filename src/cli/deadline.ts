/**
 * Every command's overall deadline: a backstop above the per-request AWS timeouts (src/aws/config.ts)
 * and sam's own timeout, so no fault leaves the tool waiting forever. When it passes, the work is
 * aborted and the error names what was still waiting.
 */
import { EnvironmentError } from '../core/errors.js';
import { positiveMs } from '../aws/config.js';

/** Long enough for a 15-minute Lambda function or a slow `sam local invoke` with an image pull. */
export const DEFAULT_DEADLINE_MS = 20 * 60_000;
export const FORCED_EXIT_AFTER_INTERRUPT_MS = 10_000;

/** WEATHER_SECRETS_DEADLINE_MS (documented in the README) sets it. */
export function deadlineMs(env: NodeJS.ProcessEnv): number {
  return positiveMs(env.WEATHER_SECRETS_DEADLINE_MS) ?? DEFAULT_DEADLINE_MS;
}

export async function commandDeadline<T>(name: string, env: NodeJS.ProcessEnv, controller: AbortController, work: () => Promise<T>): Promise<T> {
  const ms = deadlineMs(env);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(async () => {
      const { requestsInFlight } = await import('../aws/in-flight.js');
      const waiting = requestsInFlight();
      const error = new EnvironmentError(
        `${name} did not finish within ${formatMs(ms)}${waiting.length ? `; still waiting for ${waiting.join(', ')}` : ''}.`,
        { code: 'deadline-exceeded', hint: 'AWS, the network or sam stalled. WEATHER_SECRETS_DEADLINE_MS sets the limit.' },
      );
      controller.abort(error);
      reject(error);
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
