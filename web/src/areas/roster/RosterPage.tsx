import { useEffect, useState } from 'react';
import { DateOrderField, useDateOrderChoice } from '../../components/ChoiceField.tsx';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FileField, sendingLabel, useFileUpload } from '../../components/FileUpload.tsx';
import { Loading } from '../../components/Loading.tsx';
import { MessageList } from '../../components/MessageList.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { formatDateTime } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { useMe } from '../../session/SessionContext.tsx';
import { rosterApi, type RosterLoad } from './rosterApi.ts';

function counts(load: RosterLoad): string {
  const parts = [
    `${load.created.toLocaleString()} created`,
    `${load.updated.toLocaleString()} updated`,
    `${load.unchanged.toLocaleString()} unchanged`,
    `${load.rejected.toLocaleString()} rejected`,
  ];
  if (load.deactivated) parts.push(`${load.deactivated.toLocaleString()} no longer listed, now inactive`);
  if (load.absentHeld) parts.push(`${load.absentHeld.toLocaleString()} not in the file, left as they were`);
  if (load.keptForRejectedRows) parts.push(`${load.keptForRejectedRows.toLocaleString()} named by rejected rows, left as they were until those rows are corrected`);
  return `${load.rowsRead.toLocaleString()} ${load.rowsRead === 1 ? 'row' : 'rows'}: ${parts.join(', ')}.${resumedNote(load)}`;
}

/** A load its server's stop cut off says that it went on, and from where, so that a long load's time is understood. */
function resumedNote(load: RosterLoad): string {
  if (!load.resumed) return '';
  const from = load.resumed.afterRows > 0 ? `after its first ${load.resumed.afterRows.toLocaleString()} rows, which were loaded already` : 'from its start';
  return ` The server stopped during the load: it was resumed from the file at ${formatDateTime(load.resumed.at)}, ${from}.`;
}

/** How often a load being loaded is asked about. */
const followMs = 1000;

/** A board loads its licensee (or diplomate) roster, and reads the receipt of each load. */
export function RosterPage() {
  const me = useMe();
  const organization = me.organization!;
  const kind = organization.kind === 'certifying_board' ? 'certifications' : 'licenses';
  const noun = kind === 'licenses' ? 'licensee' : 'diplomate';
  const loads = useApi((signal) => rosterApi.loads(organization.id, signal), [organization.id]);
  const [fullRoster, setFullRoster] = useState(false);
  const dates = useDateOrderChoice('loaded', 'Upload roster');
  // Why the load followed stopped, once it has; why a file was not taken is the upload's own error.
  const [loadFailure, setLoadFailure] = useState<unknown>();
  const [done, setDone] = useState<RosterLoad>();
  // The load of the file sent, followed until it ends.
  const [loading, setLoading] = useState<RosterLoad>();
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<unknown>();
  const [madeInactive, setMadeInactive] = useState<string>();

  const reloadLoads = loads.reload;
  // A load still going on when the page opens (sent before leaving it, or from another tab) is followed too.
  const runningLoad = loads.data?.items.find((load) => load.status === 'running');
  useEffect(() => {
    if (runningLoad) setLoading((followed) => followed ?? runningLoad);
  }, [runningLoad]);

  useEffect(() => {
    if (!loading) return;
    if (loading.status !== 'running') {
      // A load resumed after its server stopped ends here too, its counts those of the whole file.
      if (loading.status === 'completed') {
        setDone(loading);
        setLoadFailure(undefined);
      } else setLoadFailure(new Error(`The load of ${loading.fileName ?? 'the roster'} stopped: ${loading.failure ?? 'upload the file again.'}`));
      setLoading(undefined);
      reloadLoads();
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      rosterApi.load(organization.id, loading.id, controller.signal).then(setLoading, () => {
        // A look that fails (the network, a restart) is tried again at the next one.
        if (!controller.signal.aborted) setLoading((followed) => followed && { ...followed });
      });
    }, followMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [loading, organization.id, reloadLoads]);

  const upload = useFileUpload(async (file, onProgress) => {
    setLoadFailure(undefined);
    setDone(undefined);
    setMadeInactive(undefined);
    dates.sending();
    try {
      const started = await rosterApi.upload(organization.id, file, { fullRoster, dates: dates.toSend }, onProgress);
      setLoading(started);
      loads.reload();
      return started;
    } catch (failure) {
      // The hub's question about the file's dates is said at the choice that answers it.
      dates.refused(failure, file.name);
      throw failure;
    }
  });

  // Only the board's latest load can make inactive what it held: a later one listed licenses this file did not.
  const latest = loads.data?.items[0];
  const held = latest?.status === 'completed' && latest.absentHeld ? latest : undefined;

  async function makeAbsentInactive(load: RosterLoad) {
    setConfirming(true);
    setConfirmError(undefined);
    try {
      const confirmed = await rosterApi.makeAbsentInactive(organization.id, load.id);
      setDone(undefined);
      setMadeInactive(`${confirmed.deactivated.toLocaleString()} ${kind} not in ${confirmed.fileName ?? 'the roster'} are now inactive.`);
      reloadLoads();
    } catch (failure) {
      setConfirmError(failure);
    } finally {
      setConfirming(false);
    }
  }

  const columns: Column<RosterLoad>[] = [
    { header: 'Started', rowHeader: true, nowrap: true, render: (load) => formatDateTime(load.startedAt) },
    { header: 'File', render: (load) => load.fileName ?? '—' },
    { header: 'Full roster', render: (load) => (load.fullRoster ? 'Yes' : 'No') },
    {
      header: 'Result',
      render: (load) => (
        <>
          {load.status === 'failed' ? <span className="tag tag--danger">Stopped: {load.failure}</span> : load.status === 'running' ? `Loading…${resumedNote(load)}` : counts(load)}
          <MessageList messages={load.notes} />
        </>
      ),
    },
    {
      header: 'Receipt',
      render: (load) => (
        <>
          <a href={rosterApi.receiptUrl(organization.id, load.id, 'xlsx')}>XLSX</a> · <a href={rosterApi.receiptUrl(organization.id, load.id, 'csv')}>CSV</a>
        </>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={`${noun[0].toUpperCase()}${noun.slice(1)} roster`} subtitle={organization.name} />
      <p>
        One row per {kind === 'licenses' ? 'license' : 'certification'}: {kind === 'licenses' ? 'license number, type, status' : 'board ID, status'},
        name, birth month and day (never the year), and the NPI when you have it. Your own export works too, and a workbook
        with a tab per {kind === 'licenses' ? 'license type' : 'specialty or status'} goes in whole. Uploading again updates what changed.
        Start from the template: <a href={rosterApi.templateUrl(kind, 'xlsx')}>Excel template (XLSX)</a> or{' '}
        <a href={rosterApi.templateUrl(kind, 'csv')}>CSV template</a>.
      </p>
      <form className="form form--narrow" onSubmit={(event) => void upload.submit(event)}>
        <ErrorBanner ref={upload.errorRef} error={loadFailure ?? (dates.field.error ? undefined : upload.error)} title="The roster was not loaded" />
        <FileField label="Roster file" hint="CSV or XLSX. A large roster takes a minute or so to load once sent; the page tells you when it is done." upload={upload} />
        <label className="field">
          <span>
            <input type="checkbox" checked={fullRoster} onChange={(event) => setFullRoster(event.target.checked)} /> This file lists every{' '}
            {noun}
          </span>
          <span className="field__hint">
            Then {kind} on the hub that the file leaves out are marked inactive (never deleted); if it leaves out more than a tenth of them, you
            are asked first.
          </span>
        </label>
        <DateOrderField id="roster-dates" {...dates.field} />
        <div className="form__actions">
          <button type="submit" className="button" disabled={upload.busy || loading !== undefined}>
            {upload.busy ? sendingLabel(upload, 'Checking the file…') : loading ? 'Loading rows…' : 'Upload roster'}
          </button>
          {upload.busy && (upload.sentPercent ?? 0) < 100 ? (
            <span className="field__hint">Keep this page open until the file is sent: it is loaded once it has all arrived.</span>
          ) : null}
        </div>
      </form>
      {loading ? (
        // The count changes every second: said once, not read out at each change.
        <div className="banner" aria-live="off">
          <p>
            Loading {loading.fileName ?? 'the roster'}: {loading.rowsRead.toLocaleString()} rows so far. The load goes on if you leave this page; its
            result shows under Recent loads.
          </p>
          <p className="visually-hidden" role="status">
            The file is sent; its rows are being loaded.
          </p>
          {/* Known as the load begins: a column not read is said while there is time to send the file again. */}
          <MessageList messages={loading.notes} />
        </div>
      ) : null}
      {done ? (
        <StatusMessage tone={done.rejected > 0 ? 'warning' : 'success'}>
          Loaded {done.fileName ?? 'the roster'}: {counts(done)}{' '}
          <a href={rosterApi.receiptUrl(organization.id, done.id, 'xlsx')}>Download the receipt</a> to see each row
          {done.rejected > 0 ? ' and what to fix' : ''}.
        </StatusMessage>
      ) : null}
      {done ? <MessageList messages={done.notes} /> : null}
      {held ? (
        <div className="banner banner--warning" role="region" aria-labelledby="roster-held">
          <h2 id="roster-held" className="banner__title">
            {held.absentHeld!.toLocaleString()} {kind} were left as they were
          </h2>
          <ErrorBanner error={confirmError} title={`The ${kind} were not made inactive`} />
          <p>
            {held.fileName ?? 'The last full roster'} leaves out {held.absentHeld!.toLocaleString()} of your practising {kind}: more than a tenth of
            them, which is more often an export cut short or a filter left on than the whole roster. They were not made inactive. Check the file; if it
            does list every {noun}, make them inactive. Otherwise load the whole roster again.
          </p>
          <button type="button" className="button button--danger" disabled={confirming} onClick={() => void makeAbsentInactive(held)}>
            {confirming ? 'Making them inactive…' : `Make these ${held.absentHeld!.toLocaleString()} ${kind} inactive`}
          </button>
        </div>
      ) : null}
      {madeInactive ? <StatusMessage>{madeInactive}</StatusMessage> : null}
      <section className="section" aria-labelledby="roster-loads">
        <h2 id="roster-loads">Recent loads</h2>
        {loads.error ? <ErrorBanner error={loads.error} title="The loads could not be shown" /> : null}
        {loads.loading && !loads.data ? (
          <Loading />
        ) : (
          <DataTable
            caption="Recent roster loads"
            hideCaption
            columns={columns}
            rows={loads.data?.items ?? []}
            rowKey={(load) => load.id}
            empty={<p>No roster loaded yet.</p>}
          />
        )}
      </section>
    </>
  );
}
