/** Stops a running service after `signal`; the process exits 0 once it resolves. */
export type StopService = (signal: NodeJS.Signals) => Promise<void>;

/**
 * The edge of a long-running service process (the bot's or the worker's main): `start` brings the
 * service up and returns how to stop it; the first SIGTERM or SIGINT runs that stop once and exits 0.
 * A start that fails prints why on stderr and exits 1.
 */
export function runServiceProcess(name: string, start: () => Promise<StopService>): void {
  start().then(
    (stop) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        void stop(signal).then(() => process.exit(0));
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`clipbot ${name} failed to start: ${message}\n`);
      process.exit(1);
    },
  );
}
