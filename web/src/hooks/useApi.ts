import { useCallback, useEffect, useState } from 'react';
import { isAborted } from '../api/client.ts';

export type ApiState<T> = {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again, keeping the current data on screen until the new answer arrives. */
  reload: () => void;
  setData: (data: T) => void;
};

/** Loads one resource when the component mounts and whenever `deps` change; stale answers are dropped. */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    load(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setData(result);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted || isAborted(failure)) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // `load` is rebuilt on every render; `deps` say when it really changed.
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, loading, reload, setData };
}
