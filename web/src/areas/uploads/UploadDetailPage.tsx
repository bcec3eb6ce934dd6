import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { isIsoDate } from '../../../../src/modules/activities/dates.ts';
import { isStoppedBySender } from '../../../../src/modules/uploads/upload-status.ts';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { DownloadLink } from '../../components/DownloadLink.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { Loading } from '../../components/Loading.tsx';
import { MessageList } from '../../components/MessageList.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { formatDate, formatDateTime, rowWords, withLocalTimes } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { activitiesApi } from '../activities/activitiesApi.ts';
import { RowProblems } from './RowProblems.tsx';
import { WithdrawUpload } from './WithdrawUpload.tsx';
import { isInProgress, StatusTag, UploadFigures, uploadTabTitle } from './UploadStatus.tsx';
import { receiptLinesInAll, uploadsApi, type ColumnsRead, type DateOrder, type EarlierUpload, type HeadingRead, type NoLongerToFix, type Problem, type ReceiptFilter, type ReceiptLine, type RowProblem, type Upload } from './uploadsApi.ts';
import './uploads.css';

const pollMs = 1000;
/** While the upload runs, the receipt is read again at most this often, as rows are taken in. */
const receiptRefreshMs = 3000;

const statusLabels: Record<ReceiptLine['status'], string> = { accepted: 'Accepted', pending: 'Pending', rejected: 'Rejected' };

/**
 * A row repeating a report another upload took in. The hub's message names that upload by its id, for a script;
 * here it links to that upload's page, named as its sender knows it: the file, and the day it was sent.
 */
function RepeatOfEarlierUpload({ line, earlier }: { line: ReceiptLine; earlier: EarlierUpload }) {
  const row = earlier.rowNumber === null ? '' : `${rowWords(earlier.rowNumber, earlier.sheet)} of `;
  const uploaded = formatDate(earlier.createdAt);
  const upload = <Link to={`/uploads/${earlier.id}`}>{earlier.fileName ? `${earlier.fileName}, uploaded ${uploaded}` : `the file uploaded ${uploaded}`}</Link>;
  if (line.status === 'rejected' && earlier.correctedBy) {
    const corrector = <Link to={`/uploads/${earlier.correctedBy.id}`}>{earlier.correctedBy.fileName ?? 'a later file'}</Link>;
    return (
      <>
        This row was sent before, by {row}
        {upload}, and rejected, then corrected by {corrector}: it is not counted again. Correct it in your own file too, so that it is not sent again as it was.
      </>
    );
  }
  return line.status === 'rejected' ? (
    <>This row was sent before, by {row}{upload}, and rejected: its rejected report is still to fix, and is not counted again.</>
  ) : (
    <>This completion was already reported, by {row}{upload}; it is not counted again.</>
  );
}

function ProblemOfLine({ line, problem }: { line: ReceiptLine; problem: Problem }) {
  return problem.code === 'already_on_file' && line.earlierUpload ? <RepeatOfEarlierUpload line={line} earlier={line.earlierUpload} /> : <>{withLocalTimes(problem.message)}</>;
}

/** What a repeat repeats, as its problem says: a row above it in this file, or a report on file already (sent by another file, the API or the form). */
function repeatWords(line: ReceiptLine): string {
  if (line.problems.some((problem) => problem.code === 'duplicate_row')) return 'a repeat of a row above';
  if (line.problems.some((problem) => problem.code === 'already_on_file')) return 'a repeat of a report on file';
  return 'a repeat, counted once';
}

/** What became of a rejected row's report since: corrected (by a later upload, which it links to), or deleted. */
function SinceRejected({ since }: { since: NoLongerToFix }) {
  if (since.because === 'deleted') return <>deleted</>;
  if (!since.correctedBy) return <>corrected since</>;
  return (
    <>
      corrected since by <Link to={`/uploads/${since.correctedBy.id}`}>{since.correctedBy.fileName ?? 'a later file'}</Link>
    </>
  );
}

/** What qualifies a line's status, each in words, as the legend under the receipt says them. */
function lineQualifiers(line: ReceiptLine): { kind: string; words: ReactNode }[] {
  return [
    line.noLongerToFix ? { kind: 'since', words: <SinceRejected since={line.noLongerToFix} /> } : null,
    line.duplicate ? { kind: 'repeat', words: repeatWords(line) } : null,
    line.late ? { kind: 'late', words: 'reported more than 30 days after completion' } : null,
  ].filter((qualifier) => qualifier !== null);
}

/** Whom a line is of, and the activity and date under it, as the row gave them: what tells the lines apart. */
function LineLearner({ line }: { line: ReceiptLine }) {
  // A rejected row's date may be as it was written ("11/31/2026", "2026-02-30"), which is shown so, not read again here.
  const date = line.completionDate && isIsoDate(line.completionDate) ? formatDate(line.completionDate) : line.completionDate;
  const activityAndDate = [line.activity, date].filter(Boolean).join(' · ');
  return (
    <>
      {line.learner ?? '—'}
      {activityAndDate ? <div className="muted">{activityAndDate}</div> : null}
    </>
  );
}

/** The receipt's columns; the row's sheet first, for a workbook whose rows were read from several. */
const receiptColumns = (severalSheets: boolean): Column<ReceiptLine>[] => [
  ...(severalSheets ? [{ header: 'Sheet', rowHeader: true, render: (line: ReceiptLine) => line.sheet }] : []),
  { header: 'Row', align: 'end', rowHeader: !severalSheets, render: (line) => line.rowNumber },
  { header: 'Learner', render: (line) => <LineLearner line={line} /> },
  { header: 'Reference', render: (line) => line.reference ?? '—' },
  {
    header: 'Result',
    render: (line) => (
      <>
        {/* A rejected row corrected since is no longer shown as one to fix. */}
        <span className={line.status === 'accepted' ? 'tag tag--ok' : line.status === 'pending' || line.stillToFix === false ? 'tag tag--muted' : 'tag tag--danger'}>
          {statusLabels[line.status]}
        </span>
        {lineQualifiers(line).map(({ kind, words }) => (
          <span key={kind} className="muted">
            {' · '}
            {words}
          </span>
        ))}
      </>
    ),
  },
  {
    header: 'What to fix',
    render: (line) =>
      line.problems.length ? (
        <ul className="plain-list">
          {line.problems.map((problem, index) => (
            <li key={index}>
              <ProblemOfLine line={line} problem={problem} />
            </li>
          ))}
        </ul>
      ) : (
        '—'
      ),
  },
  {
    header: 'Report',
    render: (line) =>
      line.reportId ? (
        <Link to={`/reports/${line.reportId}`}>
          Open<span className="visually-hidden"> the report of {rowWords(line.rowNumber, line.sheet)}</span>
        </Link>
      ) : (
        '—'
      ),
  },
];

const filters: { value: Exclude<ReceiptFilter, RowProblem>; label: string }[] = [
  { value: 'all', label: 'All rows' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'pending', label: 'Pending' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'duplicates', label: 'Duplicates' },
];

/**
 * How to send the rejected rows again: for a spreadsheet, the rows themselves, ready to correct. Once the
 * upload is withdrawn its accepted and pending rows are gone too, so the whole file goes again.
 */
/** "the rejected row" or "the 12 rejected rows", with the words that stand for them after. */
function rejectedRows(count: number) {
  return count === 1
    ? { rows: 'the rejected row', each: 'it', them: 'it', They: 'It' }
    : { rows: `the ${count.toLocaleString()} rejected rows`, each: 'each', them: 'them', They: 'They' };
}

/**
 * Of the rejected rows no longer to fix, how many were corrected and how many deleted, when the lines shown hold every one
 * of them (a small file, or its rejected rows listed); null when they do not, the upload's counts telling only how many.
 */
function correctedAndDeleted(lines: readonly ReceiptLine[], noLongerToFix: number): { corrected: number; deleted: number } | null {
  const corrected = lines.filter((line) => line.noLongerToFix?.because === 'corrected').length;
  const deleted = lines.filter((line) => line.noLongerToFix?.because === 'deleted').length;
  return corrected + deleted === noLongerToFix ? { corrected, deleted } : null;
}

/** "3 were corrected since and 1 deleted"; "4 were corrected since, or deleted" when the lines shown do not tell which. */
function noLongerToFixWords(count: number, known: { corrected: number; deleted: number } | null): string {
  const were = (rows: number) => `${rows.toLocaleString()} ${rows === 1 ? 'was' : 'were'}`;
  if (!known) return `${were(count)} corrected since, or deleted`;
  if (known.deleted === 0) return `${were(known.corrected)} corrected since`;
  if (known.corrected === 0) return `${were(known.deleted)} deleted`;
  return `${were(known.corrected)} corrected since and ${known.deleted.toLocaleString()} deleted`;
}

/** That no rejected row is left to fix: each corrected since or deleted, said apart when the lines shown tell which. */
function noneLeftWords(rejected: number, known: { corrected: number; deleted: number } | null): string {
  const each = rejected === 1 ? 'The rejected row was' : `Every one of the ${rejected.toLocaleString()} rejected rows was`;
  if (!known) return `${each} corrected since, or deleted`;
  if (known.deleted === 0) return `${each} corrected since`;
  if (known.corrected === 0) return `${each} deleted`;
  return `Of the ${rejected.toLocaleString()} rejected rows, ${noLongerToFixWords(rejected, known)}`;
}

function RowsToFix({ upload, lines }: { upload: Upload; lines: readonly ReceiptLine[] }) {
  // Of a learner who did not consent, or a row that holds no completion (a total), nothing is kept: nothing to fix.
  const rejected = upload.rows.toFix;
  const stillToFix = upload.rows.stillToFix ?? rejected;
  const all = rejectedRows(rejected);
  const known = correctedAndDeleted(lines, rejected - stillToFix);
  if (upload.withdrawal) {
    const correctFirst = rejected > 0 ? `, with ${all.rows} corrected (the receipt below says what to fix in ${all.each})` : '';
    return upload.withdrawal.status === 'withdrawing' ? (
      <p>To report these learners after all, send the whole file again{correctFirst} once the withdrawal is done.</p>
    ) : (
      <p>
        The reports this file took in were deleted, accepted and pending ones too. To report these learners after all, send the whole file
        again{correctFirst}.
      </p>
    );
  }
  if (rejected === 0) return null;
  if (stillToFix === 0) {
    return (
      <p>
        {noneLeftWords(rejected, known)}: nothing is left to fix. The receipt below lists {all.them} as sent.
      </p>
    );
  }
  // Some rows corrected (by a later upload, or one by one) or deleted since: those still to fix are what is left to do.
  const noLongerToFix = rejected - stillToFix;
  const still = rejectedRows(stillToFix);
  const toFix = noLongerToFix === 0 ? `${still.rows} to fix` : `${still.rows} still to fix (${noLongerToFixWords(noLongerToFix, known)})`;
  if (upload.format === 'xml') {
    return <p>Correct {toFix} in your learning system, where the XML file comes from, and send the file again.</p>;
  }
  if (upload.fileRemovedAt) {
    return (
      <p>
        The hub deleted your file, and the rows to fix with it, on {formatDate(upload.fileRemovedAt)}: they are kept only for a limited time. The receipt below lists{' '}
        {all.rows} and what to fix; correct {all.them} in your own copy of the file and upload {all.them} again.
      </p>
    );
  }
  return (
    <p>
      Download {toFix}, with what to fix beside {still.each}:{' '}
      <DownloadLink href={uploadsApi.rowsToFixUrl(upload.id, 'xlsx')} label="Rows to fix, Excel (XLSX)">
        Excel (XLSX)
      </DownloadLink>{' '}
      or{' '}
      <DownloadLink href={uploadsApi.rowsToFixUrl(upload.id, 'csv')} label="Rows to fix, CSV">
        CSV
      </DownloadLink>
      . Correct {still.them} there and upload that file: accepted and pending rows are not in it, so nothing is sent twice.
      {upload.fileKeptUntil ? ` ${still.They} can be downloaded until ${formatDate(upload.fileKeptUntil)}, when the hub deletes your file.` : null}
    </p>
  );
}

/** The activity and completion date the file was sent with, which its rows that gave none took, and how its dates were read. */
function SentWith({ upload }: { upload: Upload }) {
  const { activityForRows: activity, completionDateForRows: date } = upload;
  // Named as the coordinator knows it: its title and their own ID; the hub ID until it is read, or if it cannot be.
  const detail = useApi((signal) => (activity ? activitiesApi.get(activity, signal) : Promise.resolve(null)), [activity]);
  const datesRead = upload.dates ? <p>{datesReadWords[upload.dates]}</p> : null;
  if (!activity && !date) return datesRead;
  const named = detail.data ? `${detail.data.title} (${detail.data.providerActivityId})` : activity;
  return (
    <>
      {datesRead}
      <p>
        {activity ? (
          <>
            Rows without an activity were taken for <Link to={`/activities/${activity}`}>{named}</Link>
            {date ? '; ' : '.'}
          </>
        ) : null}
        {date ? `${activity ? 'rows' : 'Rows'} without a completion date as completed on ${formatDate(date)}.` : null}
      </p>
    </>
  );
}

const datesReadWords: Record<DateOrder, string> = {
  day_first: 'The file\'s dates were read day first (DD/MM/YYYY), as the upload said.',
  month_first: 'The file\'s dates were read month first (MM/DD/YYYY), as the upload said.',
};

type HeadingInPlace = HeadingRead & { position: number };

const headingsReadColumns: Column<HeadingInPlace>[] = [
  { header: 'Heading in the file', render: (column) => column.heading, rowHeader: true },
  { header: 'Read as', render: (column) => column.readAs ?? <span className="muted">Not used</span> },
];

function HeadingsRead({ caption, headings }: { caption: string; headings: readonly HeadingRead[] }) {
  // A heading may come twice (the second not used): each is known by its place.
  const inPlace = headings.map((heading, position) => ({ ...heading, position }));
  return <DataTable caption={caption} hideCaption columns={headingsReadColumns} rows={inPlace} rowKey={(heading) => String(heading.position)} empty={null} />;
}

/**
 * Each heading of the file and the column it was read as, so that its sender can check ("Hours" as credits); for a
 * workbook whose rows were read from several sheets, those of the first, then those of each other sheet whose
 * headings are not the same.
 */
function HowColumnsWereRead({ columnsRead, sheets }: { columnsRead: ColumnsRead; sheets: Upload['sheets'] }) {
  const otherSheets = (sheets ?? []).slice(1);
  const same = otherSheets.filter((sheet) => !sheet.columns).map((sheet) => `"${sheet.name}" (header on row ${sheet.headerRow})`);
  const own = otherSheets.filter((sheet) => sheet.columns);
  const where = [
    rowWords(columnsRead.row, columnsRead.sheet),
    ...(same.length ? [`the same columns on sheet${same.length > 1 ? 's' : ''} ${same.join(', ')}`] : []),
    ...(own.length ? [`sheet${own.length > 1 ? 's' : ''} ${own.map((sheet) => `"${sheet.name}"`).join(', ')} with ${own.length > 1 ? 'their' : 'its'} own, below`] : []),
  ].join('; ');
  return (
    <details className="columns-read">
      <summary>How the file&apos;s columns were read (its header, {where})</summary>
      <HeadingsRead caption="The file's headings and the column each was read as" headings={columnsRead.columns} />
      {own.map((sheet) => (
        <section key={sheet.name} aria-label={`Sheet "${sheet.name}"`}>
          <h3>
            Sheet &quot;{sheet.name}&quot; (header on row {sheet.headerRow})
          </h3>
          <HeadingsRead caption={`The headings of sheet "${sheet.name}" and the column each was read as`} headings={sheet.columns ?? []} />
        </section>
      ))}
    </details>
  );
}

/** One upload: live progress and counts while it runs, then the receipt, row by row, and its download. */
export function UploadDetailPage() {
  const { uploadId = '' } = useParams();
  const location = useLocation();
  const notice = (location.state as { message?: string } | null)?.message;
  const upload = useApi((signal) => uploadsApi.get(uploadId, signal), [uploadId]);
  const [filter, setFilter] = useState<ReceiptFilter>('all');
  const receiptHeading = useRef<HTMLHeadingElement>(null);
  const receiptFilter = useRef<HTMLDivElement>(null);
  const receiptTable = useRef<HTMLDivElement>(null);
  // Rows of one kind asked for from the list of problems, far above the receipt: the lines shown when they were asked
  // for, null when they are already that kind's (nothing is read again).
  const [rowsAsked, setRowsAsked] = useState<{ linesBefore: readonly ReceiptLine[] | null }>();
  const running = upload.data?.status === 'queued' || upload.data?.status === 'running';
  const finished = upload.data?.status === 'finished' || upload.data?.status === 'failed';
  const inProgress = upload.data ? isInProgress(upload.data) : false;
  const lines = useCursorList((cursor, signal) => uploadsApi.lines(uploadId, filter, cursor, signal), [uploadId, filter]);
  const linesInAll = upload.data ? receiptLinesInAll(upload.data, filter) : 0;
  const lastReceiptRefresh = useRef({ at: 0, linesInAll: -1 });
  // The stop button goes once the upload has stopped: focus goes to what the stop did, not to the page's top.
  const [stopAsked, setStopAsked] = useState(false);
  const stoppedBanner = useRef<HTMLDivElement>(null);
  const uploadError = upload.data?.error;
  // Sent again, the file leads to its earlier upload: the page opens with a message that says so, and focus goes
  // to it, as the heading alone (the file's name) would not tell that nothing was added.
  const noticeBanner = useRef<HTMLDivElement>(null);
  const loaded = upload.data !== undefined;

  useEffect(() => {
    if (!loaded) return;
    // After the shell's own move of focus to the heading, which waits for the next frame.
    const frame = requestAnimationFrame(() => noticeBanner.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [loaded]);

  useEffect(() => {
    if (!stopAsked || !stoppedBanner.current) return;
    stoppedBanner.current.focus();
    setStopAsked(false);
  }, [stopAsked, uploadError]);

  // Follow the job, or the withdrawal, until it is done; a look that fails (the connection dropped) is tried
  // again, and the page says its figures may be behind until one succeeds.
  const [lookFailed, setLookFailed] = useState(false);
  useEffect(() => {
    if (upload.error) setLookFailed(true);
  }, [upload.error]);
  useEffect(() => setLookFailed(false), [upload.data]);
  useEffect(() => {
    if (!inProgress) return;
    const timer = setTimeout(upload.reload, pollMs);
    return () => clearTimeout(timer);
  }, [inProgress, upload.data, upload.error, upload.reload]);

  // The receipt grows as rows are taken in: its last page is read again when the counts say it has more
  // lines than are shown, at most every few seconds while the upload runs. The rows on screen stay.
  const { loading: linesLoading, hasMore: moreLines, items: shownLines, refreshLastPage } = lines;
  useEffect(() => {
    if (linesLoading || moreLines || shownLines.length >= linesInAll || lastReceiptRefresh.current.linesInAll === linesInAll) return;
    const wait = running ? Math.max(0, lastReceiptRefresh.current.at + receiptRefreshMs - Date.now()) : 0;
    const timer = setTimeout(() => {
      lastReceiptRefresh.current = { at: Date.now(), linesInAll };
      refreshLastPage();
    }, wait);
    return () => clearTimeout(timer);
  }, [linesLoading, moreLines, shownLines.length, linesInAll, running, refreshLastPage]);

  // Once the rows asked for are shown, they are brought into view under what they are, and the focus goes to them.
  useEffect(() => {
    if (!rowsAsked || linesLoading || shownLines === rowsAsked.linesBefore) return;
    setRowsAsked(undefined);
    receiptFilter.current?.scrollIntoView({ block: 'start' });
    // With no row to show there is no table: the receipt's heading takes the focus.
    (receiptTable.current ?? receiptHeading.current)?.focus({ preventScroll: true });
  }, [rowsAsked, linesLoading, shownLines]);

  if (!upload.data) {
    return (
      <>
        <PageHeader title="Upload" subtitle={<Link to="/uploads">Back to uploads</Link>} />
        {upload.error ? <ErrorBanner error={upload.error} title="The upload could not be shown" /> : <Loading />}
      </>
    );
  }
  const current = upload.data;
  const showRowsWith = (kind: RowProblem) => {
    setRowsAsked({ linesBefore: kind === filter ? null : lines.items });
    setFilter(kind);
  };
  return (
    <>
      <PageHeader
        title={current.fileName ?? 'Upload'}
        documentTitle={uploadTabTitle(current)}
        subtitle={<Link to="/uploads">Back to uploads</Link>}
      />
      {notice ? <StatusMessage ref={noticeBanner}>{withLocalTimes(notice)}</StatusMessage> : null}
      <p>
        <StatusTag upload={current} /> Uploaded {formatDateTime(current.createdAt)} by {current.createdBy}
        {current.finishedAt ? `; ${current.status === 'failed' ? 'stopped' : 'finished'} ${formatDateTime(current.finishedAt)}` : ''}.
      </p>
      <SentWith upload={current} />
      {running ? (
        <ConfirmButton
          label="Stop this upload"
          question="Stop taking this file in? The rows already taken in stay; sending the file again later takes in the rest."
          confirmLabel="Stop the upload"
          onConfirm={async () => {
            await uploadsApi.stop(current.id);
            setStopAsked(true);
            upload.reload();
          }}
        />
      ) : null}
      {current.error ? (
        // A stop someone asked for is news, not a failure.
        <div
          ref={stoppedBanner}
          className={isStoppedBySender(current) ? 'banner' : 'banner banner--error'}
          role={isStoppedBySender(current) ? 'status' : 'alert'}
          tabIndex={-1}
        >
          <p className="banner__title">{isStoppedBySender(current) ? 'The upload was stopped' : 'The upload stopped'}</p>
          <p>{current.error.message}</p>
          <MessageList messages={current.problems} inBanner />
        </div>
      ) : (
        <MessageList messages={current.problems} />
      )}
      {inProgress && lookFailed ? (
        <p className="banner" role="status">
          The hub could not be reached just now, so these figures may be behind. The page tries again by itself; the upload goes on meanwhile.
        </p>
      ) : null}
      {current.columnsRead ? <HowColumnsWereRead columnsRead={current.columnsRead} sheets={current.sheets} /> : null}
      <UploadFigures upload={current} />
      {finished ? <WithdrawUpload upload={current} onWithdrawn={upload.reload} /> : null}
      <RowProblems upload={current} shown={typeof filter === 'object' ? filter : null} onShowRows={showRowsWith} />
      <section className="section" aria-labelledby="receipt-heading">
        <h2 id="receipt-heading" ref={receiptHeading} tabIndex={-1}>
          Receipt
        </h2>
        {finished ? (
          <>
            <p>
              Download the receipt: <a href={uploadsApi.receiptUrl(current.id, 'xlsx')}>Excel (XLSX)</a> or{' '}
              <a href={uploadsApi.receiptUrl(current.id, 'csv')}>CSV</a>.
            </p>
            <RowsToFix upload={current} lines={lines.items} />
          </>
        ) : (
          <p>The receipt fills in as rows are taken in.</p>
        )}
        <p className="muted">
          Each line says what became of its row when it was taken in, then anything else to know about it. A pending report is matched again whenever a board loads its roster: open it to see
          where it stands now.
          {lines.items.some((line) => line.duplicate) ? ' A repeat of a row above or of a report on file is counted once, under Duplicates; its status is that of the report it repeats.' : null}
          {lines.items.some((line) => line.late) ? ' A row reported more than 30 days after its completion date is taken in all the same, marked late.' : null}
        </p>
        <div ref={receiptFilter} className="receipt-filter" role="group" aria-label="Show">
          {filters.map((option) => (
            <button
              key={option.value}
              type="button"
              className={option.value === filter ? 'button button--small' : 'button button--small button--secondary'}
              aria-pressed={option.value === filter}
              onClick={() => setFilter(option.value)}
            >
              {option.label}
            </button>
          ))}
          {typeof filter === 'object' ? (
            <span>
              Rows with the problem of {rowWords(filter.firstRow, filter.firstRowSheet)}: <em>{filter.message}</em>
            </span>
          ) : null}
        </div>
        {lines.error ? <ErrorBanner error={lines.error} title="The receipt could not be shown" /> : null}
        {lines.loading ? (
          <Loading />
        ) : (
          <>
            <DataTable
              ref={receiptTable}
              caption="Receipt lines"
              hideCaption
              stackOnNarrow
              columns={receiptColumns(current.sheets !== null)}
              rows={lines.items}
              rowKey={(line) => `${line.sheet ?? ''}:${line.rowNumber}`}
              empty={<p>{running && filter === 'all' ? 'No row taken in yet: rows appear here as they are.' : 'No rows to show.'}</p>}
            />
            <Pager
              shown={lines.items.length}
              total={linesInAll}
              growing={running}
              hasMore={lines.hasMore}
              loadingMore={lines.loadingMore}
              onLoadMore={lines.loadMore}
              noun="rows"
            />
          </>
        )}
      </section>
    </>
  );
}
