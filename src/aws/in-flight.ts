/**
 * Which AWS requests are waiting right now, so the command deadline (src/cli/main.ts) can say what
 * stalled ("Secrets Manager PutSecretValue") instead of just "timed out". Process-wide on purpose: one
 * CLI run is one process, and the deadline is a process-wide backstop.
 */
const waiting = new Map<number, string>();
let nextId = 0;

interface MiddlewareStackLike {
  add(middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>, options: { step: 'initialize'; name: string }): void;
}

/** Adds a middleware to the client that records each request while it is in flight. */
export function trackInFlight<C extends { middlewareStack: unknown }>(client: C, service: string): C {
  (client.middlewareStack as MiddlewareStackLike).add(
    (next, context) => async (args) => {
      const id = nextId++;
      waiting.set(id, `${service} ${(context.commandName ?? 'request').replace(/Command$/, '')}`);
      try {
        return await next(args);
      } finally {
        waiting.delete(id);
      }
    },
    { step: 'initialize', name: 'weatherSecretsInFlight' },
  );
  return client;
}

/** The AWS requests still waiting, oldest first, without duplicates. */
export function requestsInFlight(): string[] {
  return [...new Set(waiting.values())];
}
