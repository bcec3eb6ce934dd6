import type { FileLimits, ProgressListener } from '../../files/limits.ts';
import { readActivityReportBatches } from '../../files/medbiq-activity-report.ts';
import { readTabular } from '../../files/tabular-reader.ts';
import type { TabularFile, TabularFormat } from '../../files/tabular-reader.ts';
import { AppError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import { toIngestRow } from '../reports/reports.xml-input.ts';
import type { IngestRow } from '../reports/use-cases/ingest-learner-reports.ts';
import { LEARNER_FILE_COLUMNS, learnerRowToIngestRow } from './learner-file.ts';
import type { LearnerRecord } from './learner-file.ts';
import { ROWS_TO_FIX_COLUMNS } from './rows-to-fix.ts';
import type { UploadFormat } from './uploads.tables.ts';

/**
 * One input row of a learner file, ready for learner reporting, with the sender's reference for the
 * receipt and, from a CSV or XLSX file, the row's values as sent (for its rows to fix, should it be rejected).
 */
export type LearnerRow = { rowNumber: number; reference: string | null; ingest: IngestRow; sent?: LearnerRecord };

export type LearnerRows = {
  /** Notices about the whole file that do not stop it (columns that are not used). */
  notices: Problem[];
  rows: AsyncIterable<LearnerRow>;
  close(): Promise<void>;
};

/** The file has no header the hub can use: nothing in it can be read as learner rows. */
export class LearnerFileHeaderError extends AppError {
  constructor(problems: Problem[]) {
    super(
      422,
      'file_header_invalid',
      'The file\'s header row does not have the columns of a learner file. Start from the template, or rename the columns.',
      { problems },
    );
  }
}

export type OpenLearnerRowsOptions = {
  format: UploadFormat;
  consent: 'written' | 'implied' | null;
  limits: Partial<FileLimits>;
  onProgress?: ProgressListener;
  /** Only the first rows will be read (see `readTabular`). */
  headerOnly?: boolean;
};

/** Opens a stored learner file (CSV, XLSX or MedBiquitous XML) as learner rows, in file order. */
export async function openLearnerRows(filePath: string, options: OpenLearnerRowsOptions): Promise<LearnerRows> {
  if (options.format === 'xml') return xmlRows(filePath, options);
  const file = await readLearnerTable(filePath, { ...options, format: options.format });
  const defaults = { consent: options.consent };
  async function* rows(): AsyncGenerator<LearnerRow> {
    for await (const batch of file.batches) {
      for (const row of batch) {
        yield {
          rowNumber: row.rowNumber,
          reference: row.record.reference || null,
          ingest: learnerRowToIngestRow(row.record, row.rowNumber, row.problems, defaults),
          sent: row.record,
        };
      }
    }
  }
  return { notices: file.header.problems, rows: rows(), close: () => file.close() };
}

/** A stored CSV or XLSX learner file as records keyed by column name; refused when its header lacks the learner columns. */
async function readLearnerTable(
  filePath: string,
  options: Omit<OpenLearnerRowsOptions, 'format' | 'consent'> & { format: TabularFormat },
): Promise<TabularFile> {
  const file = await readTabular(filePath, {
    format: options.format,
    // A file of rows to fix, sent back corrected, carries two columns of the hub's own.
    columns: [...LEARNER_FILE_COLUMNS, ...ROWS_TO_FIX_COLUMNS],
    limits: options.limits,
    onProgress: options.onProgress,
    headerOnly: options.headerOnly,
  });
  if (!file.header.ok) {
    await file.close();
    throw new LearnerFileHeaderError(file.header.problems);
  }
  return file;
}

/** An upload adds reports; a report is deleted through the API, where the answer says which one went. */
function deletionNotTaken(row: number, line: number): Problem {
  return {
    code: 'delete_not_in_upload',
    field: 'action',
    row,
    message: `Line ${line}: LearnerRecordAction "delete" is not taken in an upload; send the document to POST /api/v1/learner-reports, or delete the report from its page.`,
  };
}

function xmlRows(filePath: string, options: OpenLearnerRowsOptions): LearnerRows {
  const items = readActivityReportBatches(filePath, { limits: options.limits, onProgress: options.onProgress });
  const consent = options.consent ?? undefined;
  async function* rows(): AsyncGenerator<LearnerRow> {
    for await (const batch of items) {
      for (const item of batch) {
        const reference = item.report.credits.find((credit) => credit.creditId)?.creditId ?? null;
        const { action, ...ingest } = toIngestRow(item, consent);
        if (action === 'delete') {
          yield { rowNumber: item.rowNumber, reference, ingest: { ...ingest, input: null, parseProblems: [deletionNotTaken(item.rowNumber, item.line)] } };
        } else {
          yield { rowNumber: item.rowNumber, reference, ingest };
        }
      }
    }
  }
  return {
    notices: [],
    rows: rows(),
    close: async () => {
      await items.return(undefined);
    },
  };
}
