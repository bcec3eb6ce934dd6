import { Link } from 'react-router-dom';
import type { Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ResultTable } from '../../components/ResultTable.tsx';
import { Section } from '../../components/Section.tsx';
import { useApi } from '../../hooks/useApi.ts';
import { fileColumn, rowCountColumns, uploadedColumn } from '../uploads/uploadColumns.tsx';
import { StatusTag } from '../uploads/UploadStatus.tsx';
import { uploadsApi, type Upload } from '../uploads/uploadsApi.ts';

const SHOWN = 5;

const columns: Column<Upload>[] = [
  fileColumn,
  { header: 'Status', render: (upload) => <StatusTag upload={upload} /> },
  ...rowCountColumns,
  uploadedColumn,
];

/** The latest learner files and how far each got; each row opens its receipt. */
export function RecentUploads() {
  const uploads = useApi((signal) => uploadsApi.list(undefined, signal), []);
  return (
    <Section title="Recent uploads" actions={<Link to="/uploads#recent-uploads">All uploads</Link>}>
      <ResultTable
        caption="Latest files sent"
        hideCaption
        stackOnNarrow
        columns={columns}
        rows={(uploads.data?.items ?? []).slice(0, SHOWN)}
        rowKey={(upload) => upload.id}
        error={uploads.error}
        loading={uploads.loading && !uploads.data}
        loadingLabel="Loading your uploads…"
        empty={
          <EmptyState
            title="No file uploaded yet"
            action={
              <Link className="button button--secondary" to="/uploads">
                Upload a file
              </Link>
            }
          >
            <p>
              Report many learners at once with a CSV, Excel or MedBiquitous XML file. Its progress and its receipt, row
              by row, appear here.
            </p>
          </EmptyState>
        }
      />
    </Section>
  );
}
