import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/client.ts';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { creditLinesText, useVocabulary } from '../activities/vocabulary.tsx';
import { reportsApi, statusLabels, type LearnerReport, type LearnerReportListItem } from './reportsApi.ts';
import './reports.css';

const PAGE_SIZE = 100;
const filterKeys = ['activityId', 'status', 'search', 'late'] as const;
type Filter = Record<(typeof filterKeys)[number], string>;

export function ReportStatusTag({ report }: { report: Pick<LearnerReport, 'status' | 'deletedAt'> }) {
  if (report.deletedAt) return <span className="tag tag--muted">Deleted</span>;
  const tone = report.status === 'accepted' ? 'tag tag--ok' : report.status === 'rejected' ? 'tag tag--danger' : 'tag tag--muted';
  return <span className={tone}>{statusLabels[report.status]}</span>;
}

/**
 * What a report without a learner is called: a row the database would not store as sent (its values are on its page),
 * or a row whose learner could not be read.
 */
export function unnamedReport(report: Pick<LearnerReport, 'problems'>): string {
  return report.problems.some((problem) => problem.code === 'value_not_stored') ? 'Row not stored as sent' : 'Unreadable row';
}

/** Whether a report names none of the provider's activities (an ID mistyped, or none read): the one whose activity a correction gives. */
export function namesNoActivity(report: Pick<LearnerReport, 'activityId' | 'problems'>): boolean {
  return report.activityId === null || report.problems.some((problem) => problem.code === 'activity_not_found');
}

/** The roster of reported learners: by activity, status or name, with bulk deletion. */
export function ReportsPage() {
  const vocabulary = useVocabulary();
  const [searchParams, setSearchParams] = useSearchParams();
  const filter = Object.fromEntries(filterKeys.map((key) => [key, searchParams.get(key) ?? ''])) as Filter;
  const [draft, setDraft] = useState<Filter>(filter);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [deleting, setDeleting] = useState(false);
  const [outcome, setOutcome] = useState<string>();
  const [deleteError, setDeleteError] = useState<string>();

  const reports = useCursorList(
    (cursor, signal) => reportsApi.list({ ...filter, limit: PAGE_SIZE, cursor }, signal),
    [searchParams.toString()],
  );

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of filterKeys) if (draft[key].trim()) next.set(key, draft[key].trim());
    setSelected(new Set());
    setSearchParams(next);
  }

  function toggle(id: string) {
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  async function deleteSelected(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDeleting(true);
    setDeleteError(undefined);
    try {
      const result = await reportsApi.removeMany([...selected], reason.trim());
      setOutcome(`${result.deleted.toLocaleString()} ${result.deleted === 1 ? 'report' : 'reports'} deleted. The learners can be reported again.`);
      setSelected(new Set());
      setReason('');
      reports.reload();
    } catch (failure) {
      setDeleteError(errorMessage(failure));
    } finally {
      setDeleting(false);
    }
  }

  const columns: Column<LearnerReportListItem>[] = [
    {
      header: 'Select',
      render: (report) => (
        <input
          type="checkbox"
          aria-label={`Select the report of ${report.learner ? `${report.learner.firstName} ${report.learner.lastName}` : 'an unreadable row'}`}
          checked={selected.has(report.id)}
          onChange={() => toggle(report.id)}
        />
      ),
    },
    {
      header: 'Learner',
      rowHeader: true,
      render: (report) => (
        <Link to={`/reports/${report.id}`}>{report.learner ? `${report.learner.lastName}, ${report.learner.firstName}` : unnamedReport(report)}</Link>
      ),
    },
    {
      header: 'Activity',
      render: (report) =>
        report.activity ? (
          <>
            {report.activity.title} <span className="muted">({report.activity.providerActivityId})</span>
          </>
        ) : (
          <code>{report.activityId ?? '—'}</code>
        ),
    },
    { header: 'Completed', nowrap: true, render: (report) => formatDate(report.completionDate) },
    { header: 'Credits', render: (report) => creditLinesText(vocabulary.data, report.credits) },
    {
      header: 'Status',
      render: (report) => (
        <>
          <ReportStatusTag report={report} /> {report.late ? <span className="tag">Late</span> : null}
        </>
      ),
    },
    { header: 'To fix', render: (report) => (report.status === 'accepted' ? '' : (report.problems[0]?.message ?? '')) },
    { header: 'Reported', nowrap: true, render: (report) => formatDateTime(report.reportedAt) },
  ];

  const filtered = filterKeys.some((key) => filter[key]);
  const actions = (
    <>
      <Link className="button button--secondary" to="/reports/dashboard">
        Dashboard
      </Link>
      <Link className="button" to={filter.activityId ? `/reports/new?activityId=${filter.activityId}` : '/reports/new'}>
        Report a learner
      </Link>
    </>
  );

  return (
    <>
      <PageHeader title="Learner reports" subtitle="Every completion you reported, with its status and what to fix." actions={actions} />
      <form className="filter-bar" role="search" aria-label="Find learner reports" onSubmit={apply}>
        <TextField label="Activity ID" inputMode="numeric" value={draft.activityId} onChange={(event) => setDraft({ ...draft, activityId: event.target.value })} />
        <TextField label="Name, NPI or license" type="search" value={draft.search} onChange={(event) => setDraft({ ...draft, search: event.target.value })} />
        <SelectField
          label="Status"
          placeholder="Any status"
          options={Object.entries(statusLabels).map(([value, label]) => ({ value, label }))}
          value={draft.status}
          onChange={(event) => setDraft({ ...draft, status: event.target.value })}
        />
        <SelectField
          label="Timeliness"
          placeholder="Any"
          options={[
            { value: 'true', label: 'Late only' },
            { value: 'false', label: 'On time only' },
          ]}
          value={draft.late}
          onChange={(event) => setDraft({ ...draft, late: event.target.value })}
        />
        <div className="filter-bar__actions">
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </form>
      {outcome ? <StatusMessage>{outcome}</StatusMessage> : null}
      <ErrorBanner error={reports.error} />
      {selected.size > 0 ? (
        <form className="filter-bar report-selection" aria-label="Delete the selected reports" onSubmit={(event) => void deleteSelected(event)}>
          <TextField
            label={`Reason for deleting ${selected.size} ${selected.size === 1 ? 'report' : 'reports'}`}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            error={deleteError}
            required
            minLength={3}
          />
          <div className="filter-bar__actions">
            <button type="submit" className="button button--danger" disabled={deleting || reason.trim().length < 3}>
              {deleting ? 'Deleting…' : 'Delete selected'}
            </button>
          </div>
        </form>
      ) : null}
      {reports.loading ? (
        <Loading label="Loading learner reports…" />
      ) : (
        <>
          <DataTable
            caption="Learner reports"
            hideCaption
            columns={columns}
            rows={reports.items}
            rowKey={(report) => report.id}
            empty={
              reports.error ? null : filtered ? (
                <EmptyState title="No reports match">
                  <p>Try another activity, status or name.</p>
                </EmptyState>
              ) : (
                <EmptyState title="No learners reported yet" action={actions}>
                  <p>Report learners one by one here, upload a file of them, or send them from your systems by API.</p>
                </EmptyState>
              )
            }
          />
          <Pager shown={reports.items.length} hasMore={reports.hasMore} loadingMore={reports.loadingMore} onLoadMore={reports.loadMore} noun="reports" />
        </>
      )}
    </>
  );
}
