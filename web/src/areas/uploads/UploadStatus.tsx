import { isStoppedBySender, rowsToFixSaid } from '../../../../src/modules/uploads/upload-status.ts';
import type { Upload } from './uploadsApi.ts';

const labels: Record<Upload['status'], string> = {
  queued: 'Waiting',
  running: 'Taking rows in',
  finished: 'Done',
  failed: 'Stopped',
};

/** Whether the upload is still being taken in, or its withdrawal carried out: its figures still move. */
export function isInProgress(upload: Upload): boolean {
  return upload.status === 'queued' || upload.status === 'running' || upload.withdrawal?.status === 'withdrawing';
}

const percentDone = (upload: Upload) => Math.round(upload.progress * 100);

/** The browser tab's title of an upload's page: how far it has gone, for a coordinator working in another tab meanwhile. */
export function uploadTabTitle(upload: Upload): string {
  const name = upload.fileName ?? 'Upload';
  if (upload.status === 'running') return `${percentDone(upload)}% · ${name}`;
  return upload.status === 'finished' && !upload.withdrawal ? `Done · ${name}` : name;
}

/** Stopped on request is a warning (rows may be left to send); stopped by a failure, an error. */
const stoppedTone = (upload: Upload) => (isStoppedBySender(upload) ? 'tag tag--warning' : 'tag tag--danger');

/** A file taken in whole but with rows to fix is not all well: it says how many, in amber. */
function finishedTag(upload: Upload) {
  const toFix = rowsToFixSaid(upload);
  if (!toFix) return <span className="tag tag--ok">{labels.finished}</span>;
  return <span className="tag tag--warning">{`Done, ${toFix.count.toLocaleString()} ${toFix.words}`}</span>;
}

/**
 * The upload's status; `withProgress`, for a list without progress bars: how far a running one has gone, beside
 * the tag, where it may go under it in a narrow column.
 */
export function StatusTag({ upload, withProgress = false }: { upload: Upload; withProgress?: boolean }) {
  if (upload.withdrawal) return <span className="tag tag--muted">{upload.withdrawal.status === 'withdrawing' ? 'Being withdrawn' : 'Withdrawn'}</span>;
  if (upload.status === 'finished') return finishedTag(upload);
  return (
    <>
      <span className={upload.status === 'failed' ? stoppedTone(upload) : 'tag tag--muted'}>{labels[upload.status]}</span>
      {withProgress && upload.status === 'running' ? <span className="nowrap"> {percentDone(upload)}% done</span> : null}
    </>
  );
}

function waitingLabel(filesAhead: number | null): string {
  if (!filesAhead) return 'Waiting for its turn…';
  return `Waiting for its turn: ${filesAhead === 1 ? 'one file goes' : `${filesAhead.toLocaleString()} files go`} before it…`;
}

/** "about 3 minutes left", rounded as a person would say it. */
function timeLeftLabel(secondsLeft: number): string {
  if (secondsLeft < 45) return 'less than a minute left';
  const minutes = Math.round(secondsLeft / 60);
  if (minutes < 90) return `about ${minutes === 1 ? 'a minute' : `${minutes} minutes`} left`;
  return `about ${Math.round(minutes / 30) / 2} hours left`;
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

/** A tenth at a time: "30%" until it passes 40. */
const tenths = (done: number, inAll: number) => `${Math.floor((done / Math.max(1, inAll)) * 10) * 10}%`;

/**
 * What a screen reader says of the upload as it goes: each tenth of the way, then how it ended, with its
 * counts. The figures on screen change every second, far too often to be read out.
 */
export function progressAnnouncement(upload: Upload): string {
  const { withdrawal, rows } = upload;
  if (withdrawal?.status === 'withdrawing') {
    return `Being withdrawn: ${tenths(withdrawal.reports, withdrawal.reportsToDelete ?? rows.done - rows.duplicates)} of the reports deleted.`;
  }
  if (withdrawal) return `Withdrawn: ${plural(withdrawal.reports, 'report', 'reports')} deleted.`;
  if (upload.status === 'queued') return 'Waiting for its turn.';
  if (upload.status === 'running') return `Taking rows in: ${tenths(upload.progress, 1)} done.`;
  const outcome =
    `${plural(rows.done, 'row', 'rows')}: ${rows.accepted.toLocaleString()} accepted, ${rows.pending.toLocaleString()} pending, ` +
    `${rows.rejected.toLocaleString()} rejected, ${plural(rows.duplicates, 'duplicate', 'duplicates')}.`;
  if (upload.status === 'finished') return `Done. ${outcome}`;
  return `${isStoppedBySender(upload) ? 'Stopped' : 'The upload stopped'}. Taken in before it: ${outcome}`;
}

/** The live figures of an upload: a progress bar while it runs, and the row counts so far. */
export function UploadFigures({ upload }: { upload: Upload }) {
  const running = upload.status === 'queued' || upload.status === 'running';
  const percent = percentDone(upload);
  const counts = [
    ['Rows', upload.rows.done],
    ['Accepted', upload.rows.accepted],
    ['Pending', upload.rows.pending],
    ['Rejected', upload.rows.rejected],
    ['Duplicates', upload.rows.duplicates],
  ] as const;
  return (
    <>
      {running ? (
        <div className="upload-progress">
          <label htmlFor="upload-progress">
            {upload.status === 'queued' ? waitingLabel(upload.filesAhead) : `Taking rows in: ${percent}%`}
            {upload.estimatedRows ? ` (about ${upload.estimatedRows.toLocaleString()} rows in all)` : ''}
            {upload.secondsLeft ? `, ${timeLeftLabel(upload.secondsLeft)}` : ''}
          </label>
          <progress id="upload-progress" max={100} value={percent} />
        </div>
      ) : null}
      <p className="visually-hidden" role="status">
        {progressAnnouncement(upload)}
      </p>
      <ul className="upload-counts" aria-label="Rows so far">
        {counts.map(([label, value]) => (
          <li key={label}>
            <strong>{value.toLocaleString()}</strong> {label}
          </li>
        ))}
      </ul>
    </>
  );
}
