import { useCallback, useEffect, useRef, useState } from 'react';
import { isAborted } from '../api/client.ts';
import type { Page } from '../api/types.ts';

export type CursorList<T> = {
  items: T[];
  error: unknown;
  /** True while the first page for the current filter loads. */
  loading: boolean;
  /** True while a further page loads. */
  loadingMore: boolean;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /**
   * Reads the last page read again, for a list that grows at its end (a receipt while its upload runs): the
   * rows on screen stay, new ones are added under them.
   */
  refreshLastPage: () => void;
};

/**
 * A list read page by page with `?cursor=`: the first page loads when `deps` change (a new filter starts
 * over), further pages are appended by `loadMore`.
 */
export function useCursorList<T>(
  loadPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  deps: readonly unknown[],
): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [generation, setGeneration] = useState(0);
  const controllerRef = useRef<AbortController | null>(null);
  // The cursor the last page was read with, and how many rows came before it.
  const [lastPage, setLastPage] = useState<{ cursor: string | undefined; start: number }>({ cursor: undefined, start: 0 });
  const refreshing = useRef(false);
  const loadPageRef = useRef(loadPage);
  loadPageRef.current = loadPage;

  useEffect(() => {
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoading(true);
    setLoadingMore(false);
    setError(undefined);
    loadPageRef.current(undefined, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLastPage({ cursor: undefined, start: 0 });
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted || isAborted(failure)) return;
        setItems([]);
        setNextCursor(null);
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const loadMore = useCallback(() => {
    const controller = controllerRef.current;
    if (!controller || !nextCursor || loadingMore || refreshing.current) return;
    setLoadingMore(true);
    setError(undefined);
    const start = items.length;
    loadPageRef.current(nextCursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems((previous) => [...previous, ...page.items]);
        setNextCursor(page.nextCursor);
        setLastPage({ cursor: nextCursor, start });
        setLoadingMore(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted || isAborted(failure)) return;
        setError(failure);
        setLoadingMore(false);
      },
    );
  }, [nextCursor, loadingMore, items.length]);

  const refreshLastPage = useCallback(() => {
    const controller = controllerRef.current;
    if (!controller || loading || loadingMore || refreshing.current) return;
    refreshing.current = true;
    loadPageRef.current(lastPage.cursor, controller.signal)
      .then(
        (page) => {
          if (controller.signal.aborted) return;
          setItems((previous) => [...previous.slice(0, lastPage.start), ...page.items]);
          setNextCursor(page.nextCursor);
        },
        // The rows on screen stay; the next refresh tries again.
        () => undefined,
      )
      .finally(() => {
        refreshing.current = false;
      });
  }, [loading, loadingMore, lastPage]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  return { items, error, loading, loadingMore, hasMore: nextCursor !== null, loadMore, reload, refreshLastPage };
}
