/** Counts the API calls a client makes (commands, not retries), for benchmarks and tests. */

/** A client whose middleware stack can take a counter (every AWS SDK v3 client). */
interface ClientWithStack {
  readonly middlewareStack: {
    add: (
      middleware: (next: (args: unknown) => Promise<unknown>, context: { readonly commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { readonly step: 'initialize'; readonly name: string },
    ) => void;
  };
}

/** Calls made, in total and by command name. */
export interface ApiCallCount {
  readonly total: number;
  readonly byCommand: Readonly<Record<string, number>>;
}

/** Adds a counting middleware to the client and returns a function that reads the counts. */
export function countApiCalls(client: unknown): () => ApiCallCount {
  const byCommand: Record<string, number> = {};
  let total = 0;
  (client as ClientWithStack).middlewareStack.add(
    (next, context) => async (args) => {
      total += 1;
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
      byCommand[name] = (byCommand[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'iamPlatformCallCounter' },
  );
  return () => ({ total, byCommand: { ...byCommand } });
}
