import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { formatDate } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { creditLinesText, useVocabulary } from '../activities/vocabulary.tsx';
import { reportsApi, type ClaimableReport } from './reportsApi.ts';

/** The name a provider reported the learner under, as sent. */
function reportedName(report: ClaimableReport): string {
  return [report.reportedAs.firstName, report.reportedAs.lastName].filter(Boolean).join(' ') || 'No name';
}

/** The identifiers a provider reported the learner by, as sent: license, NPI, certifying board ID. */
function reportedIdentifiers(report: ClaimableReport): string[] {
  const { state, licenseNumber, npi, board, boardId } = report.reportedAs;
  const identifiers: string[] = [];
  if (licenseNumber) identifiers.push(`${state ? `${state} license` : 'License'} ${licenseNumber}`);
  else if (state) identifiers.push(`${state} license, no number`);
  if (npi) identifiers.push(`NPI ${npi}`);
  if (boardId) identifiers.push(`${board ? `${board} ID` : 'Board ID'} ${boardId}`);
  return identifiers;
}

/** "Maria Lopez, CA license •••999, NPI •••893" (numbers by their last characters) or "Maria Lopez, with no license or NPI". */
function reportedAsText(report: ClaimableReport): string {
  const identifiers = reportedIdentifiers(report);
  return identifiers.length > 0 ? `${reportedName(report)}, ${identifiers.join(', ')}` : `${reportedName(report)}, with no license or NPI`;
}

/**
 * The row's claim: "This is mine", then the question naming what the provider reported, with the claim and
 * Cancel. Focus moves to the claim; Escape or Cancel puts the first button back, focused.
 */
function ClaimButton({ report, onClaim }: { report: ClaimableReport; onClaim: (report: ClaimableReport) => Promise<boolean> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const activity = report.activityTitle ?? `Activity ${report.activityId}`;

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      triggerRef.current?.focus();
    }
  }, [asking]);

  function cancel() {
    returnFocus.current = true;
    setAsking(false);
  }

  async function confirm() {
    setBusy(true);
    const claimed = await onClaim(report);
    setBusy(false);
    if (!claimed) cancel();
  }

  if (!asking) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className="button button--small"
        aria-label={`This is mine: ${activity}, completed ${formatDate(report.completionDate)}`}
        onClick={() => setAsking(true)}
      >
        This is mine
      </button>
    );
  }

  const question = `Claim this report as yours? It names ${reportedAsText(report)}. Once claimed it goes to your boards.`;
  return (
    <div
      className="confirm"
      role="group"
      aria-label={`Claim ${activity}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') cancel();
      }}
    >
      <span className="confirm__question">{question}</span>
      <button ref={confirmRef} type="button" className="button button--small" onClick={() => void confirm()} disabled={busy}>
        {busy ? 'Claiming…' : 'Yes, claim it'}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={cancel} disabled={busy}>
        Cancel
      </button>
    </div>
  );
}

/** Completions reported under the physician's name and birth date that did not match them: theirs to claim. */
export function ClaimReportsPage() {
  const claimable = useApi((signal) => reportsApi.claimable(signal), []);
  const vocabulary = useVocabulary();
  const [claimed, setClaimed] = useState<string>();
  const [failure, setFailure] = useState<string>();

  async function claim(report: ClaimableReport): Promise<boolean> {
    setFailure(undefined);
    setClaimed(undefined);
    try {
      await reportsApi.claim(report.id);
      setClaimed(`${report.activityTitle ?? report.activityId} is now in your passport.`);
      return true;
    } catch (error) {
      setFailure(errorMessage(error));
      return false;
    } finally {
      // Claimed, or no longer claimable (claimed elsewhere, corrected by its provider): the list as it is now.
      claimable.reload();
    }
  }

  const columns: Column<ClaimableReport>[] = [
    { header: 'Activity', rowHeader: true, render: (report) => report.activityTitle ?? report.activityId },
    { header: 'Provider', render: (report) => report.providerName ?? '—' },
    { header: 'Completed', nowrap: true, render: (report) => formatDate(report.completionDate) },
    { header: 'Credits', render: (report) => creditLinesText(vocabulary.data, report.credits) },
    {
      header: 'Reported as',
      render: (report) => {
        const identifiers = reportedIdentifiers(report);
        return (
          <>
            {reportedName(report)}
            <br />
            {identifiers.length > 0 ? identifiers.join(', ') : 'No license or NPI'}
          </>
        );
      },
    },
    { header: 'Claim', render: (report) => <ClaimButton report={report} onClaim={claim} /> },
  ];

  return (
    <>
      <PageHeader
        title="Reports to claim"
        subtitle="Completions a provider reported under your name and birth date that could not be matched to you. Check the license or NPI each was reported with (its last three characters) before you claim it: a report you claim counts toward your license and certification with your boards."
      />
      {claimed ? <StatusMessage>{claimed}</StatusMessage> : null}
      <ErrorBanner error={claimable.error ?? failure} />
      {claimable.loading && !claimable.data ? (
        <Loading label="Looking for reports…" />
      ) : (
        <DataTable
          caption="Reports you may claim"
          hideCaption
          columns={columns}
          rows={claimable.data?.items ?? []}
          rowKey={(report) => report.id}
          empty={
            <EmptyState title="Nothing to claim">
              <p>Every completion reported for you was matched to you.</p>
            </EmptyState>
          }
        />
      )}
    </>
  );
}
