import { useState } from 'react';
import { Link } from 'react-router-dom';
import { DateOrderField, useDateOrderChoice } from '../../components/ChoiceField.tsx';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FileField, sendingLabel, useFileUpload } from '../../components/FileUpload.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { MessageList } from '../../components/MessageList.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { activitiesApi, type BatchReceipt } from './activitiesApi.ts';
import './activities.css';

type ReceiptRow = BatchReceipt['rows'][number];

const outcomeLabels: Record<ReceiptRow['outcome'], string> = {
  created: 'Created',
  updated: 'Updated',
  unchanged: 'Unchanged',
  rejected: 'Rejected',
};

const columns: Column<ReceiptRow>[] = [
  { header: 'Row', align: 'end', render: (row) => row.rowNumber },
  { header: 'Your ID', rowHeader: true, nowrap: true, render: (row) => row.providerActivityId ?? '—' },
  {
    header: 'Result',
    render: (row) => <span className={row.outcome === 'rejected' ? 'tag tag--danger' : 'tag tag--ok'}>{outcomeLabels[row.outcome]}</span>,
  },
  { header: 'Hub ID', render: (row) => (row.activityId ? <Link to={`/activities/${row.activityId}`}>{row.activityId}</Link> : '—') },
  {
    header: 'What to fix',
    render: (row) =>
      row.problems.length ? (
        <ul className="plain-list">
          {row.problems.map((problem, index) => (
            <li key={index}>{problem.message}</li>
          ))}
        </ul>
      ) : (
        '—'
      ),
  },
];

/**
 * The headings not read, though each nearly names a column the file lacks ("Physician lerners"): a file of updates
 * would otherwise come back "updated" or "unchanged", and its sender take the column as read.
 */
function columnsNotReadWords(columnsNotRead: BatchReceipt['columnsNotRead']): string {
  if (columnsNotRead.length === 1) {
    const [{ heading, column }] = columnsNotRead;
    return `The column "${heading}" was not read: the rows saved have none of its values. If it is "${column}", write that heading and upload the file again.`;
  }
  const headings = columnsNotRead.map(({ heading, column }) => `"${heading}" (is it "${column}"?)`).join(', ');
  return `These columns were not read: ${headings}. The rows saved have none of their values: write each heading as the hub names its column, and upload the file again.`;
}

/** What to do of a file not all well (rows rejected, or columns not read for the rows saved); nothing when it is. */
function whatToDo({ counts, columnsNotRead }: BatchReceipt): string {
  const rows = counts.rejected === 1 ? 'row as it says' : 'rows as each says';
  if (counts.created + counts.updated + counts.unchanged === 0) {
    return counts.rejected > 0 ? `Nothing in the file was saved: correct the ${rows} below, and upload the file again.` : '';
  }
  if (columnsNotRead.length > 0) return `${columnsNotReadWords(columnsNotRead)}${counts.rejected > 0 ? ` Correct the rejected ${rows} below too.` : ''}`;
  return counts.rejected > 0 ? `Correct the rejected ${rows} below, and upload the file again: the rows saved come back unchanged.` : '';
}

/** Upload a CSV or XLSX file of activities and read, row by row, what the hub did with it. */
export function ActivityUploadPage() {
  const dates = useDateOrderChoice('saved', 'Upload');
  const upload = useFileUpload(async (file, onProgress) => {
    dates.sending();
    try {
      return await activitiesApi.upload(file, dates.toSend, onProgress);
    } catch (failure) {
      dates.refused(failure, file.name);
      throw failure;
    }
  });
  const [onlyProblems, setOnlyProblems] = useState(false);
  const receipt = upload.result;

  const rows = receipt ? (onlyProblems ? receipt.rows.filter((row) => row.outcome === 'rejected') : receipt.rows) : [];
  const toDo = receipt ? whatToDo(receipt) : '';
  return (
    <>
      <PageHeader title="Upload activities" subtitle={<Link to="/activities">Back to activities</Link>} />
      <p>
        One row per activity. A row whose provider activity ID the hub already has updates that activity; any other row
        creates one. Each row is saved on its own: a row with a problem changes nothing. Start from the template:{' '}
        <a href={activitiesApi.templateUrl('xlsx')}>Excel template (XLSX)</a> or <a href={activitiesApi.templateUrl('csv')}>CSV template</a>.
      </p>
      <form className="form form--narrow" onSubmit={(event) => void upload.submit(event)}>
        {/* The hub's question about the file's dates is said at the choice that answers it. */}
        <ErrorBanner ref={upload.errorRef} error={dates.field.error ? undefined : upload.error} title="The file was not taken" />
        <FileField label="Activities file" hint="CSV or XLSX, up to 10,000 rows." upload={upload} />
        <DateOrderField id="activity-upload-dates" {...dates.field} />
        <FormActions label="Upload" busyLabel={sendingLabel(upload, 'Reading the rows…')} busy={upload.busy} />
      </form>
      {receipt ? (
        <section className="section" aria-labelledby="receipt-heading">
          <h2 id="receipt-heading">Receipt for {receipt.fileName ?? 'the file'}</h2>
          <StatusMessage tone={toDo ? 'warning' : 'success'}>
            {receipt.counts.created.toLocaleString()} created, {receipt.counts.updated.toLocaleString()} updated,{' '}
            {receipt.counts.unchanged.toLocaleString()} unchanged, {receipt.counts.rejected.toLocaleString()} rejected. {toDo}
          </StatusMessage>
          <MessageList messages={receipt.fileProblems} />
          <label className="activity-form__check">
            <input type="checkbox" checked={onlyProblems} onChange={(event) => setOnlyProblems(event.target.checked)} /> Show only rejected rows
          </label>
          <DataTable
            caption="Rows of the file"
            hideCaption
            columns={columns}
            rows={rows}
            rowKey={(row) => String(row.rowNumber)}
            empty={<p>No rows to show.</p>}
          />
        </section>
      ) : null}
    </>
  );
}
