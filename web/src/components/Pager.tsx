type PagerProps = {
  shown: number;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** What the rows are, for "Showing 50 organizations"; regular English plurals ("entries", "reports"). */
  noun: string;
  /** How many there are in all, where the page knows it: "Showing 100 of 3,930 rows". */
  total?: number;
  /** More may come (a receipt while its upload runs): never "(all)". */
  growing?: boolean;
};

/** "entries" → "entry", "reports" → "report": the nouns the lists use. */
function singular(plural: string): string {
  return plural.endsWith('ies') ? `${plural.slice(0, -3)}y` : plural.replace(/s$/, '');
}

function countLabel({ shown, hasMore, noun, total, growing }: PagerProps): string {
  if (total === undefined || (total <= shown && !hasMore)) {
    return `Showing ${shown.toLocaleString()} ${shown === 1 ? singular(noun) : noun}${hasMore || growing ? '' : ' (all)'}`;
  }
  return `Showing ${shown.toLocaleString()} of ${total.toLocaleString()} ${total === 1 ? singular(noun) : noun}`;
}

/** "Load more" paging over a cursor list, with the count announced as it grows. */
export function Pager(props: PagerProps) {
  const { shown, hasMore, loadingMore, onLoadMore } = props;
  if (shown === 0) return null;
  return (
    <div className="pager">
      {/* While the list grows (a receipt filling in) its count changes every second: read out, it would drown the rest. */}
      <p className="pager__count" role={props.growing ? undefined : 'status'}>
        {countLabel(props)}
      </p>
      {hasMore ? (
        <button type="button" className="button button--secondary" onClick={onLoadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
