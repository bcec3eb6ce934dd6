/**
 * In-process notice that the registry changed, emitted after a roster or NPI load commits, so that learner
 * reporting can match its pending reports again. `personIds` is null when a load changed too many persons to
 * list: treat every person of the jurisdiction (or board) as changed.
 */
export type RegistryChange = {
  loadId: string;
  kind: 'licenses' | 'certifications' | 'nppes';
  jurisdiction: string | null;
  boardCode: string | null;
  personIds: string[] | null;
};

export type RegistryChangeListener = (change: RegistryChange) => void | Promise<void>;

const listeners = new Set<RegistryChangeListener>();

/** Registers a listener; returns the function that removes it. */
export function onRegistryChange(listener: RegistryChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Calls every listener; one listener's failure neither stops the others nor fails the load that changed the registry. */
export async function emitRegistryChange(change: RegistryChange): Promise<PromiseSettledResult<void>[]> {
  return Promise.allSettled([...listeners].map(async (listener) => listener(change)));
}
