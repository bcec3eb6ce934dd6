import type { ReactNode } from 'react';
import type { UrlFilter } from './useUrlFilter.ts';

type FilterBarProps<K extends string> = {
  /** Names the search landmark, such as "Find activities". */
  label: string;
  filter: UrlFilter<K>;
  submitLabel?: string;
  /** The filter's fields. */
  children: ReactNode;
};

/** The search form above a list: its fields, the button that applies them, and Clear while a filter is set. */
export function FilterBar<K extends string>({ label, filter, submitLabel = 'Search', children }: FilterBarProps<K>) {
  return (
    <form className="filter-bar" role="search" aria-label={label} onSubmit={filter.apply}>
      {children}
      <div className="filter-bar__actions">
        <button type="submit" className="button">
          {submitLabel}
        </button>
        {filter.filtered ? (
          <button type="button" className="button button--secondary" onClick={filter.clear}>
            Clear
          </button>
        ) : null}
      </div>
    </form>
  );
}
