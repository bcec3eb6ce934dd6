import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError, type Problem, type UploadProgress } from '../../api/client.ts';
import { ChoiceField, DateOrderField, dateOrderAsked } from '../../components/ChoiceField.tsx';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SPREADSHEET_FILES } from '../../components/FileUpload.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { formatFileSize } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useLeaveWarning } from '../../hooks/useLeaveWarning.ts';
import { fileColumn, rowCountColumns, uploadedColumn } from './uploadColumns.tsx';
import { ActivityAndDateForRows, type ActivityAndDate } from './ActivityAndDateForRows.tsx';
import { StatusTag } from './UploadStatus.tsx';
import { useLiveUploads } from './useLiveUploads.ts';
import { formatOf, uploadsApi, type Consent, type DateOrder, type Upload } from './uploadsApi.ts';
import './uploads.css';

const columns: Column<Upload>[] = [
  fileColumn,
  { header: 'Status', render: (upload) => <StatusTag upload={upload} withProgress /> },
  ...rowCountColumns,
  uploadedColumn,
];

/** Why a chosen file cannot be sent, before it is: an empty file has no rows to take in. */
function emptyFileProblem(file: File): string | undefined {
  return file.size === 0 ? `${file.name} is empty (0 bytes): choose the file that holds your learners' rows.` : undefined;
}

/** An XML file has no column for consent: without one given here, the hub would refuse every report in it. */
function consentProblem(file: File, consent: Consent | ''): string | undefined {
  return formatOf(file.name) === 'xml' && !consent
    ? `${file.name} is an XML file, which has no place for consent: choose Written or Implied here, as your learners gave it.`
    : undefined;
}

/** A MedBiquitous document names the activity and date of each report: one given here for its rows would be refused. */
function forRowsProblem(file: File, forRows: ActivityAndDate): string | undefined {
  return formatOf(file.name) === 'xml' && (forRows.activity.trim() || forRows.completionDate)
    ? `${file.name} is an XML file, which names the activity and date of each report itself: clear the activity and date of every row here.`
    : undefined;
}

/** A MedBiquitous document writes its dates YYYY-MM-DD: an order given here for them would be refused. */
function datesProblem(file: File, dates: DateOrder | ''): string | undefined {
  return formatOf(file.name) === 'xml' && dates
    ? `${file.name} is an XML file, whose dates are written YYYY-MM-DD: choose Month first here, which leaves them as they are.`
    : undefined;
}

/**
 * Of a header the hub refused, what only the activity and date of every row would mend (a sign-in sheet for one
 * session, without those columns), said at those fields rather than above the form; null when the file lacks more.
 * What the sheet says of them above its header (its title, "Date: November 13, 2026") is filled in, to be confirmed.
 */
function lackingForEveryRow(fileName: string, problems: readonly Problem[]): { errors: { activity?: string; completionDate?: string }; filled: Partial<ActivityAndDate> } | null {
  const missing = problems.filter((problem) => problem.code === 'missing_column');
  if (missing.length === 0 || !missing.every((problem) => problem.field === 'activityId' || problem.field === 'completionDate')) return null;
  const lacking = (field: string) => missing.find((problem) => problem.field === field);
  const [activity, completionDate] = [lacking('activityId'), lacking('completionDate')];
  return {
    errors: {
      activity:
        activity &&
        fieldWords(fileName, 'Activity', activity.suggestion, {
          named: activity.suggestion?.probably ? 'the activity it probably names, spelt a little otherwise,' : 'the activity it names',
          give: 'the activity its learners attended',
          orElse: ' (its hub ID, your own ID or its title), or add an "Activity ID" column to the file',
          value: (hubId) => ` (${hubId} is its hub ID.)`,
        }),
      completionDate:
        completionDate &&
        fieldWords(fileName, 'Completion date', completionDate.suggestion, {
          named: 'that day',
          give: 'the day of the session',
          orElse: ', or add a "Completion date" column to the file',
        }),
    },
    filled: {
      ...(activity?.suggestion ? { activity: activity.suggestion.value } : {}),
      ...(completionDate?.suggestion ? { completionDate: completionDate.suggestion.value } : {}),
    },
  };
}

/**
 * What a field for every row says of a sheet without its column: what the sheet's title gave it (`suggestion`), filled
 * in to check before sending again, and what the value filled in is where it says nothing by itself (`value`); or
 * else what to give there.
 */
function fieldWords(
  fileName: string,
  column: string,
  suggestion: Problem['suggestion'],
  words: { named: string; give: string; orElse: string; value?: (value: string) => string },
): string {
  if (!suggestion) return `${fileName} has no ${column} column: give here ${words.give}${words.orElse}.`;
  const where = `Row ${suggestion.row}${suggestion.sheet ? ` of sheet "${suggestion.sheet}"` : ''}, above its header`;
  return (
    `${fileName} has no ${column} column. ${where}, says "${suggestion.said}": ${words.named} is filled in here. ` +
    `If every row is of it, press Upload again; if not, give here ${words.give}.${words.value?.(suggestion.value) ?? ''}`
  );
}

const consentChoices: readonly { value: Consent | ''; label: string }[] = [
  { value: '', label: 'As each row states it' },
  { value: 'written', label: 'Written, for rows that do not state it' },
  { value: 'implied', label: 'Implied, for rows that do not state it' },
];

/** How far the file has gone to the hub, as the bar says it; read out a tenth at a time, not at every step. */
function sendingLabel(sentPercent: number, step: 1 | 10 = 1): string {
  return sentPercent < 100 ? `Sending the file… ${Math.floor(sentPercent / step) * step}%` : 'Checking the file…';
}

/**
 * Send a learner file (drag it here or choose it); the page then follows it on its own page. A large file
 * takes a while to reach the hub: until it has, sending can be cancelled, and nothing is taken in.
 */
export function UploadsPage() {
  const navigate = useNavigate();
  const [file, setFile] = useState<File>();
  const [consent, setConsent] = useState<Consent | ''>('');
  const [dates, setDates] = useState<DateOrder | ''>('');
  // The hub asked how the file's dates are written; sent again as it is, they are read month first, as chosen.
  const [datesAsked, setDatesAsked] = useState(false);
  const [datesError, setDatesError] = useState<string>();
  const [forRows, setForRows] = useState<ActivityAndDate>({ activity: '', completionDate: '' });
  // What the hub read above a sheet's header and filled in: another file chosen, it is not that file's to keep.
  const [filledFromFile, setFilledFromFile] = useState<Partial<ActivityAndDate>>({});
  const [activityError, setActivityError] = useState<string>();
  const [completionDateError, setCompletionDateError] = useState<string>();
  const [over, setOver] = useState(false);
  // A drag over the box enters and leaves its text and its picker on the way, each enter coming before the leave
  // of what it came from: the box is left only once every enter has had its leave, or the highlight would flicker.
  const dragDepth = useRef(0);
  const [progress, setProgress] = useState<UploadProgress>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [fileError, setFileError] = useState<string>();
  const [consentError, setConsentError] = useState<string>();
  const [cancelled, setCancelled] = useState<string>();
  const [othersDropped, setOthersDropped] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);
  const consentSelect = useRef<HTMLSelectElement>(null);
  const datesSelect = useRef<HTMLSelectElement>(null);
  const activityInput = useRef<HTMLInputElement>(null);
  const completionDateInput = useRef<HTMLInputElement>(null);
  const uploadButton = useRef<HTMLButtonElement>(null);
  const sendingProgress = useRef<HTMLDivElement>(null);
  const refusal = useRef<HTMLDivElement>(null);
  const sending = useRef<AbortController>(undefined);
  const uploads = useCursorList((cursor, signal) => uploadsApi.list(cursor, signal), []);
  const shown = useLiveUploads(uploads.items);
  const { hash } = useLocation();

  // "All uploads" elsewhere leads to the list below the form: it is brought into view once it is there.
  useEffect(() => {
    if (hash === '#recent-uploads' && !uploads.loading) document.getElementById('recent-uploads')?.scrollIntoView();
  }, [hash, uploads.loading]);

  // The Upload button is disabled while the file goes: focus moves to the progress, then to what became of it
  // (the hub's refusal, the consent it lacks, or the Upload button again once sending is cancelled).
  useEffect(() => {
    if (busy) sendingProgress.current?.focus();
    else if (cancelled) uploadButton.current?.focus();
    else if (error) {
      // Focus alone would centre a refusal taller than the screen, its heading out of sight: it is shown from its top.
      refusal.current?.scrollIntoView({ block: 'start' });
      refusal.current?.focus({ preventScroll: true });
    } else if (consentError) consentSelect.current?.focus();
    else if (datesError) datesSelect.current?.focus();
    else if (activityError) activityInput.current?.focus();
    else if (completionDateError) completionDateInput.current?.focus();
  }, [busy, cancelled, error, consentError, datesError, activityError, completionDateError]);

  function choose(chosen: File | undefined) {
    setFile(chosen);
    setForRows((given) => ({
      activity: given.activity === filledFromFile.activity ? '' : given.activity,
      completionDate: given.completionDate === filledFromFile.completionDate ? '' : given.completionDate,
    }));
    setFilledFromFile({});
    setFileError(chosen ? emptyFileProblem(chosen) : undefined);
    setError(undefined);
    setConsentError(undefined);
    setDatesAsked(false);
    setDatesError(undefined);
    setActivityError(undefined);
    setCompletionDateError(undefined);
    setCancelled(undefined);
    setOthersDropped(undefined);
  }

  function dragEnter() {
    dragDepth.current += 1;
    setOver(true);
  }

  function dragLeave() {
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0) setOver(false);
  }

  function drop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    dragDepth.current = 0;
    setOver(false);
    const dropped = event.dataTransfer.files[0];
    // The picker shows the dropped file as its own, as if it had been chosen there.
    if (dropped && fileInput.current) {
      const one = new DataTransfer();
      one.items.add(dropped);
      fileInput.current.files = one.files;
    }
    choose(dropped);
    // A file is one upload: several dropped at once would otherwise look as if they had all been sent.
    const others = [...event.dataTransfer.files].slice(1).map((other) => other.name);
    if (others.length > 0) {
      setOthersDropped(`One file goes at a time: ${dropped.name} is chosen. Send ${others.join(', ')} after it, each on its own.`);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = file ? emptyFileProblem(file) : 'Choose a CSV, XLSX or XML file, or drop it on the box.';
    if (!file || problem) {
      setFileError(problem);
      fileInput.current?.focus();
      return;
    }
    const missingConsent = consentProblem(file, consent);
    if (missingConsent) {
      setConsentError(missingConsent);
      return;
    }
    const datesNotForXml = datesProblem(file, dates);
    if (datesNotForXml) {
      setDatesError(datesNotForXml);
      return;
    }
    const notForXml = forRowsProblem(file, forRows);
    if (notForXml) {
      setActivityError(notForXml);
      return;
    }
    const controller = new AbortController();
    sending.current = controller;
    setBusy(true);
    setError(undefined);
    setCancelled(undefined);
    try {
      const datesSaid = dates || (datesAsked ? 'month_first' : '');
      const created = await uploadsApi.upload(file, { consent, dates: datesSaid, ...forRows }, setProgress, controller.signal);
      navigate(`/uploads/${created.id}`, { state: { message: created.alreadyUploaded ? created.message : undefined } });
    } catch (failure) {
      const forEveryRow = failure instanceof ApiError && failure.code === 'file_header_invalid' ? lackingForEveryRow(file.name, failure.problems) : null;
      if (controller.signal.aborted) {
        setCancelled(`Sending ${file.name} was cancelled before the hub had all of it: nothing was taken in. Press Upload to send it again.`);
      } else if (failure instanceof ApiError && failure.code === 'consent_required') {
        // The hub's words are for every client (the API's options too): said here at the choice that mends it.
        setConsentError(
          `${file.name} does not say whether its learners consented to be reported: choose Written or Implied here, or add a "Consent" column saying it for each learner.`,
        );
      } else if (failure instanceof ApiError && (failure.code === 'consent_kind_required' || failure.code === 'date_order_required')) {
        // The hub names the rows it found, one problem per choice it asks at once; what to do is said here, at the choice that does it.
        const consentFound = failure.problems.find((found) => found.field === 'consent')?.message;
        const datesFound = failure.problems.find((found) => found.field !== 'consent')?.message;
        if (failure.code === 'consent_kind_required') {
          const found = consentFound ?? `Rows of ${file.name} say under Consent only that their learners agreed ("Yes"), or nothing: not how they consented to be reported.`;
          setConsentError(`${found} If they consented, choose Written or Implied here, which those rows then take; rows saying No keep their own.`);
        }
        if (failure.code === 'date_order_required' || datesFound) {
          setDatesAsked(true);
          const found = datesFound ?? `${file.name} has dates that can only be read day first.`;
          setDatesError(dateOrderAsked(found, 'taken in'));
        }
      } else if (failure instanceof ApiError && failure.code === 'activity_not_found') {
        setActivityError(failure.message);
      } else if (forEveryRow) {
        setForRows((given) => ({ ...given, ...forEveryRow.filled }));
        setFilledFromFile(forEveryRow.filled);
        setActivityError(forEveryRow.errors.activity);
        setCompletionDateError(forEveryRow.errors.completionDate);
      } else {
        setError(failure);
      }
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  }

  const sent = progress && progress.totalBytes ? Math.round((progress.sentBytes / progress.totalBytes) * 100) : 0;
  useLeaveWarning(busy && sent < 100);
  return (
    <>
      <PageHeader title="Upload learner completions" />
      <p>
        One row per learner per activity completed, as CSV or Excel (start from the{' '}
        <a href={uploadsApi.templateUrl('xlsx')}>Excel template (XLSX)</a> or the <a href={uploadsApi.templateUrl('csv')}>CSV template</a>), or a
        MedBiquitous Activity Report (XML) from your learning system. Every row gets a line in the receipt; sending the
        same file again adds nothing. <a href="#recent-uploads">Recent uploads</a> are below.
      </p>
      <details className="upload-help">
        <summary>What the hub reads, and what the receipt says</summary>
        <p>
          A sheet of your own works too: its headings are read as the template&apos;s (&quot;Name&quot;, &quot;DOB&quot;, &quot;License #&quot;, &quot;CA License #&quot;...), and
          a sign-in sheet for one session needs no Activity or Date column when you give them below, nor a credits column:
          each learner then gets the activity&apos;s AMA PRA Category 1 credits. A workbook with a tab per month goes in
          whole, each row named by its sheet. A date typed without its year (&quot;13-Nov&quot;, &quot;11/13&quot;) is the one such
          day its activity takes, which the receipt says for you to check.
        </p>
        <p>
          Each row is accepted (matched to one physician), pending (no unique match yet; tried again when the boards&apos;
          rosters change) or rejected, with what to fix. The rejected rows come back as a file of rows to fix: correct
          them there and upload that file.
        </p>
      </details>
      <form className="form form--narrow" onSubmit={(event) => void submit(event)}>
        <ErrorBanner ref={refusal} error={error} title="The file was not taken" />
        {cancelled ? <StatusMessage>{cancelled}</StatusMessage> : null}
        <label
          className={over ? 'drop-zone drop-zone--over' : 'drop-zone'}
          onDragEnter={dragEnter}
          // Without this the browser would not let the file be dropped here.
          onDragOver={(event) => event.preventDefault()}
          onDragLeave={dragLeave}
          onDrop={drop}
        >
          <span>Drop the file here, or choose it</span>
          <input
            ref={fileInput}
            type="file"
            accept={`${SPREADSHEET_FILES},.xml,.txt,application/xml`}
            className="input"
            aria-describedby={fileError ? 'upload-file-error' : undefined}
            aria-invalid={fileError ? true : undefined}
            onChange={(event) => choose(event.target.files?.[0])}
          />
          {file ? (
            <span className="drop-zone__file">
              {file.name} ({formatFileSize(file.size)})
            </span>
          ) : null}
        </label>
        {fileError ? (
          <p id="upload-file-error" className="field__error" role="alert">
            {fileError}
          </p>
        ) : null}
        {othersDropped ? (
          <p className="field__hint" role="status">
            {othersDropped}
          </p>
        ) : null}
        <ChoiceField
          id="upload-consent"
          label="Learners' consent to be reported"
          hint={'An XML file cannot say how its learners consented, and a row saying only "Yes" does not say whether consent was written or implied. For those rows, choose it here.'}
          error={consentError}
          value={consent}
          options={consentChoices}
          selectRef={consentSelect}
          onChange={(chosen) => {
            setConsent(chosen);
            setConsentError(undefined);
          }}
        />
        <DateOrderField
          id="upload-dates"
          error={datesError}
          value={dates}
          selectRef={datesSelect}
          onChange={(chosen) => {
            setDates(chosen);
            setDatesError(undefined);
          }}
        />
        <ActivityAndDateForRows
          value={forRows}
          onChange={(value) => {
            if (value.activity !== forRows.activity) setActivityError(undefined);
            if (value.completionDate !== forRows.completionDate) setCompletionDateError(undefined);
            setForRows(value);
          }}
          activityError={activityError}
          activityInput={activityInput}
          completionDateError={completionDateError}
          completionDateInput={completionDateInput}
        />
        {busy ? (
          <div ref={sendingProgress} className="upload-progress" tabIndex={-1}>
            <label htmlFor="upload-sending">{sendingLabel(sent)}</label>
            <progress id="upload-sending" max={100} value={sent} />
            <p className="visually-hidden" role="status">
              {sendingLabel(sent, 10)}
            </p>
          </div>
        ) : null}
        <div className="form__actions">
          <button ref={uploadButton} type="submit" className="button" disabled={busy}>
            {busy ? 'Uploading…' : 'Upload'}
          </button>
          {/* Once the hub has the whole file it is checking it: from then on the upload's own page stops it. */}
          {busy && sent < 100 ? (
            <button type="button" className="button button--secondary" onClick={() => sending.current?.abort()}>
              Cancel sending
            </button>
          ) : null}
        </div>
      </form>
      <section id="recent-uploads" className="section" aria-labelledby="uploads-heading">
        <h2 id="uploads-heading">Recent uploads</h2>
        {uploads.error ? <ErrorBanner error={uploads.error} title="The uploads could not be shown" /> : null}
        {uploads.loading ? (
          <Loading />
        ) : (
          <>
            <DataTable caption="Files sent, newest first" hideCaption stackOnNarrow columns={columns} rows={shown} rowKey={(upload) => upload.id} empty={<p>No file uploaded yet.</p>} />
            <Pager shown={uploads.items.length} hasMore={uploads.hasMore} loadingMore={uploads.loadingMore} onLoadMore={uploads.loadMore} noun="uploads" />
          </>
        )}
      </section>
    </>
  );
}
