import type { ReactNode, Ref } from 'react';

export type Column<T> = {
  header: string;
  render: (row: T) => ReactNode;
  /** Right-aligns numbers and dates so they line up. */
  align?: 'start' | 'end';
  /** The column that names the row; read out as the row header. */
  rowHeader?: boolean;
  /** Keeps short values such as dates on one line. */
  nowrap?: boolean;
};

function cellClass<T>(column: Column<T>): string | undefined {
  const classes = [column.align === 'end' ? 'align-end' : '', column.nowrap ? 'nowrap' : ''].filter(Boolean);
  return classes.length > 0 ? classes.join(' ') : undefined;
}

export type DataTableProps<T> = {
  caption: string;
  /** Hides the caption visually while keeping it for screen readers (the page heading already says it). */
  hideCaption?: boolean;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
  /**
   * On a phone, each row becomes a block of "header: value" lines instead of a table wider than the screen:
   * for tables whose every column matters.
   */
  stackOnNarrow?: boolean;
  /** The table's region, for a page that brings rows into view and gives them the focus. */
  ref?: Ref<HTMLDivElement>;
};

export function DataTable<T>({ caption, hideCaption, columns, rows, rowKey, empty, stackOnNarrow, ref }: DataTableProps<T>) {
  if (rows.length === 0) return <>{empty}</>;
  return (
    // The wrapper scrolls sideways on narrow screens; it is focusable so keyboard users can scroll it too.
    <div ref={ref} className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className={stackOnNarrow ? 'data-table data-table--stacked' : 'data-table'}>
        <caption className={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={cellClass(column)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => {
                const className = cellClass(column);
                // The header again beside each value, shown only where the rows are stacked.
                const label = stackOnNarrow ? column.header : undefined;
                return column.rowHeader ? (
                  <th key={column.header} scope="row" className={className} data-label={label}>
                    {column.render(row)}
                  </th>
                ) : (
                  <td key={column.header} className={className} data-label={label}>
                    {column.render(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
