import { Link } from 'react-router-dom';
import type { Column } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../format.ts';
import type { Upload } from './uploadsApi.ts';
import './uploads.css';

// The columns the lists of uploads share: the file, its row counts, and when and by whom it was sent.

/** A long file name may break anywhere, so that it never pushes the counts out of sight. */
export const fileColumn: Column<Upload> = {
  header: 'File',
  rowHeader: true,
  render: (upload) => (
    <Link className="upload-file-name" to={`/uploads/${upload.id}`}>
      {upload.fileName ?? `${upload.format.toUpperCase()} file`}
    </Link>
  ),
};

/** Rows, then what became of them: the four after it add up to it. */
export const rowCountColumns: Column<Upload>[] = [
  { header: 'Rows', align: 'end', render: (upload) => upload.rows.done.toLocaleString() },
  { header: 'Accepted', align: 'end', render: (upload) => upload.rows.accepted.toLocaleString() },
  { header: 'Pending', align: 'end', render: (upload) => upload.rows.pending.toLocaleString() },
  { header: 'Rejected', align: 'end', render: (upload) => upload.rows.rejected.toLocaleString() },
  { header: 'Duplicates', align: 'end', render: (upload) => upload.rows.duplicates.toLocaleString() },
];

/** When, and by whom under it; an email may break after its @, so that the column can be narrow. */
export const uploadedColumn: Column<Upload> = {
  header: 'Uploaded',
  render: (upload) => {
    const at = upload.createdBy.indexOf('@') + 1;
    return (
      <>
        {formatDateTime(upload.createdAt)}
        <span className="upload-by">
          by {upload.createdBy.slice(0, at)}
          {at > 0 ? <wbr /> : null}
          {upload.createdBy.slice(at)}
        </span>
      </>
    );
  },
};
