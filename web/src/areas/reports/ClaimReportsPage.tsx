import { useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
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
function ClaimButton({ report, onClaim }: { report: ClaimableReport; onClaim: (report: ClaimableReport) => Promise<void> }) {
  const activity = report.activityTitle ?? `Activity ${report.activityId}`;
  return (
    <ConfirmButton
      label="This is mine"
      accessibleLabel={`This is mine: ${activity}, completed ${formatDate(report.completionDate)}`}
      question={`Claim this report as yours? It names ${reportedAsText(report)}. Once claimed it goes to your boards.`}
      groupLabel={`Claim ${activity}`}
      confirmLabel="Yes, claim it"
      busyLabel="Claiming…"
      tone="plain"
      onConfirm={() => onClaim(report)}
    />
  );
}

/** Completions reported under the physician's name and birth date that did not match them: theirs to claim. */
export function ClaimReportsPage() {
  const claimable = useApi((signal) => reportsApi.claimable(signal), []);
  const vocabulary = useVocabulary();
  const [claimed, setClaimed] = useState<string>();
  const [failure, setFailure] = useState<string>();

  async function claim(report: ClaimableReport): Promise<void> {
    setFailure(undefined);
    setClaimed(undefined);
    try {
      await reportsApi.claim(report.id);
      setClaimed(`${report.activityTitle ?? report.activityId} is now in your passport.`);
    } catch (error) {
      setFailure(errorMessage(error));
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
