import { validate as isId } from 'uuid';
import { headerRowProblems, normalizeHeading } from '../../files/columns.ts';
import type { ColumnSpec, TabularHeader } from '../../files/columns.ts';
import type { FileLimits, ProgressListener } from '../../files/limits.ts';
import { fileNotices, noticesOfRowsRead, passedOverSheetNotices } from '../../files/file-notices.ts';
import { readActivityReportBatches } from '../../files/medbiq-activity-report.ts';
import { rowPlace, rowWords } from '../../files/row-place.ts';
import type { HeadingRead, SheetRead } from '../../files/row-place.ts';
import { readTabular } from '../../files/tabular-reader.ts';
import type { SheetNotRead, TabularFile, TabularFormat } from '../../files/tabular-reader.ts';
import { DateOrderOfFile, learnerUploadsSayDayFirst, writtenDayFirstMessage } from '../../files/written-dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import { AppError } from '../../http/errors.ts';
import { quoted } from '../../words.ts';
import type { Problem } from '../../http/errors.ts';
import { toIngestRow } from '../reports/reports.xml-input.ts';
import type { IngestRow } from '../reports/use-cases/ingest-learner-reports.ts';
import {
  issuerNamedColumnsIn,
  absentIdentifierHalves,
  creditsFromActivityNoticeOf,
  halfIdentifierNotices,
  howToGiveUploadConsent,
  learnerHeaderProblems,
  RECEIPT_OWN_HEADINGS,
  referenceKept,
  standInReadAs,
  takesCreditsFromActivity,
  withIssuerNamedColumnNames,
  standInsOf,
  withIssuerNamedColumns,
} from './learner-columns.ts';
import type { LearnerRecord } from './learner-columns.ts';
import { learnerFileColumns, learnerRowToIngestRow, notAttended, withActivityAndDateForRows } from './learner-file.ts';
import type { ActivityAndDateForRows, FileDefaults } from './learner-file.ts';
import { consentStated } from './learner-values.ts';
import { ROWS_TO_FIX_COLUMNS, valuesToFix } from './rows-to-fix.ts';
import type { UploadFormat } from './uploads.tables.ts';

/**
 * One input row of a learner file (`rowNumber`: its place in the file, `files/row-place.ts`), ready for learner reporting (with the sender's reference for the row, which
 * the receipt repeats) and, from a CSV or XLSX file, the row's values as sent, and what its rows to fix keep of
 * them should it be rejected (`toFix`, worked out once, when first asked for: the rejected report is known by it too).
 *
 * `replaces`: the rejected report a row of a file of rows to fix was kept as, which it corrects, and the row of
 * the file first sent that the rows to fix say it was (null when that column is gone). `hidden`: a workbook's
 * sheet hides the row.
 */
export type LearnerRow = { rowNumber: number; ingest: IngestRow; sent?: LearnerRecord; toFix?: () => LearnerRecord; replaces?: RejectedReportNamed; hidden?: true };

export type RejectedReportNamed = { reportId: string; sentRow: number | null };

/**
 * How a file's header was read: its row (and sheet), and each heading with the column it was read as, null for
 * a heading the hub does not use (unknown, or a column repeated).
 */
export type ColumnsRead = { row: number; sheet: string | null; columns: HeadingRead[] };

export type LearnerRows = {
  /** Notices about the whole file that do not stop it (the 8-bit encoding its text was read in, columns that are not used). */
  notices: Problem[];
  /** Once the rows are read: the notices only they told (8-bit text after the file's first 64 KB, which were UTF-8). */
  noticesOfRowsRead(): Problem[];
  /** For a CSV or XLSX file; a MedBiquitous document has no headings. */
  columnsRead: ColumnsRead | null;
  /** A workbook with rows on several sheets, read one after another: those sheets; null otherwise. */
  sheets: SheetRead[] | null;
  rows: AsyncIterable<LearnerRow>;
  close(): Promise<void>;
};

/** The file has no header the hub can use, or one that lacks what every row needs: none of its rows could be taken. */
export class LearnerFileHeaderError extends AppError {
  /** The row read as the header, when one was, though it lacks columns; with the rows above it. */
  readonly header: Pick<TabularHeader, 'rowNumber' | 'sheetName' | 'rowsAbove'> | undefined;

  constructor(problems: Problem[], header?: Pick<TabularHeader, 'rowNumber' | 'sheetName' | 'rowsAbove'>) {
    super(
      422,
      'file_header_invalid',
      header
        ? `The file's header row (row ${header.rowNumber}${header.sheetName ? ` of sheet "${header.sheetName}"` : ''}) lacks columns every learner row needs. Add them, or start from the template.`
        : 'The file\'s header row does not have the columns of a learner file. Start from the template, or rename the columns.',
      { problems },
    );
    this.header = header;
  }
}

/** No consent anywhere, or rows that say only that their learners agreed: every row would be refused for want of it. */
export class UploadConsentRequiredError extends AppError {
  /**
   * `consent_kind_required`: the file has consent, but its rows say only that learners agreed, not how; `found`
   * says the rows, as a problem of the column, for a client to say in its own words what to do.
   */
  constructor(message: string, code: 'consent_required' | 'consent_kind_required' = 'consent_required', found?: Problem) {
    super(422, code, message, found ? { problems: [found] } : {});
  }
}

/**
 * A file sent without the upload's consent whose first rows say under Consent only that their learners agreed
 * ("Yes"), or nothing, and none how (Written, Implied): a Yes/No column, whose every such row would be refused
 * until the upload says how its learners consented. The file is refused before any row is taken, asking once.
 * A row left so in a file whose rows say how is that row's own slip, rejected with its problem. Null otherwise.
 */
export function consentLeftUnstated(firstRows: readonly LearnerRow[]): UploadConsentRequiredError | null {
  const said = firstRows.flatMap((row) => (row.ingest.keepNothing || !row.sent ? [] : [{ row, stated: consentStated(row.sent.consent ?? '') }]));
  if (said.some(({ stated }) => stated === 'how')) return null;
  const unstated = said.filter(({ stated }) => stated === 'not-how').map(({ row }) => row);
  if (unstated.length === 0) return null;
  const [first] = unstated;
  const written = first.sent?.consent?.trim() ?? '';
  const others = unstated.length > 1 ? `, ${asMoreOfFirstRows(unstated.length - 1, firstRows.length)}` : '';
  const found = `${firstRowWords(first)} says ${written ? `only "${written}"` : 'nothing'} under Consent${others}, and none says how its learner consented to be reported (Written or Implied).`;
  return new UploadConsentRequiredError(
    `${found.slice(0, -1)}, so such rows would be refused. If the learners of this file consented, say how for ` +
      `the whole upload: ${howToGiveUploadConsent}. Rows saying Yes or nothing take it; rows saying No keep their own.`,
    'consent_kind_required',
    { code: 'consent_kind_unstated', field: 'consent', message: found },
  );
}

/**
 * A file none of whose first rows shows its learner attended: an event's export whose every registrant is marked
 * absent, or holds a ticket never checked in (an event that did not check its attendees in). Refused at once:
 * taken in, it would credit no one and keep nothing. Rows that are no completion (a total) are not counted.
 */
export function noneShownAttending(firstRows: readonly LearnerRow[]): AppError | null {
  const completions = firstRows.filter((row) => !row.ingest.keepNothing || row.ingest.parseProblems[0]?.code === notAttended);
  const [first] = completions;
  if (!first || completions.some((row) => row.ingest.parseProblems[0]?.code !== notAttended)) return null;
  const looked = completions.length === 1 ? 'The file\'s one row does not show' : `None of the file's first ${completions.length.toLocaleString('en-US')} rows shows`;
  return new AppError(
    422,
    'none_attended',
    `${looked} that its learner attended (${firstRowWords(first)}: ${first.ingest.parseProblems[0].message}.) Taken in, the file would credit no one. ` +
      'If everyone it lists attended, mark them so (Yes, Attended or Checked In), or delete the attendance column; if not, send only the rows of those who came.',
  );
}

/**
 * A file whose first rows all write their completion date without a year ("13-Nov", as Excel saves a date of its
 * default format into a CSV file), none of whose activities tells the year: every row would be rejected for it, so
 * the file is refused when sent, saying how to keep the year. A row or two so among dates with their years are those
 * rows' own slips, and a row the reader could not split into its columns says nothing of the file's dates. Null
 * otherwise. `whyNotTold`: of a row, null when its activity tells the year (a session of one day), why not when it
 * does not, undefined when the row names no activity of the provider's; null itself when no row names one.
 */
export function completionDatesWithoutYear(
  firstRows: readonly LearnerRow[],
  format: UploadFormat,
  whyNotTold: ((row: LearnerRow) => string | null | undefined) | null,
): AppError | null {
  const dated = firstRows.filter((row) => !row.ingest.keepNothing && (row.ingest.input ?? row.ingest.readable) && row.sent?.completionDate?.trim());
  const [first] = dated;
  const written = first?.ingest.completionDateWithoutYear?.written;
  if (!written || !dated.every((row) => row.ingest.completionDateWithoutYear)) return null;
  if (whyNotTold && dated.some((row) => whyNotTold(row) === null)) return null;
  const others = dated.length > 1 ? `, ${asMoreOfFirstRows(dated.length - 1, firstRows.length)}` : '';
  const because = whyNotTold?.(first);
  const found = `${firstRowWords(first)} gives its completion date without a year (${quoted(written)})${because ? `, ${because}` : ''}${others}.`;
  const howToKeepIt =
    format === 'csv'
      ? 'A spreadsheet saves a date into a CSV file as its cell shows it: send the workbook itself (.xlsx), which keeps the whole date, or format the column to show the year (such as 11/13/2026) and save the CSV file again.'
      : 'Write each date with its year (such as 11/13/2026), or format the column as dates that show the year.';
  return new AppError(422, 'completion_date_year_missing', `${found} Every row would be rejected for it. ${howToKeepIt}`, {
    problems: [{ code: 'completion_date_year_missing', field: 'completionDate', message: found }],
  });
}

/**
 * What the upload must say of a whole file (how its learners consented, how its dates are written), asked in one
 * refusal: the first's code, every message, and every problem, each of its own field, for a client to say each at
 * the choice that mends it.
 */
export function askedAtOnce([first, ...more]: readonly AppError[]): AppError {
  if (more.length === 0) return first;
  const message = [first.message, ...more.map((refusal) => `Also: ${refusal.message}`)].join(' ');
  return new AppError(first.status, first.code, message, { problems: [first, ...more].flatMap((refusal) => refusal.problems ?? []) });
}

/** A row named at the start of a sentence: "Row 2", "Row 3 of sheet "October"". */
export function firstRowWords(row: LearnerRow): string {
  const where = row.ingest.rowWords ?? rowWords(row.rowNumber, null);
  return `${where[0].toUpperCase()}${where.slice(1)}`;
}

/** "as does 1 more of the file's first 9 rows": how many more of the rows looked at before queuing are alike. */
function asMoreOfFirstRows(more: number, looked: number): string {
  return `as ${more === 1 ? 'does 1 more' : `do ${more.toLocaleString('en-US')} more`} of the file's first ${looked.toLocaleString('en-US')} rows`;
}

/** The upload said nothing of its dates' order, and its first rows have dates that can only be read day first. */
export class UploadDateOrderRequiredError extends AppError {
  /** `found`: the date found, as a problem of its column, for a client to say in its own words what to do. */
  constructor(message: string, found: Problem) {
    super(422, 'date_order_required', message, { problems: [found] });
  }
}

/**
 * What a file's dates of numbers (completion dates, dates of birth) say of the order they are written in, row by row,
 * from its first row. A file sent without saying the order whose rows have a date that can only be read day first
 * (30/06/2026), and none that can only be read month first, is a file written day first, whose other dates
 * (05/06/2026) would be taken in on the wrong day, month first: refused before any row is taken, asking how its
 * dates are written. Rows of a file of both orders each say their own.
 */
export class DateOrderSeen {
  private rowsSeen = 0;
  private dayFirstRows = 0;
  private readonly dates = new DateOrderOfFile<LearnerRow>();

  /** Sees the file's next row. */
  see(row: LearnerRow): void {
    this.rowsSeen += 1;
    if (row.ingest.keepNothing || !row.sent) return;
    let dayFirst = false;
    for (const written of [row.sent.completionDate, row.sent.dateOfBirth]) {
      if (written && this.dates.see(written, row) === 'day_first') dayFirst = true;
    }
    if (dayFirst) this.dayFirstRows += 1;
  }

  /** Every date seen so far reads both ways: the rows after may tell which way the file writes them. */
  get undecided(): boolean {
    return this.dates.undecided;
  }

  get rowsLookedAt(): number {
    return this.rowsSeen;
  }

  /**
   * The file's refusal when the rows seen have a date that can only be read day first, and none only month first,
   * among dates mostly written with numbers: one such date among dates written `YYYY-MM-DD` is that row's slip.
   */
  refusal(): UploadDateOrderRequiredError | null {
    const dayFirst = this.dates.writtenDayFirst;
    if (!dayFirst) return null;
    const { where: row, written } = dayFirst;
    const looked = this.rowsSeen.toLocaleString('en-US');
    const none =
      this.dayFirstRows > 1 ? `, ${asMoreOfFirstRows(this.dayFirstRows - 1, this.rowsSeen)}, and none of those ${looked} rows` : `, and none of the file's first ${looked} rows`;
    // The file's only row: there are no other rows to speak of.
    const noneMonthFirst = this.rowsSeen > 1 ? `${none} has a date that can only be read month first` : '';
    // A date of birth may hold its year, which is said nowhere: the completion date is named as written, a birthday only by its column.
    const field = written === row.sent?.completionDate ? 'completionDate' : 'dateOfBirth';
    const what = field === 'completionDate' ? `the date "${written}"` : 'a date of birth';
    const found = `${firstRowWords(row)} has ${what}, which can only be read day first (DD/MM/YYYY)${noneMonthFirst}.`;
    return new UploadDateOrderRequiredError(writtenDayFirstMessage(found, 'taken in', learnerUploadsSayDayFirst), { code: 'date_only_day_first', field, message: found });
  }
}

/**
 * The order a file's dates are written in, as far as its rows tell within its first `most`: read from its first row
 * until a date that reads one way only, for a file whose first rows' dates all read both ways (sorted by date, a
 * file written day first may have no day past the 12th for thousands of rows). What stops the reader (a line
 * past 1 MB, the row limit) stops only this: the job meets it too.
 */
export async function dateOrderOfRows(rows: AsyncIterable<LearnerRow>, most: number): Promise<DateOrderSeen> {
  const seen = new DateOrderSeen();
  try {
    for await (const row of rows) {
      seen.see(row);
      if (!seen.undecided || seen.rowsLookedAt >= most) break;
    }
  } catch {
    // Said by the job, with the rows before it taken in.
  }
  return seen;
}

export type OpenLearnerRowsOptions = {
  format: UploadFormat;
  consent: 'written' | 'implied' | null;
  /** The order the upload says its dates of numbers are written in (CSV and XLSX); null when unsaid. */
  dateOrder?: DateOrder | null;
  /** For CSV and XLSX files; a MedBiquitous document names its activity and dates itself. */
  forRows?: ActivityAndDateForRows;
  limits: Partial<FileLimits>;
  onProgress?: ProgressListener;
  /** Only the first rows will be read (see `readTabular`). */
  headerOnly?: boolean;
};

const noActivityOrDateForRows: ActivityAndDateForRows = { activityId: null, completionDate: null };

function wholeRow(written: string | undefined): number | null {
  const text = written?.trim() ?? '';
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/** Opens a stored learner file (CSV, XLSX or MedBiquitous XML) as learner rows, in file order. */
export async function openLearnerRows(filePath: string, options: OpenLearnerRowsOptions): Promise<LearnerRows> {
  if (options.format === 'xml') return xmlRows(filePath, options);
  const forRows = options.forRows ?? noActivityOrDateForRows;
  const file = await readLearnerTable(filePath, { ...options, format: options.format, forRows }, { consent: options.consent });
  const specs = columnsOfFile(forRows);
  // Each sheet of a workbook is read under its own header (the first is the file's): the columns it has in place of
  // the template's, and those it lacks, are its own.
  const sheetColumns = (file.sheets ?? [file.header]).map(columnsOf);
  const creditsFromActivity = takesCreditsFromActivity(sheetColumns[0]);
  const sheetDefaults: FileDefaults[] = sheetColumns.map((columns) => ({
    consent: options.consent,
    creditsFromActivity,
    dateOrder: options.dateOrder,
    standIns: standInsOf(columns),
    absentHalves: absentIdentifierHalves(columns),
    attendance: attendanceColumnsOf(columns),
  }));
  const columnsRead = columnsReadOf(file.header, specs);
  const sheets = file.sheets?.map((header, index) => sheetRead(header, index === 0 ? null : columnsRead, specs)) ?? null;
  // Every sheet's, for a workbook whose sheets are read one after another under headers of their own.
  const issuerNamed = issuerNamedColumnsIn(new Set((file.sheets ?? [file.header]).flatMap((header) => [...columnsOf(header)])));
  async function* rows(): AsyncGenerator<LearnerRow> {
    for await (const batch of file.batches) {
      for (const row of batch) {
        const issuerNamedRead = withIssuerNamedColumns(row.record, issuerNamed);
        const record = withActivityAndDateForRows(issuerNamedRead.record, forRows);
        const place = row.sheet ? rowPlace(row.sheet, row.rowNumber) : row.rowNumber;
        let kept: LearnerRecord | undefined;
        const toFix = () => (kept ??= valuesToFix(record, { dateOrder: options.dateOrder, consent: options.consent }));
        yield {
          rowNumber: place,
          ingest: {
            ...learnerRowToIngestRow(record, place, row.problems, sheetDefaults[row.sheet ?? 0], issuerNamedRead.problems),
            rowWords: sheets ? rowWords(place, sheets) : undefined,
            sentAs: toFix,
            reference: referenceKept(record.reference),
          },
          sent: record,
          toFix,
          ...(row.hidden ? { hidden: true } : {}),
          ...(isId(record.rejectedReport ?? '') ? { replaces: { reportId: record.rejectedReport.toLowerCase(), sentRow: wholeRow(record.sentRow) } } : {}),
        };
      }
    }
  }
  const notices = [
    ...fileNotices(file),
    ...(creditsFromActivity ? [creditsFromActivityNoticeOf(file.header.unknown)] : []),
    // Said once, when two sheets lack the same column.
    ...new Map(sheetColumns.flatMap(halfIdentifierNotices).map((notice) => [notice.message, notice])).values(),
    ...sheetsNotReadNotices(file.sheetsNotRead ?? [], file.header, specs),
    ...registrationOnlyNotices(file.sheets ?? [file.header]),
  ];
  return { notices, noticesOfRowsRead: () => noticesOfRowsRead(file), columnsRead, sheets, rows: rows(), close: () => file.close() };
}

/**
 * Said of a sheet with a registration's status and no column of attendance: its rows are taken as learners who
 * attended, but for those whose registration was cancelled, which is for its sender to know.
 */
function registrationOnlyNotices(headers: readonly TabularHeader[]): Problem[] {
  const header = headers.find((candidate) => candidate.columns.some((column) => column.name === 'registrationStatus') && !candidate.columns.some((column) => column.name === 'attended'));
  const heading = header?.columns.find((column) => column.name === 'registrationStatus')?.heading;
  if (!header || !heading) return [];
  return [
    {
      code: 'attendance_not_said',
      field: 'registrationStatus',
      message: `The column "${heading}"${header.sheetName ? ` (sheet "${header.sheetName}")` : ''} says who registered, not who attended: its rows Cancelled, Declined or Not Attending are not taken, and every other row is taken as a learner who attended, with credit. If the file lists registrants who did not come, add an "Attended" column saying Yes or No for each, or send only those who attended.`,
    },
  ];
}

/** The columns of a file that say whether a registrant attended, when it has one. */
function attendanceColumnsOf(columns: ReadonlySet<string>): FileDefaults['attendance'] {
  const attended = columns.has('attended');
  return attended || columns.has('registrationStatus') ? { attended } : undefined;
}

/** The headings that make a sheet without the header row look like a sheet of learners, one of them at least. */
const learnerNameColumns = new Set(['firstName', 'lastName', 'fullName']);

/**
 * The sheets of a workbook whose rows were not read though they look like learners: a hidden sheet with rows
 * under the header row, or a sheet whose header lacks a column (with a name column and two more known), so that
 * its sender adds what it lacks rather than finding its rows missing from the receipt. A sheet of instructions or
 * of activities is not one.
 */
function sheetsNotReadNotices(sheets: readonly SheetNotRead[], read: TabularHeader, specs: readonly ColumnSpec[]): Problem[] {
  const again = 'and send the file again: the rows taken in now are recognised and not counted twice.';
  return sheets.flatMap((sheet): Problem[] => {
    if (sheet.why !== 'header_incomplete') return passedOverSheetNotices([sheet], (action) => `If they are to be reported, ${action} ${again}`);
    const { name, header } = sheet;
    const known = header.columns.flatMap((column) => (column.name ? [column.name] : []));
    if (known.length < 3 || !known.some((column) => learnerNameColumns.has(column)) || header.missing.length === 0) return [];
    const lacking = header.missing
      .map((missing) => {
        const meant = header.missingAs?.[missing];
        return `"${specs.find((spec) => spec.name === missing)?.label ?? missing}"${meant ? ` (is it "${meant}"?)` : ''}`;
      })
      .join(', ');
    const asOn = read.sheetName ? ` (as on sheet "${read.sheetName}")` : '';
    const columns = header.missing.length === 1 ? 'column' : 'columns';
    const misspelt = header.missing.some((missing) => header.missingAs?.[missing]);
    return [
      {
        code: 'sheet_not_read',
        message: `Sheet "${name}" was not read: its row ${header.rowNumber} looks like the header of learner rows, but has no ${columns} ${lacking}. If its rows are to be reported, ${misspelt ? `correct the heading, or add the ${columns}${asOn},` : `add the ${columns}${asOn}`} ${again}`,
      },
    ];
  });
}

/**
 * A stored CSV or XLSX learner file as records keyed by column name; refused when its header lacks the learner
 * columns, or what every row needs (a birth month and day, an identifier, consent).
 */
async function readLearnerTable(
  filePath: string,
  options: Omit<OpenLearnerRowsOptions, 'format' | 'consent'> & { format: TabularFormat; forRows: ActivityAndDateForRows },
  defaults: FileDefaults,
): Promise<TabularFile> {
  const file = await readTabular(filePath, {
    format: options.format,
    columns: columnsOfFile(options.forRows),
    limits: options.limits,
    onProgress: options.onProgress,
    headerOnly: options.headerOnly,
    everySheet: true,
  });
  const { header } = file;
  if (header.rowNumber === 0) {
    await file.close();
    throw new LearnerFileHeaderError(header.problems);
  }
  try {
    checkLearnerHeader(header, defaults);
    // Every sheet of a workbook read is held to what the first is; each is read under its own header.
    for (const other of file.sheets?.slice(1) ?? []) {
      checkLearnerHeader(other, defaults);
      if (takesCreditsFromActivity(columnsOf(other)) !== takesCreditsFromActivity(columnsOf(header))) throw sheetCreditsDiffer(header, other);
    }
  } catch (error) {
    await file.close();
    throw error;
  }
  return file;
}

/** Refuses a header without what every learner row needs: a birth month and day, an identifier, consent. */
function checkLearnerHeader(header: TabularHeader, defaults: FileDefaults): void {
  if (isReceiptHeader(header)) throw receiptSentBack(header);
  const lacking = learnerHeaderProblems(columnsOf(header), defaults);
  if (!header.ok || lacking.some((problem) => problem.code !== 'consent_required')) throw new LearnerFileHeaderError(headerRowProblems(header, lacking), header);
  if (lacking.length > 0) throw new UploadConsentRequiredError(lacking[0].message);
}

/** A receipt of the hub's, sent back where its rows to fix were meant, as the two are downloaded side by side. */
function isReceiptHeader(header: TabularHeader): boolean {
  const headings = new Set(header.columns.map((column) => normalizeHeading(column.heading)));
  return Object.values(RECEIPT_OWN_HEADINGS).every((heading) => headings.has(normalizeHeading(heading)));
}

function receiptSentBack(header: TabularHeader): AppError {
  return new AppError(
    422,
    'file_is_a_receipt',
    `This is the hub's receipt of an upload (row ${header.rowNumber}${header.sheetName ? ` of sheet "${header.sheetName}"` : ''} has its columns ${RECEIPT_OWN_HEADINGS.reportId} and ${RECEIPT_OWN_HEADINGS.problemCodes}), not a file of learners: it says what became of each row sent. To send the rejected rows again, download the rows to fix from that upload's page, correct them there and upload that file.`,
  );
}

/**
 * One sheet with a credits column and the other without: the learners of one would be given their activity's
 * credits, and those of the other their own. Any other column may be on one sheet and not the other.
 */
function sheetCreditsDiffer(first: TabularHeader, other: TabularHeader): AppError {
  const [withCredits, without] = takesCreditsFromActivity(columnsOf(first)) ? [other, first] : [first, other];
  return new AppError(
    422,
    'sheet_columns_differ',
    `Sheet "${without.sheetName}" has no credits column, while sheet "${withCredits.sheetName}" has one: the learners on "${without.sheetName}" would each be given all the credits of their activity, and those on "${withCredits.sheetName}" the credits of their row. Add the credits column to sheet "${without.sheetName}" (as on sheet "${withCredits.sheetName}"), or send that sheet in a file of its own.`,
  );
}

/** The columns a learner file may have. A file of rows to fix, sent back corrected, carries those of the hub's own too. */
const columnsOfFile = (forRows: ActivityAndDateForRows) => [...learnerFileColumns(forRows), ...ROWS_TO_FIX_COLUMNS];

/** A sheet read, with its own headings when they are not those of the first sheet (`first`; null for the first), in any order and case. */
function sheetRead(header: TabularHeader, first: ColumnsRead | null, specs: readonly ColumnSpec[]): SheetRead {
  const sheet = { name: header.sheetName ?? '', headerRow: header.rowNumber };
  if (!first) return sheet;
  const { columns } = columnsReadOf(header, specs);
  const anyOrder = (headings: readonly HeadingRead[]) => headings.map(({ heading, readAs }) => `${heading.toLowerCase()}\u0000${readAs ?? ''}`).sort().join('\u0001');
  return anyOrder(columns) === anyOrder(first.columns) ? sheet : { ...sheet, columns };
}

function columnsReadOf(header: TabularHeader, specs: readonly ColumnSpec[]): ColumnsRead {
  const labelOf = new Map(specs.map((spec) => [spec.name, spec.label]));
  return {
    row: header.rowNumber,
    sheet: header.sheetName ?? null,
    columns: header.columns.map(({ heading, name }) => ({ heading, readAs: name ? (standInReadAs[name] ?? labelOf.get(name) ?? name) : null })),
  };
}

/** The learner columns a header has, by name, with those its issuer-named columns stand in for. */
const columnsOf = (header: TabularHeader) => withIssuerNamedColumnNames(new Set(header.columns.flatMap((column) => (column.name ? [column.name] : []))));

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
      // Checked once reports have been read, so that a file that is no Activity Report is refused for that instead.
      if (!consent) {
        throw new UploadConsentRequiredError(
          `A MedBiquitous XML file has no place for consent, and no consent was given for the upload, so every report would be refused. To take it, ${howToGiveUploadConsent}.`,
        );
      }
      for (const item of batch) {
        const reference = referenceKept(item.report.credits.find((credit) => credit.creditId)?.creditId ?? undefined);
        const { action, ...ingest } = toIngestRow(item, consent);
        if (action === 'delete') {
          yield { rowNumber: item.rowNumber, ingest: { ...ingest, reference, input: null, parseProblems: [deletionNotTaken(item.rowNumber, item.line)] } };
        } else {
          yield { rowNumber: item.rowNumber, ingest: { ...ingest, reference } };
        }
      }
    }
  }
  return {
    notices: [],
    noticesOfRowsRead: () => [],
    columnsRead: null,
    sheets: null,
    rows: rows(),
    close: async () => {
      await items.return(undefined);
    },
  };
}
