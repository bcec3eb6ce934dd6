import { Link, useSearchParams } from 'react-router-dom';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDateTime, formatMonth } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { useMe } from '../../session/SessionContext.tsx';
import { reportsApi, type ProviderDashboard } from './reportsApi.ts';

type ActivityRow = ProviderDashboard['activities'][number];

/** A provider's reporting this month: totals, what is left to fix, and how timely reporting is. */
export function DashboardPage() {
  const me = useMe();
  const [searchParams, setSearchParams] = useSearchParams();
  const month = searchParams.get('month') ?? undefined;
  const organizationId = me.organization?.id ?? '';
  const dashboard = useApi((signal) => reportsApi.dashboard(organizationId, month, signal), [organizationId, month]);

  // The reports of one row of the table; rows with no activity ID cannot be listed by it, and are not links.
  const reportsLink = (row: ActivityRow, text: string, status?: 'pending' | 'rejected') =>
    row.activityId ? <Link to={`/reports?activityId=${encodeURIComponent(row.activityId)}${status ? `&status=${status}` : ''}`}>{text}</Link> : text;
  const columns: Column<ActivityRow>[] = [
    { header: 'Activity', rowHeader: true, render: (row) => reportsLink(row, row.title ?? row.activityId) },
    { header: 'Accepted', align: 'end', render: (row) => row.accepted.toLocaleString() },
    { header: 'Pending', align: 'end', render: (row) => (row.pending ? reportsLink(row, row.pending.toLocaleString(), 'pending') : 0) },
    { header: 'Rejected', align: 'end', render: (row) => (row.rejected ? reportsLink(row, row.rejected.toLocaleString(), 'rejected') : 0) },
    { header: 'Late', align: 'end', render: (row) => row.late.toLocaleString() },
    { header: 'Last reported', nowrap: true, render: (row) => formatDateTime(row.lastReportedAt) },
  ];

  const data = dashboard.data;
  return (
    <>
      <PageHeader title="Reporting dashboard" subtitle={me.organization?.name} />
      <form className="filter-bar" aria-label="Choose a month">
        <TextField
          label="Month"
          type="month"
          value={month ?? data?.month ?? ''}
          onChange={(event) => setSearchParams(event.target.value ? { month: event.target.value } : {})}
        />
      </form>
      <ErrorBanner error={dashboard.error} />
      {!data ? (
        dashboard.loading ? <Loading label="Loading the dashboard…" /> : null
      ) : (
        <>
          <dl className="details">
            <dt>Reported in {formatMonth(data.month)}</dt>
            <dd>
              {data.thisMonth.total.toLocaleString()} ({data.thisMonth.accepted.toLocaleString()} accepted, {data.thisMonth.pending.toLocaleString()} pending,{' '}
              {data.thisMonth.rejected.toLocaleString()} rejected)
            </dd>
            <dt>To fix now</dt>
            <dd>
              <Link to="/reports?status=pending">{data.toFix.pending.toLocaleString()} pending a match</Link> ·{' '}
              <Link to="/reports?status=rejected">{data.toFix.rejected.toLocaleString()} rejected</Link>
            </dd>
            <dt>Late this month</dt>
            <dd>
              <Link to="/reports?late=true">{data.thisMonth.late.toLocaleString()}</Link>
            </dd>
            <dt>Timeliness this year</dt>
            <dd>
              {data.timeliness.onTimeShare === null
                ? 'Nothing reported yet this year.'
                : `${Math.round(data.timeliness.onTimeShare * 100)}% reported within 30 days of completion (${data.timeliness.late.toLocaleString()} late of ${data.timeliness.reported.toLocaleString()}); half within ${data.timeliness.medianDaysToReport ?? '—'} days`}
            </dd>
          </dl>
          <DataTable
            caption={`Reports per activity, ${formatMonth(data.month)}`}
            columns={columns}
            rows={data.activities}
            rowKey={(row) => row.activityId}
            empty={
              <EmptyState title="Nothing reported this month">
                <p>Completions you report this month will be counted here, per activity.</p>
              </EmptyState>
            }
          />
        </>
      )}
    </>
  );
}
