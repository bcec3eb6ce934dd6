import type { Problem } from '../http/errors.ts';
import { isIsoDate } from '../modules/activities/dates.ts';
import { closestSpelling } from '../words.ts';
import { columnLetter } from './tabular-writer.ts';
import { calendarDate } from './written-dates.ts';

/** One column a tabular file may carry. Headings match leniently: case, spaces, punctuation, synonyms. */
export type ColumnSpec = {
  /** The key of the value in each record. */
  name: string;
  /** The heading the hub writes in templates and receipts. */
  label: string;
  /** Other headings people use for it ("NPI Number", "License #"). */
  synonyms?: readonly string[];
  /**
   * Headings that may name something else beside this column (the "State" of a mailing address, the "Hours
   * attended" beside the credits awarded): read as it only when no other heading of the file names it.
   */
  looseSynonyms?: readonly string[];
  required?: boolean;
  /** A column that may stand in for this required one ("Name" for "First name" and "Last name"). */
  replaceableBy?: string;
  /** What else does for this required column when it is missing (a choice made for the whole file). */
  orElse?: string;
  /**
   * What names this column in a heading that matches no other, as a form's question does ("I consent to have my
   * attendance reported"), tried on the heading as `normalizeHeading` writes it.
   */
  headingPattern?: RegExp;
  /**
   * Headings that may hold this column's values without naming them ("Timestamp", the time a form was filled in,
   * for a completion date): never read as it, but named as perhaps it when the file needs the column and lacks it.
   */
  lookalikes?: readonly string[];
  /**
   * A heading of this column that names another where the header lacks the columns it goes with: "Birthday" is the
   * Birth day beside a Birth month, and the whole birthday (a date of birth) without one.
   */
  alone?: { heading: RegExp; without: readonly string[]; readAs: string };
};

export type HeaderColumn = { index: number; heading: string; name: string | null };

export type TabularHeader = {
  /** True when every required column was found. */
  ok: boolean;
  /** Row of the file that holds the headings; 0 when none was found. */
  rowNumber: number;
  sheetName?: string;
  columns: HeaderColumn[];
  /** Names of required columns that are missing. */
  missing: string[];
  /**
   * A column the file lacks whose heading is most likely in it misspelt or in other words: that heading. For a column
   * not required, only a misspelling ("Titel"): beside a date given another way, "Timestamp" is no question.
   */
  missingAs?: Record<string, string>;
  /** Headings that match no column; their values are ignored. */
  unknown: string[];
  /** What to tell the person who sent the file, reported once for the whole file. */
  problems: Problem[];
  /**
   * The rows with something in them above the header (a sign-in sheet's title block: the session's title, "Date:
   * November 13, 2026"), their cells trimmed, for what they may say of every row.
   */
  rowsAbove?: RowAbove[];
};

/** A row above the header, as `TabularHeader.rowsAbove` keeps it. */
export type RowAbove = { rowNumber: number; cells: string[] };

/**
 * "NPI Number", "npi_number", "N.P.I. #" all become "npinumber"; accents go ("Prénom" -> "prenom"), as do
 * notes in brackets ("Birth month (1-12)"), the asterisk templates put on required headings and the
 * trademark signs of credit names ("AMA PRA Category 1 Credits™").
 */
export function normalizeHeading(heading: string): string {
  return heading
    .replace(customField, '')
    .replace(/[™®©℠]/g, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .replaceAll('#', 'number')
    .replaceAll('&', 'and')
    .replace(/[^a-z0-9]/g, '');
}

/** The ending Salesforce gives the name of a field an organization added (`License_Number__c`), which names nothing of it. */
const customField = /__c$/i;

/** The column a heading names, and whether it names it loosely (a `looseSynonyms` heading, or a `headingPattern`). */
export type HeadingMatch = { spec: ColumnSpec; loose: boolean };

export type HeadingIndex = { byHeading: Map<string, HeadingMatch>; byPattern: ColumnSpec[] };

/**
 * The column a heading names: as written; without a first word naming the person, as learning systems export
 * them ("Attendee First Name", "Participant's Last Name", "Physician NPI"); as the question of a form ("Please
 * enter your first name", "What is your license number?"); failing those, by a column's `headingPattern`.
 */
export function columnOfHeading(heading: string, index: HeadingIndex): HeadingMatch | undefined {
  const part = partOfField.exec(heading) ?? partOfName.exec(heading);
  const ofField = part && (index.byHeading.get(normalizeHeading(`${part[2]} ${part[1]}`)) ?? index.byHeading.get(normalizeHeading(`${part[1]} ${part[2]}`)));
  if (ofField) return ofField;
  const key = normalizeHeading(heading);
  const asked = key.replace(formQuestion, '');
  const byPattern = index.byPattern.find((column) => column.headingPattern?.test(key));
  return (
    index.byHeading.get(key) ??
    index.byHeading.get(key.replace(personWord, '')) ??
    index.byHeading.get(asked) ??
    index.byHeading.get(asked.replace(personWord, '')) ??
    fieldOfRecord(heading, index) ??
    (byPattern && { spec: byPattern, loose: true })
  );
}

/**
 * The column a heading names after the record it comes from, as Salesforce heads a field of a related record: a
 * report by the record's name and a colon ("Contact: Full Name", "Course Completion: Completion Date"), Data Loader
 * and queries by the relationship and a dot ("Contact__r.FirstName", "Contact.Birthdate").
 */
function fieldOfRecord(heading: string, index: HeadingIndex): HeadingMatch | undefined {
  const found = recordAndField.exec(heading);
  const field = found?.[1] ?? found?.[2];
  return field ? columnOfHeading(field, index) : undefined;
}

/**
 * A field of a form written in parts, each its own column headed by the field and the part in brackets, as form
 * builders export them ("Name (First)", "Name (Last)"): the part names the column with the field ("First Name"),
 * where a note in brackets is otherwise dropped ("Birth month (1-12)").
 */
const partOfField = /^([^()[\]]+?)\s*[([]([^()[\]]+)[)\]]\s*$/;
/** A name's part after its field and an underscore, as Cognito Forms exports a Name field ("Name_First", "Name_Last"). */
const partOfName = /^([a-z ]+?)_(first|middle|last|prefix|suffix)$/i;

const recordAndField = /^[^:]+:\s*([^:]*[a-z][^:]*)$|^(?:[a-z]\w*\.)+([a-z]\w*)$/i;

/** Every heading people write for a column, the loose ones last. */
function headingsOf(column: ColumnSpec): string[] {
  return [column.label, ...(column.synonyms ?? []), ...(column.looseSynonyms ?? [])];
}

const personWord = /^(?:attendee|participant|learner|physician|student|registrant|clinician|member|doctor|user)s?/;
/** How a form asks for a value, before naming it: "Please enter your", "What is your", "Your". */
const formQuestion = /^(?:please)?(?:enter|provide|type|write|give|list|whatis|whats)?(?:your|the)?/;

export function indexHeadings(columns: readonly ColumnSpec[]): HeadingIndex {
  const byHeading = new Map<string, HeadingMatch>();
  for (const column of columns) {
    const loose = new Set(column.looseSynonyms ?? []);
    for (const heading of [column.name, ...headingsOf(column)]) {
      const key = normalizeHeading(heading);
      const existing = byHeading.get(key)?.spec;
      if (existing && existing !== column) {
        throw new Error(`Heading "${heading}" would match both ${existing.name} and ${column.name}`);
      }
      byHeading.set(key, { spec: column, loose: loose.has(heading) });
    }
  }
  return { byHeading, byPattern: columns.filter((column) => column.headingPattern) };
}

/** How many of the cells of a row are headings of known columns; used to find the header row. */
export function countKnownHeadings(cells: readonly string[], index: HeadingIndex): number {
  let known = 0;
  for (const cell of cells) if (columnOfHeading(cell, index)) known += 1;
  return known;
}

export function matchHeader(
  cells: readonly string[],
  rowNumber: number,
  specs: readonly ColumnSpec[],
  index: HeadingIndex,
  hiddenColumns: ReadonlySet<number> = new Set(),
  /**
   * Of a header of two rows, the columns headed in the upper row alone, beside groups whose columns the lower row
   * heads: SurveyMonkey's respondent's own First Name, empty but where an email invitation filled it, beside the
   * First Name of a contact form's question, which the respondent typed. A column named both ways is read under its group.
   */
  standingApart: ReadonlySet<number> = new Set(),
): TabularHeader {
  const unknown: string[] = [];
  const problems: Problem[] = [];
  const headings = cells.flatMap((raw, position) => {
    const heading = raw.trim();
    return heading ? [{ position, heading, match: columnOfHeading(heading, index) }] : [];
  });
  const named = new Set(headings.flatMap(({ match }) => (match ? [match.spec.name] : [])));
  for (const found of headings) {
    const alone = found.match?.spec.alone;
    const readAs = alone && alone.heading.test(found.heading) && !alone.without.some((name) => named.has(name)) && specs.find((spec) => spec.name === alone.readAs);
    if (readAs) found.match = { spec: readAs, loose: found.match!.loose };
  }
  // Of the headings naming one column, the one read names it exactly and is in sight: where a file has both, the "License state" beside a mailing address's "State", and not a hidden column.
  const rank = (loose: boolean, position: number) => (loose ? 4 : 0) + (hiddenColumns.has(position) ? 2 : 0) + (standingApart.has(position) ? 1 : 0);
  const read = new Map<string, { position: number; heading: string; rank: number; loose: boolean }>();
  for (const { position, heading, match } of headings) {
    if (!match) continue;
    const chosen = read.get(match.spec.name);
    const candidate = { position, heading, rank: rank(match.loose, position), loose: match.loose };
    if (!chosen || candidate.rank < chosen.rank) read.set(match.spec.name, candidate);
  }
  const taken = new Set(read.keys());
  const columns: HeaderColumn[] = headings.map(({ position, heading, match }) => {
    if (!match) {
      unknown.push(heading);
      return { index: position, heading, name: null };
    }
    const { spec } = match;
    const chosen = read.get(spec.name)!;
    if (chosen.position === position) return { index: position, heading, name: spec.name };
    const hidden = hiddenColumns.has(position) ? ` (column ${columnLetter(position + 1)}, hidden)` : '';
    const message =
      chosen.rank === rank(match.loose, position) && chosen.position < position
        ? `Column "${heading}"${hidden} repeats "${spec.label}"; only the first one is read.`
        : chosen.loose !== match.loose
          ? `Column "${heading}"${hidden} is not read as "${spec.label}": the file's column "${chosen.heading}" is.`
          : hiddenColumns.has(position) && !hiddenColumns.has(chosen.position)
            ? `Column "${heading}"${hidden} repeats "${spec.label}"; the one in sight, column ${columnLetter(chosen.position + 1)}, is read.`
            : `Column "${heading}" (column ${columnLetter(position + 1)}) repeats "${spec.label}"; column ${columnLetter(chosen.position + 1)}, under a question's heading in the row above, is read.`;
    problems.push({ code: 'duplicate_column', field: spec.name, row: rowNumber, message });
    return { index: position, heading, name: null };
  });
  const missing = specs
    .filter((spec) => spec.required && !taken.has(spec.name) && !(spec.replaceableBy && taken.has(spec.replaceableBy)))
    .map((spec) => spec.name);
  const notTaken = specs.filter((candidate) => !taken.has(candidate.name));
  // A look-alike is named only for a column the file needs and lacks: beside a date given another way, "Timestamp" is no question.
  const lacking = notTaken.filter((spec) => missing.includes(spec.name));
  const meant = new Map(unknown.flatMap((heading) => {
    const key = normalizeHeading(heading);
    const lookalike = lacking.find((candidate) => candidate.lookalikes?.some((other) => normalizeHeading(other) === key));
    const spec = lookalike ?? misspeltColumn(heading, notTaken);
    return spec ? [[heading, spec] as const] : [];
  }));
  const missingAs: Record<string, string> = {};
  // Of several look-alikes, the one its column lists first: a form's "Completion time" (when it was sent) before its "Start time".
  const lookalikeRank = (spec: ColumnSpec, heading: string) => {
    const rank = spec.lookalikes?.findIndex((other) => normalizeHeading(other) === normalizeHeading(heading)) ?? -1;
    return rank === -1 ? Infinity : rank;
  };
  for (const [heading, spec] of meant) {
    const before = missingAs[spec.name];
    if (before === undefined || lookalikeRank(spec, heading) < lookalikeRank(spec, before)) missingAs[spec.name] = heading;
  }
  const labelOf = (name: string | undefined) => specs.find((candidate) => candidate.name === name)?.label;
  for (const name of missing) {
    const spec = specs.find((candidate) => candidate.name === name);
    const misspelt = missingAs[name];
    const standIn = labelOf(spec?.replaceableBy);
    const instead = [standIn && `a column "${standIn}" in its place`, spec?.orElse].filter(Boolean);
    problems.push({
      code: 'missing_column',
      field: name,
      row: rowNumber || undefined,
      message: misspelt && spec
        ? `The file has no "${spec.label}" column: is it "${misspelt}"? Write its heading "${spec.label}" (the template shows every column)${instead.map((way) => `, or ${way}`).join('')}.`
        : `The file has no "${spec?.label ?? name}" column. Add it to the header row (the template shows every column)${instead.map((way) => `, or ${way}`).join('')}.`,
    });
  }
  if (unknown.length > 0) {
    const named = (heading: string) => {
      const spec = meant.get(heading);
      return spec ? `"${heading}" (is it "${spec.label}"?)` : `"${heading}"`;
    };
    // A survey's export may have hundreds of columns: the first are named, the rest counted.
    const listed = unknown.slice(0, unusedColumnsNamed).map(named);
    const more = unknown.length - listed.length;
    problems.push({
      code: 'unknown_columns',
      row: rowNumber,
      message: `These columns are not used and their values are ignored: ${listed.join(', ')}${more > 0 ? `, and ${more.toLocaleString('en-US')} more` : ''}.`,
    });
  }
  return { ok: missing.length === 0, rowNumber, columns, missing, missingAs, unknown, problems };
}

/** The unused columns a file's notes name; past them, they are counted. */
const unusedColumnsNamed = 30;

/**
 * The column a heading that matches none was probably meant to be: one of its headings misspelt ("Frist name",
 * "Licence numbr"), a letter or two away (`closestSpelling`), the closest of its headings; none when two columns are
 * as close.
 */
export function misspeltColumn(heading: string, specs: readonly ColumnSpec[]): ColumnSpec | null {
  const spellings = specs.flatMap((spec) => headingsOf(spec).map((known) => [normalizeHeading(known), spec] as const));
  return closestSpelling(normalizeHeading(heading), spellings);
}

/** A first row that holds values where a header row names its columns: where it shows that, and with what. */
export type RowOfValues = { row: number; column: string; kind: 'a date' | 'a number' };

/** What a value is that no heading is: a date, or digits as of a license number, an NPI or an activity ID. */
function valueKind(cell: string): RowOfValues['kind'] | null {
  if (isIsoDate(calendarDate(cell))) return 'a date';
  return /^[A-Z]{0,3}\d{4,}$/i.test(cell) ? 'a number' : null;
}

/** What a file whose first row holds values lacks, said before the columns a header row needs. */
export function rowOfValuesMessage({ row, column, kind }: RowOfValues, where: string): string {
  return `${where} has no header row: its first row (row ${row}) holds values, ${kind} in column ${column}, where the template's first row names the columns. Add a row above it with the column names, as in the template.`;
}

/** The problem of a file none of whose first rows has the columns of a header row. */
export const noHeaderRowCode = 'no_header_row';

/**
 * What is wrong with a header row read though it lacks columns (`rowNumber` > 0), each problem naming the row (and
 * sheet): first the columns it lacks (`lacking`: what else the file needs of its columns), what to add, then what
 * it says of the columns it has (not used, repeated), which alone would not refuse it. Without the "no header row"
 * said beside them, as the row is named.
 */
export function headerRowProblems(header: TabularHeader, lacking: readonly Problem[] = []): Problem[] {
  const said = [...header.problems.filter((problem) => problem.code !== noHeaderRowCode), ...lacking];
  const toAdd = (problem: Problem) => problem.code === 'missing_column' || lacking.includes(problem);
  const place = { row: header.rowNumber, ...(header.sheetName ? { sheet: header.sheetName } : {}) };
  return [...said.filter(toAdd), ...said.filter((problem) => !toAdd(problem))].map((problem) => ({ ...problem, ...place }));
}

/** A header for a file where no row looks like one: every required column is missing. */
export function noHeader(specs: readonly ColumnSpec[], message: string): TabularHeader {
  const required = specs.filter((spec) => spec.required);
  const labels = required.map((spec) => `"${spec.label}"`).join(', ');
  return {
    ok: false,
    rowNumber: 0,
    columns: [],
    missing: required.map((spec) => spec.name),
    unknown: [],
    problems: [{ code: noHeaderRowCode, message: required.length > 0 ? `${message} It needs at least these columns: ${labels}.` : message }],
  };
}

/**
 * The headings of a header written over two rows: each column named by its own heading (the lower row) with its
 * group's (the upper row's, which stands over the columns to its right until the next, as a merged cell shows it),
 * "License Number" or "First Name", whichever names a column; or by its own alone; or, having none, by the upper row's.
 */
function twoRowHeadings(upper: readonly string[], lower: readonly string[], index: HeadingIndex): string[] {
  let group = '';
  const width = Math.max(upper.length, lower.length);
  return Array.from({ length: width }, (_, column) => {
    const above = (upper[column] ?? '').trim();
    const own = (lower[column] ?? '').trim();
    if (above) group = above;
    if (!own) {
      // A heading of its own over an empty cell is a column of one row, and groups nothing after it.
      group = '';
      return above;
    }
    if (!group) return own;
    const joined = [`${group} ${own}`, `${own} ${group}`].find((heading) => columnOfHeading(heading, index));
    if (joined) return joined;
    // A question over its one answer's label, as a survey's export writes them (SurveyMonkey's "Response" and
    // "Open-Ended Response"): the question names the column.
    const overThisAlone = above !== '' && (column + 1 === width || (upper[column + 1] ?? '').trim() !== '');
    return overThisAlone && !columnOfHeading(own, index) && columnOfHeading(above, index) ? above : own;
  });
}

/**
 * The section of a report a row titles, in its first cell alone: of people who are not its learners ("Host
 * Details", "Panelist Details", Teams' "1. Summary" and "3. In-Meeting Activities"), whose rows are never taken
 * for the header; or another ("Attendee Details", "2. Participants"), under which the header is looked for. Null
 * for any other row, and for a title that names no section ("CME Credit Summary" may be a sheet's own title).
 */
export function sectionOf(cells: readonly string[]): 'others' | 'section' | null {
  // Most rows have a second value: they are told apart without a look at the first.
  for (let column = 1; column < cells.length; column++) if (cells[column] && cells[column].trim() !== '') return null;
  const title = cells[0]?.trim() ?? '';
  if (title === '') return null;
  if (othersSection.test(title)) return 'others';
  return sectionTitle.test(title) ? 'section' : null;
}

const sectionTitle = /^(?:\d{1,2}\.\s+[A-Za-z][A-Za-z -]{1,40}|[A-Za-z][A-Za-z -]{0,40}\b(?:details|participants|attendees|registrants))$/i;
const othersSection = /^(?:\d{1,2}\.\s+)?(?:(?:co-?)?hosts?|panelists?|presenters?|speakers?|organizers?|summary|in-meeting activities)(?:\s+(?:details|list))?$/i;

/**
 * Finds the header among the first rows of a sheet: the first row that has every required heading (or a
 * column that stands in for it, one "Name" for first and last name); failing that, the row with the most known headings, so that the problems name what is missing.
 */
export class HeaderFinder {
  /**
   * Rows with something in them: a CME sign-in sheet's title block may take a dozen or more (the session, its date,
   * speaker, objectives, the accreditation and credit designation statements) above its header.
   */
  static readonly rowsToSearch = 25;
  /** Of the rows passed before the header, those kept (`rowsAbove`): a report of sections searches more than that. */
  private static readonly rowsAboveKept = 40;
  private readonly rowsPassed: RowAbove[] = [];
  private best: { cells: string[]; rowNumber: number; known: number; hiddenColumns?: ReadonlySet<number> } | null = null;
  private firstRow: { cells: string[]; rowNumber: number } | null = null;
  /** The row offered before, which may hold the group headings of a header of two rows. */
  private previous: { cells: string[]; rowNumber: number } | null = null;
  private searched = 0;
  /** Under the title of a report's section of people who are not its learners (`sectionOf`). */
  private inSectionOfOthers = false;
  private readonly specs: readonly ColumnSpec[];
  private readonly index: HeadingIndex;

  constructor(specs: readonly ColumnSpec[], index: HeadingIndex) {
    this.specs = specs;
    this.index = index;
  }

  /** Offers a non-empty row; returns the header once found, or null to keep looking. */
  offer(cells: string[], rowNumber: number, hiddenColumns?: ReadonlySet<number>): TabularHeader | null {
    // A report of sections (Zoom's: the webinar, its host, its panelists, then "Attendee Details") has the header
    // under its attendees' section: the rows searched for it are counted again from each section's title, and the
    // rows of a section of others (a host's, panelists') are never taken for the header.
    const section = sectionOf(cells);
    if (section) {
      this.searched = 0;
      this.previous = null;
      this.inSectionOfOthers = section === 'others';
      return null;
    }
    this.searched += 1;
    if (this.inSectionOfOthers) {
      // A report's summary is a section of others, and says what the report is of: Teams' "Meeting title", "Start time".
      this.keepRowAbove(rowNumber, cells);
      return null;
    }
    this.firstRow ??= { cells, rowNumber };
    const above = this.previous;
    this.previous = { cells, rowNumber };
    const known = countKnownHeadings(cells, this.index);
    if (known > 0 && (!this.best || known > this.best.known)) this.best = { cells, rowNumber, known, hiddenColumns };
    if (known > 0) {
      const header = matchHeader(cells, rowNumber, this.specs, this.index, hiddenColumns);
      if (header.ok) return this.withRowsAbove(header);
    }
    const twoRows = above ? this.twoRowHeader(above, cells, rowNumber, hiddenColumns) : null;
    if (twoRows) {
      // The upper row, passed as no header by itself, is the header's first row, not a row above it.
      if (this.rowsPassed.at(-1)?.rowNumber === above?.rowNumber) this.rowsPassed.pop();
      return this.withRowsAbove(twoRows);
    }
    this.keepRowAbove(rowNumber, cells);
    return null;
  }

  private keepRowAbove(rowNumber: number, cells: readonly string[]): void {
    if (this.rowsPassed.length < HeaderFinder.rowsAboveKept) this.rowsPassed.push({ rowNumber, cells: cells.map((cell) => cell.trim()) });
  }

  private withRowsAbove(header: TabularHeader): TabularHeader {
    return this.rowsPassed.length > 0 ? { ...header, rowsAbove: [...this.rowsPassed] } : header;
  }

  /**
   * The header two rows make, as an export that groups its columns writes it ("Name" above "First" and "Last",
   * "License" above "State" and "Number"): when together they have every required column, and name more of the
   * file's columns than `alone`, the header the upper row makes by itself, when it makes one.
   */
  twoRowHeader(upper: { cells: readonly string[]; rowNumber: number }, lower: readonly string[], rowNumber: number, hiddenColumns?: ReadonlySet<number>, alone?: TabularHeader): TabularHeader | null {
    const headings = twoRowHeadings(upper.cells, lower, this.index);
    const headed = (cells: readonly string[], column: number) => (cells[column] ?? '').trim() !== '';
    const standingApart = new Set(headings.flatMap((_, column) => (headed(upper.cells, column) && !headed(lower, column) ? [column] : [])));
    const header = matchHeader(headings, rowNumber, this.specs, this.index, hiddenColumns, standingApart);
    const named = (candidate: TabularHeader) => candidate.columns.filter((column) => column.name !== null).length;
    // The lower row heads a column of a group, under the upper row's empty cell, by a column's own heading: SurveyMonkey's
    // contact form, "First Name" and "Last Name" under its question. Its columns are then read as grouped, whatever
    // the upper row names alone, where a row of values under a header never has such a cell.
    const headsGroupedColumn = lower.some((cell, column) => !headed(upper.cells, column) && cell.trim() !== '' && columnOfHeading(cell.trim(), this.index) !== undefined);
    if (!header.ok || (alone && (named(header) < named(alone) || (named(header) === named(alone) && !headsGroupedColumn)))) return null;
    const joined = headings.find((heading, index) => heading !== (lower[index] ?? '').trim() && (lower[index] ?? '').trim() !== '');
    header.problems.push({
      code: 'header_two_rows',
      row: rowNumber,
      message: `The header is rows ${upper.rowNumber} and ${rowNumber} together: each column is named by its heading in row ${rowNumber} with the group heading above it${joined ? ` ("${joined}")` : ''}.`,
    });
    return header;
  }

  get exhausted(): boolean {
    return this.searched >= HeaderFinder.rowsToSearch;
  }

  /**
   * Where the first row shows itself a row of values rather than of headings, when no row had a known heading: a
   * date or an identifier's digits, as a file saved without its header row begins. The cell is named by its
   * column letter, as a spreadsheet shows it, and by the kind of its value, never the value (a learner's).
   */
  firstRowOfValues(): RowOfValues | null {
    if (this.best || !this.firstRow) return null;
    const { cells, rowNumber } = this.firstRow;
    for (const [index, cell] of cells.entries()) {
      const kind = valueKind(cell.trim());
      if (kind) return { row: rowNumber, column: columnLetter(index + 1), kind };
    }
    return null;
  }

  /** The best candidate, for reporting what is missing; null when no row had a known heading. */
  bestGuess(): TabularHeader | null {
    if (!this.best) return null;
    const { rowNumber } = this.best;
    const guess = matchHeader(this.best.cells, rowNumber, this.specs, this.index, this.best.hiddenColumns);
    // The rows searched past it, which are no header either, are rows of values: only those above it are kept.
    const rowsAbove = this.rowsPassed.filter((row) => row.rowNumber < rowNumber);
    return rowsAbove.length > 0 ? { ...guess, rowsAbove } : guess;
  }
}
