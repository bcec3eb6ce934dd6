type PagerProps = {
  shown: number;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** What the rows are, for "Showing 50 organizations"; regular English plurals ("entries", "reports"). */
  noun: string;
};

/** "entries" → "entry", "reports" → "report": the nouns the lists use. */
function singular(plural: string): string {
  return plural.endsWith('ies') ? `${plural.slice(0, -3)}y` : plural.replace(/s$/, '');
}

/** "Load more" paging over a cursor list, with the count announced as it grows. */
export function Pager({ shown, hasMore, loadingMore, onLoadMore, noun }: PagerProps) {
  if (shown === 0) return null;
  return (
    <div className="pager">
      <p className="pager__count" role="status">
        Showing {shown} {shown === 1 ? singular(noun) : noun}
        {hasMore ? '' : ' (all)'}
      </p>
      {hasMore ? (
        <button type="button" className="button button--secondary" onClick={onLoadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
