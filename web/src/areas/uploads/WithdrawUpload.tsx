import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client.ts';
import { TextField } from '../../components/Field.tsx';
import { formatDateTime } from '../../format.ts';
import { uploadsApi, type Upload } from './uploadsApi.ts';

/**
 * For a file sent by mistake, once it is done or stopped: asks for the reports it took in to be deleted,
 * with a reason, after saying what that does; the hub deletes them in the background, and the page follows
 * it. A withdrawn upload says when, by whom and why.
 */
export function WithdrawUpload({ upload, onWithdrawn }: { upload: Upload; onWithdrawn: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const taken = upload.rows.done - upload.rows.duplicates;
  if (upload.withdrawal?.status === 'withdrawing') {
    const { requestedAt, by, reason: why, reports, heldUp } = upload.withdrawal;
    return (
      <div className="banner" role="status">
        <p className="banner__title">Being withdrawn</p>
        <p>
          Asked {formatDateTime(requestedAt)} by {by}. Reason: {why}
        </p>
        <div className="upload-progress">
          <label htmlFor="withdrawal-progress">
            {reports.toLocaleString()} of {taken.toLocaleString()} reports deleted so far
          </label>
          <progress id="withdrawal-progress" max={Math.max(1, taken)} value={reports} />
        </div>
        {heldUp ? (
          <p>
            Held up: the hub could not go on just now and tries again by itself. The reports deleted so far stay deleted. If it is still
            held up in an hour, tell the hub&apos;s operator.
          </p>
        ) : null}
      </div>
    );
  }
  if (upload.withdrawal) {
    const { at, by, reason: why, reports, kept } = upload.withdrawal;
    return (
      <div className="banner" role="status">
        <p className="banner__title">Withdrawn</p>
        <p>
          {formatDateTime(at ?? upload.withdrawal.requestedAt)} by {by}: {reports.toLocaleString()} {reports === 1 ? 'report' : 'reports'} this file took in{' '}
          {reports === 1 ? 'was' : 'were'} deleted.
          {kept > 0 ? ` ${kept.toLocaleString()} ${kept === 1 ? 'report it took in was' : 'reports it took in were'} also sent by a later upload, and ${kept === 1 ? 'stays' : 'stay'} on file as that upload's.` : ''}{' '}
          Reason: {why}
        </p>
      </div>
    );
  }
  if (taken === 0) return null;
  if (!open) {
    return (
      <p>
        <button type="button" className="button button--danger-quiet button--small" onClick={() => setOpen(true)}>
          Withdraw this upload…
        </button>
      </p>
    );
  }

  async function withdraw(event: FormEvent) {
    event.preventDefault();
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
    <form className="section" aria-label="Withdraw this upload" onSubmit={(event) => void withdraw(event)}>
      <p>
        Withdrawing deletes the {taken.toLocaleString()} {taken === 1 ? 'report' : 'reports'} this file took in, as deleting them one by one
        would: their credit leaves the physicians' records and the boards. Reports that were already on file before it are not touched, nor
        those a later upload sent again, which stay on file as that upload's. The receipt stays. The hub deletes them in the background (a large file takes a few minutes); you can leave this page meanwhile.
      </p>
      <TextField label="Reason for withdrawing" value={reason} onChange={(event) => setReason(event.target.value)} error={error} required minLength={3} />
      <div className="form__actions">
        <button type="submit" className="button button--danger" disabled={busy || reason.trim().length < 3}>
          {busy ? 'Withdrawing…' : 'Withdraw the reports'}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
