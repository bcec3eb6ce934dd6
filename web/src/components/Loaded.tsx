import type { ReactNode } from 'react';
import { ErrorBanner } from './ErrorBanner.tsx';
import { Loading } from './Loading.tsx';

type LoadedProps<T> = {
  /** A useApi result, or anything with its data and error. */
  state: { data: T | undefined; error: unknown };
  loadingLabel: string;
  children: (data: T) => ReactNode;
};

/** One loaded resource: the failure if it failed, "Loading…" until it arrives, then what the page makes of it. */
export function Loaded<T>({ state, loadingLabel, children }: LoadedProps<T>) {
  return (
    <>
      <ErrorBanner error={state.error} />
      {state.data !== undefined ? children(state.data) : state.error ? null : <Loading label={loadingLabel} />}
    </>
  );
}
