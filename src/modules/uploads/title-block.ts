import type { RowAbove } from '../../files/columns.ts';
import { daysWrittenIn, monthDayWithoutYear, withoutDaysWrittenIn } from '../../files/written-dates.ts';
import type { DateOrder, MonthDay } from '../../files/written-dates.ts';
import { hubToday } from '../activities/dates.ts';

// What a sign-in sheet's title block, the rows above its header, says of every row: the day of the session ("Date:
// November 13, 2026") and the session itself (its title, or "Activity ID: GR-SEPSIS"). Offered to the sender to
// confirm, never taken in unasked: a title block also holds dates and names of other things.

/** A cell above the header that says something of every row: its row, and its text as written. */
export type SaidAbove = { rowNumber: number; text: string };

/** What one cell says, and how plainly: under a label of its own ("Date:"), or by itself. */
export type Read<T> = { value: T; said: SaidAbove; labelled: boolean };

/**
 * The date of every row the rows above the header give: one day, plainly; null when they give none, or several, and
 * never a day yet to come.
 */
export function dateAboveHeader(rows: readonly RowAbove[], order: DateOrder | null): { date: string; said: SaidAbove } | null {
  const today = hubToday();
  const read: Read<string>[] = [];
  const datesOf = (row: RowAbove) => {
    const found: Read<string>[] = [];
    for (const { said, value, labelled, row: text } of cellsOf([row], dateLabel)) {
      if (!labelled && otherThanTheSession.test(text)) continue;
      for (const date of daysWrittenIn(value, order)) if (date <= today) found.push({ value: date, said, labelled });
    }
    return found;
  };
  for (const row of rows) {
    const found = datesOf(row);
    // A line of a CSV file with commas in it and no quotes ("Date: Friday, December 4, 2026") is split at them.
    const filled = row.cells.filter((cell) => cell !== '');
    read.push(...(found.length > 0 || filled.length < 2 ? found : datesOf({ rowNumber: row.rowNumber, cells: [filled.join(', ')] })));
  }
  const one = oneOf(read);
  return one && { date: one.value, said: one.said };
}

/**
 * A day written without its year after a label of its own ("Date: Nov 13", "Session date | 11/13"), as a sheet typed
 * by hand dates its session: its month and day, for the session's activity to tell the year of; null when there is
 * none, or several. Unlabelled, a month and day above the header may be anything's.
 */
export function monthDayAboveHeader(rows: readonly RowAbove[], order: DateOrder | null): { monthDay: MonthDay; said: SaidAbove } | null {
  const found = new Map<string, MonthDay>();
  const read: Read<string>[] = [];
  // A row that writes a whole date is not read for a part of it: "Date: December 4, 2026", its comma unquoted in a CSV file.
  const withoutWholeDates = rows.filter((row) => daysWrittenIn(row.cells.filter((cell) => cell !== '').join(', '), order).length === 0);
  for (const { said, value, labelled } of cellsOf(withoutWholeDates, dateLabel)) {
    const monthDay = labelled ? monthDayWithoutYear(value, order) : null;
    if (!monthDay) continue;
    const key = `${monthDay.month}/${monthDay.day}`;
    found.set(key, monthDay);
    read.push({ value: key, said, labelled });
  }
  const one = oneOf(read);
  const monthDay = one && found.get(one.value);
  return one && monthDay ? { monthDay, said: one.said } : null;
}

/**
 * What the rows above the header may name the activity of every row by: each line, then, of a line in parts, each
 * run of its parts (`part`: "Medicine Grand Rounds: Sepsis Update – Dr. Ruiz" names a series, "Medicine Grand Rounds",
 * or a session, "Medicine Grand Rounds: Sepsis Update" or "Sepsis Update"), to be looked up.
 */
export function activityReferencesAbove(rows: readonly RowAbove[]): (Read<string> & { part: boolean })[] {
  const references: (Read<string> & { part: boolean })[] = [];
  for (const { said, value, labelled } of cellsOf(rows, activityLabel)) {
    const reference = withoutDaysWrittenIn(value);
    if (isReference(reference)) references.push({ value: reference, said, labelled, part: false });
    references.push(...runsOfParts(reference).map((run) => ({ value: run, said, labelled, part: true })));
  }
  return references;
}

const isReference = (text: string) => text.length >= 3 && text.length <= 200;

/** Every run of a title's parts, as written between them, but the whole; none of a title of one part, or of many. */
function runsOfParts(title: string): string[] {
  // The separators are kept, at the odd places: parts and separators alternate.
  const pieces = title.split(partOfTitle);
  const parts = (pieces.length + 1) / 2;
  if (parts < 2 || parts > 6) return [];
  const runs = new Set<string>();
  for (let first = 0; first < parts; first++) {
    for (let last = first; last < parts; last++) {
      if (first === 0 && last === parts - 1) continue;
      const run = pieces.slice(first * 2, last * 2 + 1).join('').replace(/^[\s()|:–—-]+|[\s()|:–—-]+$/g, '');
      // A run that opens a bracket closes it: "Stroke Update (Dr. Ruiz" is no title.
      if (isReference(run) && run.split('(').length === run.split(')').length) runs.add(run);
    }
  }
  return [...runs];
}

/** Where a title's parts meet: "Series: Session", "Session – Speaker", "Session | Place", "Session (Speaker)". */
const partOfTitle = /(\s+[–—-]\s+|:\s+|\s+\|\s+|\s*[()]\s*)/;

/**
 * The one value read, the labelled ones first: among them, or else among the others, when all are the same; none
 * when two differ (a sheet whose title gives two days says neither plainly).
 */
export function oneOf<T>(read: readonly Read<T>[]): Read<T> | null {
  const labelled = read.filter((one) => one.labelled);
  const candidates = labelled.length > 0 ? labelled : read;
  if (candidates.length === 0 || candidates.some((one) => one.value !== candidates[0].value)) return null;
  return candidates[0];
}

/**
 * Each cell with text above the header, as the value it gives: the text after its label ("Date: November 13, 2026"),
 * the next cell of the row after a cell that is only the label ("Date:" | "11/13/2026"), or the whole text.
 */
function* cellsOf(rows: readonly RowAbove[], label: RegExp): Generator<Read<string> & { row: string }> {
  for (const { rowNumber, cells } of rows) {
    const row = cells.join(' ');
    for (let index = 0; index < cells.length; index++) {
      const text = cells[index];
      if (text === '') continue;
      const said = { rowNumber, text };
      const labelled = label.exec(text);
      if (!labelled) {
        yield { value: text, said, labelled: false, row };
        continue;
      }
      const after = text.slice(labelled[0].length).trim();
      if (after !== '') {
        yield { value: after, said, labelled: true, row };
        continue;
      }
      const next = cells.findIndex((cell, at) => at > index && cell !== '');
      if (next === -1) continue;
      yield { value: cells[next], said: { rowNumber, text: `${text} ${cells[next]}` }, labelled: true, row };
      index = next;
    }
  }
}

const sessionWords = 'session|activity|event|course|program|programme|meeting|class|lecture|training|presentation|conference|attendance';

/** "Date:", "Session date", "Date of the activity", or the label alone in its cell. */
const dateLabel = new RegExp(String.raw`^(?:(?:${sessionWords})\s+)?date(?:\s+of\s+(?:the\s+)?(?:${sessionWords}))?\s*(?:[:–—-]\s*|$)`, 'i');

/** "Activity:", "Session title", "Course ID", "Topic -", or the label alone in its cell. */
const activityLabel = new RegExp(String.raw`^(?:${sessionWords}|topic|title|subject)(?:\s+(?:title|name|id|code|number|no\.?|#))?\s*(?:[:–—-]\s*|$)`, 'i');

/** A row of a title block dated for something other than the session: when it was printed, revised, due. */
const otherThanTheSession = /\b(?:printed|print date|generated|revised|revision|updated|exported|created|downloaded|run on|as of|due|deadline|expires?|expiry|expiration|next|effective|version|rev)\b/i;
