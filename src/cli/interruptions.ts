import { signalExitStatus } from './cli-error.ts';

export type Interruptions = { signal(): NodeJS.Signals | null; stop(): void };

/**
 * Ctrl-C, or a script's timeout: noted for the work to stop at a safe point (`onFirst`); a second one ends the
 * command at once.
 */
export function watchInterruptions(onFirst: (signal: NodeJS.Signals) => void): Interruptions {
  let received: NodeJS.Signals | null = null;
  const interrupt = (signal: NodeJS.Signals) => {
    if (received) process.exit(signalExitStatus(signal));
    received = signal;
    onFirst(signal);
  };
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
  return {
    signal: () => received,
    stop: () => process.off('SIGINT', interrupt).off('SIGTERM', interrupt),
  };
}
