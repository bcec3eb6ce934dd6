import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { formatDate } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useMe } from '../../session/SessionContext.tsx';
import { reportsApi, type PersonCredit } from './reportsApi.ts';

const filterKeys = ['personId', 'since', 'until'] as const;
type Filter = Record<(typeof filterKeys)[number], string>;

/** Every credit reported for the board's licensees, whichever state the provider named. */
export function BoardCreditsPage() {
  const me = useMe();
  const [searchParams, setSearchParams] = useSearchParams();
  const filter = Object.fromEntries(filterKeys.map((key) => [key, searchParams.get(key) ?? ''])) as Filter;
  const [draft, setDraft] = useState<Filter>(filter);
  const boardId = me.organization?.id ?? '';
  const credits = useCursorList(
    (cursor, signal) => reportsApi.boardCredits(boardId, { ...filter, limit: 200, cursor }, signal),
    [boardId, searchParams.toString()],
  );

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of filterKeys) if (draft[key].trim()) next.set(key, draft[key].trim());
    setSearchParams(next);
  }

  const columns: Column<PersonCredit>[] = [
    { header: 'Completed', nowrap: true, rowHeader: true, render: (credit) => formatDate(credit.completionDate) },
    {
      header: 'Physician',
      render: (credit) => (
        <Link to={`?personId=${credit.personId}`} title="Show only this physician’s credits">
          {credit.personName ?? credit.personId}
        </Link>
      ),
    },
    { header: 'Activity', render: (credit) => credit.activityTitle ?? credit.activityId },
    { header: 'Provider', render: (credit) => credit.providerName ?? '—' },
    { header: 'Credit type', render: (credit) => credit.creditType },
    { header: 'Credits', align: 'end', render: (credit) => credit.amount },
  ];

  const isCertifying = me.organization?.kind === 'certifying_board';
  return (
    <>
      <PageHeader
        title={isCertifying ? 'MOC credit reported' : 'Licensee credits'}
        subtitle={
          isCertifying
            ? 'Every MOC credit providers reported for your board.'
            : 'Every credit reported for the physicians you license, whichever state the provider named.'
        }
      />
      <form className="filter-bar" role="search" aria-label="Filter credits" onSubmit={apply}>
        <TextField label="Physician (person ID)" value={draft.personId} onChange={(event) => setDraft({ ...draft, personId: event.target.value })} />
        <TextField label="Completed from" type="date" value={draft.since} onChange={(event) => setDraft({ ...draft, since: event.target.value })} />
        <TextField label="Completed to" type="date" value={draft.until} onChange={(event) => setDraft({ ...draft, until: event.target.value })} />
        <div className="filter-bar__actions">
          <button type="submit" className="button">
            Show
          </button>
        </div>
      </form>
      <ErrorBanner error={credits.error} />
      {credits.loading ? (
        <Loading label="Loading credits…" />
      ) : (
        <>
          <DataTable
            caption="Credits"
            hideCaption
            columns={columns}
            rows={credits.items}
            rowKey={(credit) => `${credit.reportId}-${credit.creditType}`}
            empty={
              credits.error ? null : (
                <EmptyState title="No credits to show">
                  <p>Credits appear here as soon as a provider’s report for one of your licensees is accepted.</p>
                </EmptyState>
              )
            }
          />
          <Pager shown={credits.items.length} hasMore={credits.hasMore} loadingMore={credits.loadingMore} onLoadMore={credits.loadMore} noun="credit lines" />
        </>
      )}
    </>
  );
}
