import type { Problem } from '../http/errors.ts';
import type { TabularHeader } from './columns.ts';
import type { SectionNotRead, SheetNotRead, TabularFile } from './tabular-reader.ts';
import type { EightBitEncoding, TextEncoding } from './text-decoding.ts';

/** Each 8-bit encoding the hub reads, named with the file Excel's "Save as" writes in it. */
const eightBitEncodingNames: Partial<Record<TextEncoding, string>> = {
  'windows-1252': 'Windows-1252, as Excel on Windows saves "CSV (Comma delimited)"',
  macintosh: 'Mac Roman, as Excel for Mac saves "CSV (Macintosh)"',
  cp437: 'DOS code page 437, as Excel saves "CSV (MS-DOS)" in the US',
  cp850: 'DOS code page 850, as Excel saves "CSV (MS-DOS)" in Western Europe',
} satisfies Record<EightBitEncoding, string>;

type EncodingNoticeOptions = {
  /** Only rows past the file's first 64 KB were 8-bit text, told once they were read. */
  rowsFurtherDown?: boolean;
  /** What the sender would see read wrong: the learners' or licensees' names, an activity's title. */
  accented?: 'name' | 'title';
};

/**
 * Which 8-bit encoding a CSV file's text was read in, told by its bytes: a sender whose accented names come out
 * wrong learns why, and what to save instead. None for UTF-8, UTF-16 and workbooks.
 */
export function encodingNotice(encoding: TextEncoding | null | undefined, { rowsFurtherDown = false, accented = 'name' }: EncodingNoticeOptions = {}): Problem[] {
  const name = encoding && eightBitEncodingNames[encoding];
  if (!name) return [];
  const notSaved = rowsFurtherDown
    ? 'Rows further down the file were not saved as CSV UTF-8, as its first rows were: their text was read as'
    : 'The file was not saved as CSV UTF-8: its text was read as';
  return [
    {
      code: 'not_utf8',
      message: `${notSaved} ${name}. Should an accented ${accented} read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.`,
    },
  ];
}

/** What the header of a sheet says of its columns (not used, repeated), naming the sheet. */
function sheetHeaderNotices(header: TabularHeader): Problem[] {
  const sheet = header.sheetName ?? '';
  return header.problems.map((problem) => ({ ...problem, sheet, message: `Sheet "${sheet}": ${problem.message}` }));
}

/**
 * What a file whose header was read says before its rows are: the encoding its text was read in, and what its
 * header (each sheet's, naming the sheet, for rows on several) says of its columns.
 */
export function fileNotices(file: Pick<TabularFile, 'encoding' | 'header' | 'sheets'>, options: Pick<EncodingNoticeOptions, 'accented'> = {}): Problem[] {
  return [...encodingNotice(file.encoding, options), ...(file.sheets ? file.sheets.flatMap(sheetHeaderNotices) : file.header.problems)];
}

/**
 * What a file says once its rows are read: the encoding of 8-bit rows past a UTF-8 or ASCII start, and the sections
 * of a report's others under its rows, which were not read.
 */
export function noticesOfRowsRead(file: Pick<TabularFile, 'eightBitLater' | 'sectionsNotRead'>, options: Pick<EncodingNoticeOptions, 'accented'> = {}): Problem[] {
  return [...encodingNotice(file.eightBitLater, { ...options, rowsFurtherDown: true }), ...(file.sectionsNotRead ?? []).map(sectionNotReadNotice)];
}

function sectionNotReadNotice({ title, rowNumber, sheet }: SectionNotRead): Problem {
  const where = sheet ? `row ${rowNumber} of sheet "${sheet}"` : `row ${rowNumber}`;
  return {
    code: 'section_not_read',
    message: `The rows from "${title}" (${where}) on were not read: that section of the report lists its hosts, panelists, summary or activities, not rows to take in. If rows under it are to be sent, put them above it, under the header.`,
  };
}

/**
 * What a workbook's sheets with rows under the header row that were passed over say: a hidden sheet is never read,
 * nor one named as an example; and what to do should their rows be meant (`ifMeant`, given what to do to the sheet:
 * "If they are to be reported, unhide the sheet in Excel and…").
 */
export function passedOverSheetNotices(sheets: readonly SheetNotRead[], ifMeant: (action: string) => string): Problem[] {
  return sheets.flatMap(({ name, why }): Problem[] => {
    if (why === 'hidden') {
      return [{ code: 'sheet_not_read', message: `The hidden sheet "${name}" has rows under the header row, which were not read: a hidden sheet never is. ${ifMeant('unhide the sheet in Excel')}` }];
    }
    if (why === 'example') {
      return [{ code: 'sheet_not_read', message: `Sheet "${name}" has rows under the header row, which were not read: its name says they are examples. ${ifMeant('give the sheet another name')}` }];
    }
    return [];
  });
}
