import { Link } from 'react-router-dom';
import { auditLogApi } from '../../api/audit-log.ts';
import { ApiError } from '../../api/client.ts';
import type { AuditEntry, AuditLogFilter } from '../../api/types.ts';
import type { Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { TextField } from '../../components/Field.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CursorTable } from '../../components/ResultTable.tsx';
import { useUrlFilter } from '../../components/useUrlFilter.ts';
import { formatDateTime } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';

const PAGE_SIZE = 100;

const filterKeys = ['action', 'entityType', 'entityId', 'actorId', 'from', 'to'] as const;
type FilterKey = (typeof filterKeys)[number];

const actorTypeLabels: Record<AuditEntry['actorType'], string> = {
  user: 'User',
  api_key: 'API key',
  system: 'System',
};

/** Dates are picked as local calendar days; the hub filters on instants, so the day is widened to its bounds. */
function toApiFilter(filter: Record<FilterKey, string>): AuditLogFilter {
  return {
    action: filter.action || undefined,
    entityType: filter.entityType || undefined,
    entityId: filter.entityId || undefined,
    actorId: filter.actorId || undefined,
    from: filter.from ? new Date(`${filter.from}T00:00:00`).toISOString() : undefined,
    to: filter.to ? new Date(`${filter.to}T23:59:59.999`).toISOString() : undefined,
  };
}

export function AuditLogPage() {
  const filter = useUrlFilter(filterKeys);
  const entries = useCursorList(
    (cursor, signal) => auditLogApi.list({ ...toApiFilter(filter.applied), limit: PAGE_SIZE, cursor }, signal),
    [filter.key],
  );

  const filterErrors: Record<string, string> = entries.error instanceof ApiError ? entries.error.fieldErrors() : {};
  const fieldFor = (key: FilterKey) => ({ ...filter.field(key), error: filterErrors[key] });

  const columns: Column<AuditEntry>[] = [
    { header: 'When', nowrap: true, render: (entry) => <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time> },
    {
      header: 'Who',
      render: (entry) => (
        <>
          <span className="muted">{actorTypeLabels[entry.actorType] ?? entry.actorType}: </span>
          {entry.actorId ? (
            <Link to={filter.linkWith('actorId', entry.actorId)} title="Show only this actor">
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
        <Link to={filter.linkWith('action', entry.action)} title="Show only this action">
          <code>{entry.action}</code>
        </Link>
      ),
    },
    {
      header: 'Record',
      render: (entry) => (
        <>
          <Link to={filter.linkWith('entityType', entry.entityType)} title="Show only this kind of record">
            {entry.entityType}
          </Link>
          {entry.entityId ? (
            <>
              {' '}
              <Link
                className="code-link"
                to={filter.linkWith('entityId', entry.entityId)}
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
      <FilterBar label="Filter the audit log" filter={filter} submitLabel="Filter">
        <TextField label="Action" placeholder="organization.create" {...fieldFor('action')} />
        <TextField label="Record type" placeholder="organization" {...fieldFor('entityType')} />
        <TextField label="Record ID" {...fieldFor('entityId')} />
        <TextField label="Actor ID" {...fieldFor('actorId')} />
        <TextField label="From" type="date" {...fieldFor('from')} />
        <TextField label="To" type="date" {...fieldFor('to')} />
      </FilterBar>
      <CursorTable
        caption="Audit log entries"
        hideCaption
        columns={columns}
        list={entries}
        rowKey={(entry) => entry.id}
        loadingLabel="Loading the audit log…"
        noun="entries"
        errorFields={filterKeys}
        empty={
          <EmptyState title={filter.filtered ? 'No entries match' : 'No entries yet'}>
            <p>
              {filter.filtered
                ? 'Widen the dates or clear a filter.'
                : 'Sign-ins, changes and reads of personal records will appear here as they happen.'}
            </p>
          </EmptyState>
        }
      />
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
