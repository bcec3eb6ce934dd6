import { useState } from 'react';
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

/** Completions reported under the physician's name and birth date that did not match them: theirs to claim. */
export function ClaimReportsPage() {
  const claimable = useApi((signal) => reportsApi.claimable(signal), []);
  const vocabulary = useVocabulary();
  const [claimed, setClaimed] = useState<string>();
  const [failure, setFailure] = useState<string>();

  async function claim(report: ClaimableReport) {
    setFailure(undefined);
    try {
      await reportsApi.claim(report.id);
      setClaimed(`${report.activityTitle ?? report.activityId} is now in your passport.`);
      claimable.reload();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  const columns: Column<ClaimableReport>[] = [
    { header: 'Activity', rowHeader: true, render: (report) => report.activityTitle ?? report.activityId },
    { header: 'Provider', render: (report) => report.providerName ?? '—' },
    { header: 'Completed', nowrap: true, render: (report) => formatDate(report.completionDate) },
    { header: 'Credits', render: (report) => creditLinesText(vocabulary.data, report.credits) },
    {
      header: 'Claim',
      render: (report) => (
        <button type="button" className="button button--small" onClick={() => void claim(report)}>
          This is mine
        </button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Reports to claim"
        subtitle="Completions a provider reported under your name and birth date that could not be matched to you."
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
