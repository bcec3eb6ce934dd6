import { Link } from 'react-router-dom';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Figures } from '../../components/Figures.tsx';
import { Loaded } from '../../components/Loaded.tsx';
import { MessageList } from '../../components/MessageList.tsx';
import { Section } from '../../components/Section.tsx';
import { formatDateTime } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { rosterApi, type RosterLoad } from '../roster/rosterApi.ts';

export type RosterWords = {
  /** "licensee" or "diplomate" */
  person: string;
  /** What one row of the roster is: "license" or "certification". */
  row: string;
};

function loadFigures(load: RosterLoad, words: RosterWords) {
  return [
    { label: load.rowsRead === 1 ? 'row read' : 'rows read', value: load.rowsRead.toLocaleString() },
    { label: `new ${words.row}${load.created === 1 ? '' : 's'}`, value: load.created.toLocaleString() },
    { label: 'updated', value: load.updated.toLocaleString() },
    { label: 'unchanged', value: load.unchanged.toLocaleString() },
    { label: load.rejected > 0 ? 'rejected, see the receipt' : 'rejected', value: load.rejected.toLocaleString(), attention: load.rejected > 0 },
    ...(load.deactivated ? [{ label: 'no longer listed, now inactive', value: load.deactivated.toLocaleString() }] : []),
    ...(load.keptForRejectedRows
      ? [{ label: 'named by rejected rows, left as they were until corrected', value: load.keptForRejectedRows.toLocaleString(), attention: true }]
      : []),
  ];
}

function LoadResult({ load, boardId, words }: { load: RosterLoad; boardId: string; words: RosterWords }) {
  // A load that rejected no row has nothing to fix: its receipt is only a record of the rows.
  const receipt = (
    <p>
      {load.rejected > 0 ? 'Receipt, one line per row with what to fix:' : 'Receipt, one line per row:'}{' '}
      <a href={rosterApi.receiptUrl(boardId, load.id, 'xlsx')}>Excel (XLSX)</a> ·{' '}
      <a href={rosterApi.receiptUrl(boardId, load.id, 'csv')}>CSV</a>
    </p>
  );
  const file = load.fileName ?? 'The roster';
  if (load.status === 'running') return <p>{file}: still loading, started {formatDateTime(load.startedAt)}.</p>;
  if (load.status === 'failed') {
    return (
      <>
        <p>
          <span className="tag tag--danger">Stopped</span> {file}, {formatDateTime(load.finishedAt ?? load.startedAt)}: {load.failure}
        </p>
        <MessageList messages={load.notes} />
        {receipt}
      </>
    );
  }
  return (
    <>
      <p>
        <span className="tag tag--ok">Loaded</span> {file}, {formatDateTime(load.finishedAt ?? load.startedAt)}
        {load.fullRoster ? `, as the full list of your ${words.person}s` : null}.
      </p>
      <Figures label="Latest roster load" figures={loadFigures(load, words)} />
      <MessageList messages={load.notes} />
      {receipt}
    </>
  );
}

/** When the board last loaded its roster, and what came of it; the way to load one when none is loaded yet. */
export function LatestRosterLoad({ boardId, words }: { boardId: string; words: RosterWords }) {
  const loads = useApi((signal) => rosterApi.loads(boardId, signal), [boardId]);
  const latest = loads.data?.items[0];
  const loadLink = (
    <Link className="button" to="/board/roster">
      Load a roster
    </Link>
  );
  return (
    <Section title="Latest roster load" actions={latest ? <Link to="/board/roster">Load a roster</Link> : undefined}>
      <Loaded state={loads} loadingLabel="Loading your roster loads…">
        {({ items: [latest] }) =>
          latest ? (
            <LoadResult load={latest} boardId={boardId} words={words} />
          ) : (
            <EmptyState title="No roster loaded yet" action={loadLink}>
              <p>
                Load the list of your {words.person}s as a CSV or Excel file: one row per {words.row}, with the name,
                birth month and day and the NPI when you have it. The hub then links the credit providers report to your{' '}
                {words.person}s, and you see all of it here.
              </p>
            </EmptyState>
          )
        }
      </Loaded>
    </Section>
  );
}
