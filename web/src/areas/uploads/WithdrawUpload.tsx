import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client.ts';
import { TextField } from '../../components/Field.tsx';
import { formatDateTime } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { uploadsApi, type Upload, type WithdrawalPreview } from './uploadsApi.ts';

/**
 * For a file sent by mistake, once it is done or stopped: asks for the reports it took in to be deleted,
 * with a reason, after saying what that does; the hub deletes them in the background, and the page follows
 * it. A withdrawn upload says when, by whom and why. Focus goes with the person: into the form when it opens,
 * back to its button when it is cancelled, and to the withdrawal once asked for, as each replaces the other.
 * The withdrawal's progress is read out by the page's figures (`progressAnnouncement`), a tenth at a time.
 */
export function WithdrawUpload({ upload, onWithdrawn }: { upload: Upload; onWithdrawn: () => void }) {
  const [open, setOpen] = useState(false);
  const [focusOn, setFocusOn] = useState<'button' | 'withdrawal'>();
  const openButton = useRef<HTMLButtonElement>(null);
  const withdrawalBanner = useRef<HTMLElement>(null);
  const withdrawalStatus = upload.withdrawal?.status;

  useEffect(() => {
    const target = focusOn === 'button' ? openButton.current : focusOn === 'withdrawal' ? withdrawalBanner.current : null;
    if (!target) return;
    target.focus();
    setFocusOn(undefined);
  }, [focusOn, open, withdrawalStatus]);

  const taken = upload.rows.done - upload.rows.duplicates;
  if (upload.withdrawal?.status === 'withdrawing') {
    const { requestedAt, by, reason: why, reports, reportsToDelete, heldUp } = upload.withdrawal;
    const toDelete = reportsToDelete ?? taken;
    return (
      <section ref={withdrawalBanner} className="banner" aria-labelledby="withdrawal-title" tabIndex={-1}>
        <p id="withdrawal-title" className="banner__title">
          Being withdrawn
        </p>
        <p>
          Asked {formatDateTime(requestedAt)} by {by}. Reason: {why}
        </p>
        <div className="upload-progress">
          <label htmlFor="withdrawal-progress">
            {reports.toLocaleString()} of {toDelete.toLocaleString()} reports deleted so far
          </label>
          <progress id="withdrawal-progress" max={Math.max(1, toDelete)} value={reports} />
        </div>
        {heldUp ? (
          <p>
            Held up: the hub could not go on just now and tries again by itself. The reports deleted so far stay deleted. If it is still
            held up in an hour, tell the hub&apos;s operator.
          </p>
        ) : null}
      </section>
    );
  }
  if (upload.withdrawal) {
    const { at, by, reason: why, reports, kept, toFixAgain } = upload.withdrawal;
    return (
      <section ref={withdrawalBanner} className="banner" aria-labelledby="withdrawal-title" tabIndex={-1}>
        <p id="withdrawal-title" className="banner__title">
          Withdrawn
        </p>
        <p>
          {formatDateTime(at ?? upload.withdrawal.requestedAt)} by {by}: {reports.toLocaleString()} {reports === 1 ? 'report' : 'reports'} this file took in{' '}
          {reports === 1 ? 'was' : 'were'} deleted.
          {kept > 0 ? ` ${kept.toLocaleString()} ${kept === 1 ? 'report it took in was' : 'reports it took in were'} also sent by a later upload, and ${kept === 1 ? 'stays' : 'stay'} on file as that upload's.` : ''}
          {toFixAgain > 0 ? ` ${toFixAgainWords(toFixAgain, true)}` : ''} Reason: {why}
        </p>
      </section>
    );
  }
  if (taken === 0) return null;
  if (!open) {
    return (
      <p>
        <button ref={openButton} type="button" className="button button--danger-quiet button--small" onClick={() => setOpen(true)}>
          Withdraw this upload…
        </button>
      </p>
    );
  }
  return (
    <WithdrawForm
      upload={upload}
      onWithdrawn={() => {
        setFocusOn('withdrawal');
        onWithdrawn();
      }}
      onCancel={() => {
        setOpen(false);
        setFocusOn('button');
      }}
    />
  );
}

/** The rejected rows of earlier uploads that the file corrected, to fix again once it is withdrawn (`done`) or when it is. */
function toFixAgainWords(count: number, done: boolean): string {
  const rows = count === 1 ? 'the rejected row it corrected, of an earlier upload, is' : `the ${count.toLocaleString()} rejected rows it corrected, of earlier uploads, are`;
  return `Its corrections ${done ? 'were' : 'are'} taken back: ${rows} to fix again, in the rows to fix of ${count === 1 ? 'the upload that sent it' : 'the uploads that sent them'}.`;
}

/** The hub's least reason for a deletion. */
const reasonMinLength = 3;

/** Says how many reports withdrawing deletes now, and which stay, then asks for the reason. */
function WithdrawForm({ upload, onWithdrawn, onCancel }: { upload: Upload; onWithdrawn: () => void; onCancel: () => void }) {
  const preview = useApi((signal) => uploadsApi.withdrawalPreview(upload.id, signal), [upload.id]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const reasonField = useRef<HTMLInputElement>(null);

  useEffect(() => reasonField.current?.focus(), []);
  // Until the reports are counted, the form says what withdrawing usually does.
  const deletesAny = (preview.data?.reportsToDelete ?? 1) > 0;

  async function withdraw(event: FormEvent) {
    event.preventDefault();
    // Said in words, rather than by a button that stays disabled without saying why.
    if (reason.trim().length < reasonMinLength) {
      setError(`Say why you withdraw this file, in a few words (${reasonMinLength} characters at least).`);
      reasonField.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await uploadsApi.withdraw(upload.id, reason.trim());
      onWithdrawn();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="section" aria-label="Withdraw this upload" onSubmit={(event) => void withdraw(event)} noValidate>
      {preview.error ? (
        <p role="alert">{errorMessage(preview.error)}</p>
      ) : (
        // One status throughout, so that the count is read out when it comes, to someone already in the reason field.
        <p role="status">
          {preview.data ? (
            <>
              <WithdrawalReach {...preview.data} />
              {preview.data.rejectedToFixAgain > 0 ? ` ${toFixAgainWords(preview.data.rejectedToFixAgain, false)}` : ''} The receipt stays.
              {deletesAny ? ' The hub deletes them in the background (a large file takes a few minutes); you can leave this page meanwhile.' : null}
            </>
          ) : (
            'Counting the reports this file took in…'
          )}
        </p>
      )}
      <TextField
        ref={reasonField}
        label="Reason for withdrawing"
        hint={deletesAny ? 'A few words, kept with every report it deletes.' : 'A few words, kept with the upload.'}
        value={reason}
        onChange={(event) => {
          setReason(event.target.value);
          setError(undefined);
        }}
        error={error}
        required
        minLength={reasonMinLength}
      />
      <div className="form__actions">
        <button type="submit" className="button button--danger" disabled={busy || !preview.data}>
          {busy ? 'Withdrawing…' : deletesAny ? 'Withdraw the reports' : 'Withdraw the upload'}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function WithdrawalReach({ reportsToDelete, reportsKept }: WithdrawalPreview) {
  const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;
  const kept =
    reportsKept > 0
      ? ` ${plural(reportsKept, 'report it took in was', 'reports it took in were')} also sent by a later upload, and ${reportsKept === 1 ? 'stays' : 'stay'} on file as that upload's.`
      : '';
  if (reportsToDelete === 0 && reportsKept > 0) {
    return (
      <>
        Withdrawing deletes nothing: the {plural(reportsKept, 'report', 'reports')} this file took in that {reportsKept === 1 ? 'is' : 'are'} still on file{' '}
        {reportsKept === 1 ? 'was' : 'were'} also sent by a later upload, and {reportsKept === 1 ? 'stays' : 'stay'} on file as that upload&apos;s. Withdrawing marks
        the upload withdrawn.
      </>
    );
  }
  if (reportsToDelete === 0) {
    return <>None of the reports this file took in is still on file (they were deleted or corrected since). Withdrawing marks the upload withdrawn.</>;
  }
  return (
    <>
      Withdrawing deletes the {plural(reportsToDelete, 'report', 'reports')} this file took in that {reportsToDelete === 1 ? 'is' : 'are'} still on file, as
      deleting them one by one would: their credit leaves the physicians&apos; records and the boards. Reports that were already on file before it are
      not touched.{kept}
    </>
  );
}
