import { Fragment, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { errorMessage } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime, rowWords } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { activitiesApi } from '../activities/activitiesApi.ts';
import { creditLinesText, useVocabulary } from '../activities/vocabulary.tsx';
import { namesNoActivity, ReportStatusTag, unnamedReport } from './ReportsPage.tsx';
import { reportsApi, type HistoryEntry, type ReportStatus, type SentIn } from './reportsApi.ts';

const actionLabels: Record<HistoryEntry['action'], string> = {
  reported: 'Reported',
  corrected: 'Corrected',
  deleted: 'Deleted',
  matched: 'Matched to a physician',
  rejected_as_duplicate: 'Refused as a repeat of another report',
  restored: 'To fix again: its correction was withdrawn',
};

/** What deleting a report does: only an accepted one has reached the physician's passport and the boards. */
const deletionWords: Record<ReportStatus, string> = {
  accepted: 'The credit leaves the physician’s passport and the boards.',
  pending: 'A pending report is matched to no physician yet, so it reached no passport and no board: deleting it stops it from being matched or claimed later.',
  rejected: 'A rejected report reached no physician’s passport and no board: deleting it takes it off the reports to fix.',
};

/** The row of the upload a report was sent in, named by the upload's file. */
function SentInUpload({ sentIn: { uploadId, fileName, rowNumber, sheet } }: { sentIn: SentIn }) {
  const row = rowNumber === null ? null : rowWords(rowNumber, sheet);
  const file = fileName ?? 'an upload';
  return <Link to={`/uploads/${uploadId}`}>{row ? `${row.charAt(0).toUpperCase()}${row.slice(1)} of ${file}` : (fileName ?? 'An upload')}</Link>;
}

/** One report: what was reported, its status and problems, and its full history. */
export function ReportDetailPage() {
  const { reportId = '' } = useParams();
  const report = useApi((signal) => reportsApi.get(reportId, signal), [reportId]);
  const vocabulary = useVocabulary();
  const activityId = report.data && !namesNoActivity(report.data) ? report.data.activityId : null;
  // Named as the coordinator knows it: its title and their own ID; the hub ID until it is read, or if it cannot be.
  const activity = useApi((signal) => (activityId ? activitiesApi.get(activityId, signal) : Promise.resolve(null)), [activityId]);
  const [reason, setReason] = useState('');
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();

  async function remove(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDeleting(true);
    setDeleteError(undefined);
    try {
      await reportsApi.remove(reportId, reason.trim());
      setReason('');
      report.reload();
    } catch (failure) {
      setDeleteError(errorMessage(failure));
    } finally {
      setDeleting(false);
    }
  }

  if (report.loading && !report.data) return <Loading label="Loading the report…" />;
  const data = report.data;
  if (!data) return <ErrorBanner error={report.error} />;
  const learner = data.learner;
  const name = learner ? `${learner.firstName} ${learner.lastName}` : unnamedReport(data);

  return (
    <>
      <PageHeader
        title={name}
        subtitle={
          <>
            {data.activityId && namesNoActivity(data) ? (
              `Activity “${data.activityId}”, none of yours`
            ) : data.activityId ? (
              <Link to={`/activities/${data.activityId}`}>{activity.data ? `${activity.data.title} (${activity.data.providerActivityId})` : `Activity ${data.activityId}`}</Link>
            ) : (
              'No activity'
            )}
            {/* A report whose date could not be read says so under what to fix. */}
            {data.completionDate ? ` · completed ${formatDate(data.completionDate)}` : null}
          </>
        }
        actions={
          data.deletedAt ? null : (
            <Link className="button" to={`/reports/${data.id}/edit`}>
              Correct
            </Link>
          )
        }
      />
      <ErrorBanner error={report.error} />
      <dl className="details">
        <dt>Status</dt>
        <dd>
          <ReportStatusTag report={data} /> {data.late ? <span className="tag">Late</span> : null}
        </dd>
        {learner ? (
          <>
            <dt>Birth month and day</dt>
            <dd>
              {learner.birthMonth}/{learner.birthDay}
            </dd>
            <dt>Identifiers</dt>
            <dd>
              {[
                learner.state && learner.licenseNumber ? `${learner.state} license ${learner.licenseNumber}` : null,
                learner.npi ? `NPI ${learner.npi}` : null,
                learner.board && learner.boardId ? `${learner.board} ${learner.boardId}` : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </dd>
          </>
        ) : null}
        <dt>Credits</dt>
        <dd>{creditLinesText(vocabulary.data, data.credits) || '—'}</dd>
        <dt>Consent</dt>
        <dd>{data.consent ?? 'Not given'}</dd>
        <dt>Your credit ID</dt>
        <dd>{data.creditId ?? '—'}</dd>
        {data.sentIn ? (
          <>
            <dt>Sent in</dt>
            <dd>
              <SentInUpload sentIn={data.sentIn} />
            </dd>
          </>
        ) : null}
        {data.deletedAt ? (
          <>
            <dt>Deleted</dt>
            <dd>
              {/* The upload that corrected it is a link here: its id, which the reason names for every client, is left out. */}
              {formatDateTime(data.deletedAt)} by {data.deletedBy}: {data.correctedByUploadId ? data.deleteReason?.replace(/ \(upload [0-9a-f-]{36}\)$/, '') : data.deleteReason}
              {data.correctedByUploadId ? (
                <>
                  {' '}
                  <Link to={`/uploads/${data.correctedByUploadId}`}>Open the upload that corrected it</Link>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {data.problems.length > 0 ? (
        <section className="section" aria-labelledby="report-problems">
          {/* A report deleted, or corrected by a later upload, has nothing left to fix: what it said is what was wrong. */}
          <h2 id="report-problems">{data.status === 'accepted' ? 'Notes' : data.deletedAt ? 'What was wrong' : 'What to fix'}</h2>
          <ul>
            {data.problems.map((problem, index) => (
              <li key={`${problem.code}-${index}`}>{problem.message}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.sentIn?.valuesAsSent?.length ? (
        <section className="section" aria-labelledby="report-as-sent">
          <h2 id="report-as-sent">As the file gave it</h2>
          <p>The row as it was sent: what could not be read is not among the report's values above. Correct starts from these values where the report has none.</p>
          <dl className="details">
            {data.sentIn.valuesAsSent.map(({ column, value }) => (
              <Fragment key={column}>
                <dt>{column}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
      ) : null}
      <section className="section" aria-labelledby="report-history">
        <h2 id="report-history">History</h2>
        <ol className="plain-list">
          {data.history.map((entry, index) => (
            <li key={index}>
              <strong>{actionLabels[entry.action]}</strong> {formatDateTime(entry.occurredAt)} by {entry.actor}
              {entry.reason ? <> — “{entry.reason}”</> : null}
              {entry.after && Object.keys(entry.after).length > 0 && entry.action === 'corrected' ? (
                <ul>
                  {Object.keys(entry.after).map((field) => (
                    <li key={field}>
                      {field}: {describeValue(entry.before?.[field])} → {describeValue(entry.after?.[field])}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
      {data.deletedAt ? null : (
        <section className="section" aria-labelledby="report-delete">
          <h2 id="report-delete">Delete this report</h2>
          <p>{deletionWords[data.status]} The report and its history are kept, and the learner can be reported again.</p>
          <form className="form form--narrow" onSubmit={(event) => void remove(event)}>
            <TextField label="Reason" value={reason} onChange={(event) => setReason(event.target.value)} error={deleteError} required minLength={3} />
            <div className="form__actions">
              <button type="submit" className="button button--danger" disabled={deleting || reason.trim().length < 3}>
                {deleting ? 'Deleting…' : 'Delete the report'}
              </button>
            </div>
          </form>
        </section>
      )}
    </>
  );
}

/** A changed value as a coordinator reads it: credit lines as "1.5 AMA_PRA_CAT1", nothing as "—". */
function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) {
    return value.map((item) => (item && typeof item === 'object' && 'type' in item ? `${(item as { amount: number }).amount} ${(item as { type: string }).type}` : String(item))).join(', ');
  }
  return String(value);
}
