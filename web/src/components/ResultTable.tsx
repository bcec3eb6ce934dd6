import type { CursorList } from '../hooks/useCursorList.ts';
import { DataTable, type DataTableProps } from './DataTable.tsx';
import { ErrorBanner } from './ErrorBanner.tsx';
import { Loading } from './Loading.tsx';
import { Pager } from './Pager.tsx';

type ResultTableProps<T> = DataTableProps<T> & {
  error: unknown;
  /** True while there is nothing to show yet; rows already on screen stay while they reload. */
  loading: boolean;
  loadingLabel: string;
  /** Fields a filter form above shows its own errors for (see ErrorBanner). */
  errorFields?: readonly string[];
};

/** Loaded rows as a table: the failure if the load failed, "Loading…" until they arrive, then the table. */
export function ResultTable<T>({ error, loading, loadingLabel, errorFields, empty, ...table }: ResultTableProps<T>) {
  return (
    <>
      <ErrorBanner error={error} fields={errorFields} />
      {loading ? <Loading label={loadingLabel} /> : <DataTable {...table} empty={error ? null : empty} />}
    </>
  );
}

type CursorTableProps<T> = Omit<DataTableProps<T>, 'rows'> & {
  list: CursorList<T>;
  loadingLabel: string;
  /** What the rows are, for "Showing 50 activities". */
  noun: string;
  errorFields?: readonly string[];
};

/** A list read page by page (useCursorList) as a table, with "Load more" under it. */
export function CursorTable<T>({ list, noun, ...table }: CursorTableProps<T>) {
  return (
    <>
      <ResultTable {...table} rows={list.items} error={list.error} loading={list.loading} />
      {list.loading ? null : (
        <Pager
          shown={list.items.length}
          hasMore={list.hasMore}
          loadingMore={list.loadingMore}
          onLoadMore={list.loadMore}
          noun={noun}
        />
      )}
    </>
  );
}
