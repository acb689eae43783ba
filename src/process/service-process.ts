/** Stops a running service after `signal`; the process exits 0 once it resolves. */
export type StopService = (signal: NodeJS.Signals) => Promise<void>;

/** A started service: how to stop it, and how long that may take before the process just exits. */
export interface RunningService {
  stop: StopService;
  stopWithinMs: number;
}

/**
 * The edge of a long-running service process (the bot's or the worker's main): `start` brings the
 * service up and returns how to stop it; the first SIGTERM or SIGINT (or the launcher's death) runs
 * that stop once and exits 0, or 1 if it takes longer than `stopWithinMs`.
 * A start that fails prints why on stderr and exits 1.
 */
export function runServiceProcess(name: string, start: () => Promise<RunningService>): void {
  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  // Started by the launcher with an IPC channel: it closes when the launcher dies, even by kill -9.
  // Registered before start-up ends, so a launcher that dies early leaves no child behind.
  process.once('disconnect', () => (onSignal ? onSignal('SIGTERM') : process.exit(1)));
  start().then(
    ({ stop, stopWithinMs }) => {
      let stopping = false;
      onSignal = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        // Never hang at shutdown (Redis gone, a platform not answering): whoever stops us waits.
        setTimeout(() => {
          process.stderr.write(`clipbot ${name} did not stop within ${stopWithinMs} ms; exiting\n`);
          process.exit(1);
        }, stopWithinMs).unref();
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
