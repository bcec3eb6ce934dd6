import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { auditLogApi } from '../../api/audit-log.ts';
import { ApiError } from '../../api/client.ts';
import type { AuditEntry, AuditLogFilter } from '../../api/types.ts';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { formatDateTime } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';

const PAGE_SIZE = 100;

const filterKeys = ['action', 'entityType', 'entityId', 'actorId', 'from', 'to'] as const;
type FilterKey = (typeof filterKeys)[number];
type FilterDraft = Record<FilterKey, string>;

const actorTypeLabels: Record<AuditEntry['actorType'], string> = {
  user: 'User',
  api_key: 'API key',
  system: 'System',
};

function readFilter(params: URLSearchParams): FilterDraft {
  return Object.fromEntries(filterKeys.map((key) => [key, params.get(key) ?? ''])) as FilterDraft;
}

/** Dates are picked as local calendar days; the hub filters on instants, so the day is widened to its bounds. */
function toApiFilter(filter: FilterDraft): AuditLogFilter {
  return {
    action: filter.action || undefined,
    entityType: filter.entityType || undefined,
    entityId: filter.entityId || undefined,
    actorId: filter.actorId || undefined,
    from: filter.from ? new Date(`${filter.from}T00:00:00`).toISOString() : undefined,
    to: filter.to ? new Date(`${filter.to}T23:59:59.999`).toISOString() : undefined,
  };
}

function filterLink(params: URLSearchParams, key: FilterKey, value: string): string {
  const next = new URLSearchParams(params);
  next.set(key, value);
  return `?${next.toString()}`;
}

export function AuditLogPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filter = readFilter(searchParams);
  const filterKey = searchParams.toString();
  const [draft, setDraft] = useState<FilterDraft>(filter);
  const [draftFor, setDraftFor] = useState(filterKey);

  // Links in the table change the address; the form follows.
  if (draftFor !== filterKey) {
    setDraftFor(filterKey);
    setDraft(filter);
  }

  const entries = useCursorList(
    (cursor, signal) => auditLogApi.list({ ...toApiFilter(filter), limit: PAGE_SIZE, cursor }, signal),
    [filterKey],
  );

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of filterKeys) if (draft[key].trim()) next.set(key, draft[key].trim());
    setSearchParams(next);
  }

  const filtered = filterKeys.some((key) => filter[key]);
  const filterErrors: Record<string, string> = entries.error instanceof ApiError ? entries.error.fieldErrors() : {};
  const fieldFor = (key: FilterKey) => ({
    value: draft[key],
    error: filterErrors[key],
    onChange: (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [key]: event.target.value })),
  });

  const columns: Column<AuditEntry>[] = [
    { header: 'When', nowrap: true, render: (entry) => <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time> },
    {
      header: 'Who',
      render: (entry) => (
        <>
          <span className="muted">{actorTypeLabels[entry.actorType] ?? entry.actorType}: </span>
          {entry.actorId ? (
            <Link to={filterLink(searchParams, 'actorId', entry.actorId)} title="Show only this actor">
              {entry.actorLabel ?? entry.actorId}
            </Link>
          ) : (
            (entry.actorLabel ?? '—')
          )}
        </>
      ),
    },
    {
      header: 'Action',
      rowHeader: true,
      render: (entry) => (
        <Link to={filterLink(searchParams, 'action', entry.action)} title="Show only this action">
          <code>{entry.action}</code>
        </Link>
      ),
    },
    {
      header: 'Record',
      render: (entry) => (
        <>
          <Link to={filterLink(searchParams, 'entityType', entry.entityType)} title="Show only this kind of record">
            {entry.entityType}
          </Link>
          {entry.entityId ? (
            <>
              {' '}
              <Link
                className="code-link"
                to={filterLink(searchParams, 'entityId', entry.entityId)}
                title="Show only this record"
              >
                {entry.entityId}
              </Link>
            </>
          ) : null}
        </>
      ),
    },
    { header: 'Details', render: (entry) => <AuditDetails details={entry.details} /> },
    { header: 'Request', render: (entry) => (entry.requestId ? <code>{entry.requestId}</code> : '—') },
  ];

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change and every read of a person’s record, newest first."
      />
      <form className="filter-bar" role="search" aria-label="Filter the audit log" onSubmit={apply}>
        <TextField label="Action" placeholder="organization.create" {...fieldFor('action')} />
        <TextField label="Record type" placeholder="organization" {...fieldFor('entityType')} />
        <TextField label="Record ID" {...fieldFor('entityId')} />
        <TextField label="Actor ID" {...fieldFor('actorId')} />
        <TextField label="From" type="date" {...fieldFor('from')} />
        <TextField label="To" type="date" {...fieldFor('to')} />
        <div className="filter-bar__actions">
          <button type="submit" className="button">
            Filter
          </button>
          {filtered ? (
            <button type="button" className="button button--secondary" onClick={() => setSearchParams(new URLSearchParams())}>
              Clear
            </button>
          ) : null}
        </div>
      </form>
      <ErrorBanner error={entries.error} fields={filterKeys} />
      {entries.loading ? (
        <Loading label="Loading the audit log…" />
      ) : (
        <>
          <DataTable
            caption="Audit log entries"
            hideCaption
            columns={columns}
            rows={entries.items}
            rowKey={(entry) => entry.id}
            empty={
              entries.error ? null : (
                <EmptyState title={filtered ? 'No entries match' : 'No entries yet'}>
                  <p>
                    {filtered
                      ? 'Widen the dates or clear a filter.'
                      : 'Sign-ins, changes and reads of personal records will appear here as they happen.'}
                  </p>
                </EmptyState>
              )
            }
          />
          <Pager
            shown={entries.items.length}
            hasMore={entries.hasMore}
            loadingMore={entries.loadingMore}
            onLoadMore={entries.loadMore}
            noun="entries"
          />
        </>
      )}
    </>
  );
}

function AuditDetails({ details }: { details: AuditEntry['details'] }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return <>—</>;
  return (
    <ul className="plain-list">
      {entries.map(([key, value]) => (
        <li key={key}>
          <span className="muted">{key}:</span> {typeof value === 'string' ? value : JSON.stringify(value)}
        </li>
      ))}
    </ul>
  );
}
