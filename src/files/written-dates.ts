// Dates as people and spreadsheets write them, read as the hub keeps them: a calendar day (YYYY-MM-DD), or a
// month and day of birth whose year is dropped as it is read.
import { AppError } from '../http/errors.ts';
import { dayPastMonthEnd, hubToday, isIsoDate, MONTH_NAMES } from '../modules/activities/dates.ts';
import { quoted } from '../words.ts';

/**
 * The order an upload says its dates of numbers are written in (30/06/2026 day first, 06/30/2026 month first).
 * Unsaid, dates with slashes or dashes are read month first, as in the US, and dates with dots the one way their
 * numbers allow (`dottedMonthDay`).
 */
export type DateOrder = 'month_first' | 'day_first';

/**
 * YYYY-MM-DD and M/D/YYYY (D/M/YYYY in an upload whose dates are day first; a time after either is dropped),
 * YYYY/M/D and YYYYMMDD become YYYY-MM-DD; others pass as written.
 */
export function calendarDate(written: string, order?: DateOrder | null): string {
  if (isoDate.test(written)) return written;
  // A word processor turns hyphens into look-alikes (‐ ‑ ‒ – —, and the minus sign −): the date reads right on screen.
  const text = written.trim().replace(dashLookAlikes, '-');
  if (isoDate.test(text)) return text;
  const iso = isoDateTime.exec(text) ?? slashedIsoDate.exec(text) ?? isoBasicDate.exec(text);
  if (iso) return (text.length > 10 && dayOfUtcStamp(text)) || `${iso[1]}-${iso[2].padStart(2, '0')}-${iso[3].padStart(2, '0')}`;
  const us = usDate.exec(text);
  if (us) {
    if (order === 'day_first') return isoOf(us[4], us[3], us[1]);
    if (us[2] !== '.' || order === 'month_first') return isoOf(us[4], us[1], us[3]);
    const dotted = dottedMonthDay(us[1], us[3]);
    return dotted ? isoOf(us[4], dotted.month, dotted.day) : text;
  }
  const withoutDayOfWeek = text.replace(dayOfWeek, '');
  const dayFirst = dayMonthNameDate.exec(withoutDayOfWeek);
  const monthFirst = monthNameDayDate.exec(withoutDayOfWeek);
  const named = dayFirst ? { day: dayFirst[1], month: dayFirst[2], year: dayFirst[3] } : monthFirst ? { month: monthFirst[1], day: monthFirst[2], year: monthFirst[3] } : null;
  const month = named && monthNumber(named.month);
  if (named && month) return isoOf(named.year, String(month), named.day);
  return text;
}

/**
 * The day of a time stamped in UTC (`2026-12-01T03:30:00.000Z`, `2026-12-01 03:30:00+00`, `… UTC`), as a system
 * writes an instant (Salesforce's Data Loader, a learning system's export, psql in a UTC session): the day it was in
 * the hub's time zone, where the learners are, as 03:30 UTC is the evening before in New York. Read as written, a
 * session finished in the evening was taken in on the next day, and refused as in the future when the file was sent
 * that night. A stamp of midnight UTC is a date a program wrote as a time (JavaScript's `toISOString`): that date.
 * Null for any other text, and for a stamp that is no time.
 */
export function dayOfUtcStamp(text: string): string | null {
  const stamp = utcStamp.exec(text);
  if (!stamp) return null;
  const [, date, hours, minutes, seconds = '00', fraction = ''] = stamp;
  if (hours === '00' && minutes === '00' && seconds === '00' && !nonZeroDigit.test(fraction)) return date;
  const instant = new Date(`${date}T${hours}:${minutes}:${seconds}${fraction}Z`);
  return Number.isNaN(instant.getTime()) ? null : hubToday(instant);
}

const utcStamp = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(?:Z|[+-]00(?::?00)?|UTC|GMT)$/i;
const nonZeroDigit = /[1-9]/;

/**
 * Dates with dots are written day first in much of the world (a spreadsheet saved in Europe writes 21.11.2026)
 * and month first in the US: read the one way the numbers allow (21.11, 11.21, 11.11); when both could be
 * the month, none, so that no completion or birthday is taken in on the wrong day.
 */
function dottedMonthDay(first: string, second: string): { month: string; day: string } | null {
  const [firstNumber, secondNumber] = [Number(first), Number(second)];
  if (firstNumber === secondNumber || secondNumber > 12) return { month: first, day: second };
  if (firstNumber > 12) return { month: second, day: first };
  return null;
}

/** "05.06" may be June 5 or May 6: both, as a person reads them. */
function dottedBothWays(first: string, second: string, year?: string): string {
  const name = (month: string, day: string) => `${MONTH_NAMES[Number(month) - 1]} ${Number(day)}`;
  return `may be ${name(second, first)} (day first) or ${name(first, second)} (month first)${year ? `, ${fullYear(year)}` : ''}`;
}

/** A two-digit year is of this century: a completion is recent, and one in the future is refused by the rules. */
function isoOf(year: string, month: string, day: string): string {
  return `${fullYear(year)}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function fullYear(year: string): string {
  return year.length === 2 ? `20${year}` : year;
}

const dashLookAlikes = /[\u2010-\u2015\u2212]/g;
/** Already YYYY-MM-DD: most rows, returned as they are. */
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;
/**
 * A time after a date, dropped: as Excel writes a date and time into a CSV file ("10:30", "10:30:00 AM"), and as a
 * form's export stamps a response, with its time zone ("9:14:05 AM PST", "9:14:05 AM GMT-8").
 */
const timeOfDay = String.raw`(?:,?\s+(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\.?)?(?:\s+(?:[a-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}))?)?`;
// Year first, with slashes, as a form's export writes it ("2026/11/20 9:14:05 AM PST"), or dots ("2026.11.20").
const slashedIsoDate = new RegExp(String.raw`^(\d{4})[/.](\d{1,2})[/.](\d{1,2})${timeOfDay}$`, 'i');
// ISO 8601's basic form, as databases and learning systems export a date ("20261120"); a year of this century or the last.
const isoBasicDate = /^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;
// Month, separator, day, year; then a time.
const usDate = new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})${timeOfDay}$`, 'i');
// As Excel writes dates shown as "d-mmm-yy" or "mmm d, yyyy" into a CSV file, and as people write them, the day
// with its ordinal ("November 20th, 2026", "20th November 2026", "Nov-20-2026").
const dayMonthNameDate = /^(\d{1,2})(?:st|nd|rd|th)?[- ]([a-z]{3,9})\.?,?[- ](\d{4}|\d{2})$/i;
const monthNameDayDate = /^([a-z]{3,9})\.?[- ](\d{1,2})(?:st|nd|rd|th)?,?[- ](\d{4})$/i;
// Excel's long date starts with the day of the week: "Thursday, November 20, 2026" ("Thursday, 20 November 2026" where the day comes first).
const dayOfWeek = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? /i;

/**
 * The days a line of text gives (a title, "Date: Thursday, November 13, 2026, 12:00 PM"): the whole of it, read as a
 * Completion date cell would be, or else each date written within it; only days of the calendar.
 */
export function daysWrittenIn(text: string, order?: DateOrder | null): string[] {
  const whole = calendarDate(text, order);
  const written = isIsoDate(whole) ? [whole] : (text.match(dateWithinText) ?? []).map((found) => calendarDate(found.replace(/\s+/g, ' '), order));
  return written.filter((date) => isIsoDate(date) && noDayOf(date) === null);
}

/** A line of text without the dates written within it, nor the separators they leave at its ends: "Tumor Board". */
export function withoutDaysWrittenIn(text: string): string {
  return text.replace(dateWithinText, '').replace(/^[\s,;:|–—-]+|[\s,;:|–—-]+$/g, '');
}

const monthNameWithin = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?`;
const dayOfWeekWithin = String.raw`(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?`;
/**
 * A date within a line of text, as `calendarDate` reads it: "Thursday, November 13, 2026", "13 November 2026",
 * "13-Nov-2026", "11/13/2026", "11/13/26", "2026-11-13".
 */
const dateWithinText = new RegExp(
  [
    String.raw`\b${dayOfWeekWithin}${monthNameWithin}[\s-]+\d{1,2}(?:st|nd|rd|th)?,?[\s-]+\d{4}\b`,
    String.raw`\b${dayOfWeekWithin}\d{1,2}(?:st|nd|rd|th)?[\s-]+${monthNameWithin},?[\s-]+(?:\d{4}|\d{2})\b`,
    String.raw`\b\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})\b`,
    String.raw`\b\d{4}-\d{2}-\d{2}\b`,
  ].join('|'),
  'gi',
);

/** How a date of birth is written in a file whose dates are in this order: its month and day only. */
export const birthDateForm = (order?: DateOrder | null) => (order === 'day_first' ? 'DD/MM' : 'MM/DD');

/**
 * The month and day of a date of birth, as written in a "Date of birth" or "DOB" column (MM/DD, with a year or
 * not, as Excel writes one into a CSV file, or with the month's name); the year goes as it is read. A date that
 * cannot be read, or only one way of two, gives what to write instead.
 */
export function monthDayOfBirth(written: string, order?: DateOrder | null): { month: number; day: number } | { problem: string } {
  const text = written.trim();
  const us = usBirthDate.exec(text);
  const form = birthDateForm(order);
  // Also as Excel shows dates in a CSV file it writes ("March 14, 1971", "14-Mar-71"): the year goes anyway.
  const parts = isoBirthDate.exec(text) ?? us ?? isoBirthDate.exec(calendarDate(text)) ?? namedBirthday(text);
  if (!parts) return { problem: `write the date of birth as ${form}, or give the birth month and day in their own columns` };
  if (us && text[us[1].length] === '.' && !order) {
    const dotted = dottedMonthDay(us[1], us[2]);
    if (dotted) return { month: Number(dotted.month), day: Number(dotted.day) };
    return { problem: `${us[1]}.${us[2]} ${dottedBothWays(us[1], us[2])}: write it as MM/DD (${us[2]}/${us[1]} for the first)` };
  }
  if (us) {
    // Numbers read in the upload's order, month first unless it says otherwise; one that reads only the other way
    // (day first as outside the US) is said so: with the year gone, the month and day are all there is to read right.
    const reading = order ?? 'month_first';
    const [month, day] = reading === 'day_first' ? [Number(us[2]), Number(us[1])] : [Number(us[1]), Number(us[2])];
    if (month > 12 && day >= 1 && day <= 12) {
      const separator = text[us[1].length];
      const [wrote, read] = reading === 'day_first' ? ['month', 'day'] : ['day', 'month'];
      const whose = order ? "this upload's dates" : 'dates of birth';
      return {
        problem: `it looks like ${wrote}${separator}${read} (${us[1]}${separator}${us[2]}), but ${whose} are read ${reading === 'day_first' ? 'day' : 'month'} first (${form.replace('/', separator)}): write ${us[2]}${separator}${us[1]}`,
      };
    }
    return { month, day };
  }
  return { month: Number(parts[1]), day: Number(parts[2]) };
}

/**
 * A birthday written with its month's name and no year, as a sign-in sheet has it ("June 30", "30 June") and a
 * CSV file writes a cell formatted as a day and month ("30-Jun"): [text, month, day].
 */
function namedBirthday(text: string): [string, string, string] | null {
  const named = namedMonthDay(text);
  return named ? [text, String(named.month), String(named.day)] : null;
}

/** A month and day written without a year, with the month's name: "June 30", "30 June", "30-Jun", "June 30th". */
function namedMonthDay(text: string): { month: number; day: number } | null {
  const dayFirst = dayMonthName.exec(text);
  const monthFirst = dayFirst ? null : monthNameDay.exec(text);
  const [name, day] = dayFirst ? [dayFirst[2], dayFirst[1]] : monthFirst ? [monthFirst[1], monthFirst[2]] : [];
  const month = name ? monthNumber(name) : undefined;
  return month && day ? { month, day: Number(day) } : null;
}

/** A month and day, with no year. */
export type MonthDay = { month: number; day: number };

/**
 * A date written without its year ("11/20", "13-Nov", "Nov 14"; "20/11" in an upload whose dates are day first): its
 * month and day, a day some year has (February 29 included); null for any other text.
 */
export function monthDayWithoutYear(written: string, order?: DateOrder | null): MonthDay | null {
  const text = written.trim();
  const found = namedMonthDay(text) ?? numericMonthDay(text, order);
  return found && found.month <= 12 && found.day >= 1 && found.day <= daysInMonthOfAnyYear[found.month - 1] ? found : null;
}

const daysInMonthOfAnyYear = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The month and day of `year`, as YYYY-MM-DD: no day of the calendar for February 29 of a year not a leap year. */
export function dayOfYear(year: number, { month, day }: MonthDay): string {
  return isoOf(String(year), String(month), String(day));
}

/** A month and day written without a year, in numbers: "11/20" (month first, unless the upload says day first). */
function numericMonthDay(text: string, order?: DateOrder | null): MonthDay | null {
  const parts = /^(\d{1,2})\/(\d{1,2})$/.exec(text);
  if (!parts) return null;
  const [month, day] = order === 'day_first' ? [parts[2], parts[1]] : [parts[1], parts[2]];
  return Number(month) >= 1 ? { month: Number(month), day: Number(day) } : null;
}

/**
 * Why a completion date written without its year is not taken, and what to write: `because`, when given, is why the
 * year could not be told ("and its activity takes that day in both 2025 and 2026").
 */
export function yearMissingMessage(written: string, { month, day }: MonthDay, order?: DateOrder | null, because?: string): string {
  const [mm, dd] = [String(month).padStart(2, '0'), String(day).padStart(2, '0')];
  const usual = order === 'day_first' ? `${day}/${month}/YYYY` : `${month}/${day}/YYYY`;
  return `${quoted(written)} has no year${because ? `, ${because}` : ''}: write the date with its year, as ${usual} or YYYY-${mm}-${dd}`;
}

const dayMonthName = /^(\d{1,2})(?:st|nd|rd|th)?[- ]([a-z]{3,9}\.?)$/i;
const monthNameDay = /^([a-z]{3,9}\.?)[- ](\d{1,2})(?:st|nd|rd|th)?$/i;
export const isoBirthDate = /^\d{4}-(\d{1,2})-(\d{1,2})/;
export const usBirthDate = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-]\d{2,4})?$/;
const wholeNumberText = /^\d{1,2}(\.0+)?$/;

export function monthNumber(written: string): number | undefined {
  const text = written.trim().toLowerCase();
  if (!text) return undefined;
  const name = text.replace(/\.$/, '');
  // A month's name or its start, three letters at least: "Mar", "Sept.", "March"; not "Juno".
  const byName = name.length >= 3 ? MONTH_NAMES.findIndex((month) => month.toLowerCase().startsWith(name)) : -1;
  if (byName >= 0) return byName + 1;
  return wholeNumber(text);
}

export function wholeNumber(written: string): number | undefined {
  const text = written.trim();
  return wholeNumberText.test(text) ? Number(text) : undefined;
}

/**
 * Why a completion date was not read. A date of numbers whose first one cannot be a month was most likely
 * written day first, as outside the US: say so, with the separator it was written with (30/06/2025,
 * 21-11-2026), since that file's other such dates were read month first. In an upload said to write its dates
 * in one order, a date that reads only the other way is said so. A date with dots whose numbers could both be
 * the month is read neither way: say both.
 */
export function completionDateMessage(written: string, order?: DateOrder | null): string {
  const numeric = usDate.exec(written.replace(dashLookAlikes, '-'));
  if (!order && numeric?.[2] === '.' && Number(numeric[1]) <= 12 && Number(numeric[3]) <= 12) {
    const [, first, , second, year] = numeric;
    return `${quoted(written)} ${dottedBothWays(first, second, year)}: write it as YYYY-MM-DD (${isoOf(year, second, first)} for the first) or MM/DD/YYYY`;
  }
  const noDay = whyNoDay(written, order);
  if (noDay) return `${quoted(written)} is not a date: ${noDay}`;
  const otherWay = numeric && readOtherWay(numeric, order);
  if (numeric && otherWay && isIsoDate(otherWay)) {
    const separator = numeric[2];
    const form = (...parts: string[]) => parts.join(separator);
    if (order) {
      const [looks, readAs] = order === 'day_first' ? [form('month', 'day', 'year'), `day first (${form('DD', 'MM', 'YYYY')})`] : [form('day', 'month', 'year'), `month first (${form('MM', 'DD', 'YYYY')})`];
      return `${quoted(written)} looks like ${looks}, but this upload's dates are read ${readAs}, as it was sent; write ${otherWay} (YYYY-MM-DD)`;
    }
    return (
      `${quoted(written)} looks like ${form('day', 'month', 'year')}, but dates written this way are read month first (${form('MM', 'DD', 'YYYY')}); write ${otherWay} (YYYY-MM-DD), ` +
      `and check the file's other dates, which were read month first. If the whole file writes its dates day first, withdraw this upload and ${howToGiveDateOrder}`
    );
  }
  const withoutYear = monthDayWithoutYear(written, order);
  if (withoutYear) return yearMissingMessage(written, withoutYear, order);
  const dayNumber = spreadsheetDayNumber.exec(written);
  if (dayNumber) {
    return `${quoted(written)} is a number, not a date: the day count a spreadsheet keeps for ${dateOfDayCount(Number(dayNumber[1]), false).toISOString().slice(0, 10)}, shown as a number when the cell has no date format. Format the column as dates, or write the date as YYYY-MM-DD`;
  }
  return `${quoted(written)} is not a date; write it as YYYY-MM-DD or ${order === 'day_first' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'}`;
}

/**
 * A date of numbers whose number read as its month is none (30/06/2026 read month first), read the other way:
 * YYYY-MM-DD, a day of the calendar or not; null for a date whose month is where it is read, and for any other text.
 */
function readOtherWay(numeric: RegExpExecArray, order?: DateOrder | null): string | null {
  const [, first, , second, year] = numeric;
  if (Number(order === 'day_first' ? second : first) <= 12) return null;
  return order === 'day_first' ? isoOf(year, first, second) : isoOf(year, second, first);
}

/**
 * Why a date is no day of the calendar, read in `order` (month first when unsaid), or the other way when its month
 * can only be there: neither of its numbers a month ("neither 13 nor 15 is a month (1 to 12)"), or what its month
 * has not ("November has 30 days", "there is no month 13"). Null for a day, and for text that is no date at all.
 */
export function whyNoDay(written: string, order?: DateOrder | null): string | null {
  const numeric = usDate.exec(written.replace(dashLookAlikes, '-'));
  if (numeric && Number(numeric[1]) > 12 && Number(numeric[3]) > 12) {
    return `neither ${Number(numeric[1])} nor ${Number(numeric[3])} is a month (1 to 12)`;
  }
  return noDayOf((numeric && readOtherWay(numeric, order)) ?? calendarDate(written, order));
}

/**
 * Why a date written YYYY-MM-DD is no day of the calendar: its month ("there is no month 13"), or its day ("November
 * has 30 days", "there is no day 0"); null for a day of the calendar, and for text of any other form.
 */
export function noDayOf(iso: string): string | null {
  const parts = isoDate.exec(iso);
  if (!parts || isIsoDate(iso)) return null;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (month < 1 || month > 12) return `there is no month ${month}`;
  return dayPastMonthEnd(month, day, year) ?? `there is no day ${day}`;
}

/** How a file's upload is said to write its dates day first: `where`, the places it may be said besides the API. */
const sayDayFirst = (where: string) => `send the file again with dates=day_first (Dates in the file: ${where})`;

/** Where a learner upload may say its dates are written day first, besides the API. */
export const learnerUploadsSayDayFirst = 'Day first on the Uploads page, --dates day-first on the command line';

/** How a learner upload is said to write its dates in one order, wherever it is sent from. */
export const howToGiveDateOrder = sayDayFirst(learnerUploadsSayDayFirst);

/**
 * The words of the refusal of a file its dates show written day first, sent without saying so: `found`, the date
 * found; `taken`, what would become of the rows read month first ("taken in", "saved", "loaded"); `where`, the
 * places the order may be said besides the API.
 */
export function writtenDayFirstMessage(found: string, taken: string, where: string): string {
  return (
    `${found} Dates with slashes or dashes are read month first (MM/DD/YYYY) unless the upload says otherwise, so the file's dates that read both ` +
    `ways (05/06/2026) would be ${taken} on the wrong day. Say how the file writes its dates: ${sayDayFirst(where)}; or with dates=month_first if ` +
    'those dates are mistakes, whose rows are then rejected.'
  );
}

/** How many of a file's first rows are always looked at before it goes in: a learner file's, a roster's. */
export const firstRowsLookedAt = 100;

/**
 * How many rows of a file are read, before it goes in, while every date of its first rows reads both ways: the rows
 * of a coordinator's year-end spreadsheet, read in about a second as a workbook, a fifth of one as CSV.
 */
export const mostRowsReadForDateOrder = 50_000;

/** A date of a file by its place: its row (and sheet), and its column's label. */
export type DatePlace = { row: number; sheet?: string; label: string };

/** Sees the dates of one row of a file, at `row`: the cells of `dateColumns` it fills. */
export function seeDatesOfRow(
  dates: DateOrderOfFile<DatePlace>, row: Omit<DatePlace, 'label'>, record: Record<string, string>,
  dateColumns: readonly { name: string; label: string }[],
): void {
  for (const column of dateColumns) {
    const written = record[column.name]?.trim();
    if (written) dates.see(written, { ...row, label: column.label });
  }
}

/**
 * A file of activities or a roster its dates show written day first, sent without saying so (`422
 * date_order_required`), naming its first such date; null when they do not. `rowsSeen` says which rows were looked
 * at ("the file's 2 rows"), `taken` and `where` as for `writtenDayFirstMessage`.
 */
export function writtenDayFirstRefusal(dates: DateOrderOfFile<DatePlace>, rowsSeen: string, taken: string, where: string): AppError | null {
  const dayFirst = dates.writtenDayFirst;
  if (!dayFirst) return null;
  const { where: place, written } = dayFirst;
  const row = `Row ${place.row}${place.sheet ? ` of sheet "${place.sheet}"` : ''}`;
  // A date of birth holds the birth year, which the hub says nowhere: it is named by its column only.
  const date = place.label === 'Date of birth' ? `${row} has a date of birth that` : `${row} has ${quoted(written)} as its ${place.label}, which`;
  const found = `${date} can only be read day first (DD/MM/YYYY), and none of ${rowsSeen} has a date that can only be read month first.`;
  return new AppError(422, 'date_order_required', writtenDayFirstMessage(found, taken, where), {
    problems: [{ code: 'date_only_day_first', row: place.row, ...(place.sheet ? { sheet: place.sheet } : {}), message: found }],
  });
}

/**
 * The order a date of numbers with slashes or dashes can be read in: 30/06/2026 only day first, 06/30/2026 only
 * month first, 05/06/2026 `either`; null for one that is no such date, or no date in either order. Dates with dots
 * are left out: they are read the one way their numbers allow, whatever the file's other dates say.
 */
export function orderOf(written: string): DateOrder | 'either' | null {
  const numeric = slashedOrDashed.exec(written.trim().replace(dashLookAlikes, '-'));
  if (!numeric) return null;
  const [first, second] = [Number(numeric[1]), Number(numeric[3])];
  const [firstIsMonth, secondIsMonth] = [first >= 1 && first <= 12, second >= 1 && second <= 12];
  if (firstIsMonth && secondIsMonth) return 'either';
  // 31/02/2025 is no day in either order: a slip, which says nothing of how the file writes its dates.
  if (first > 12 && secondIsMonth && first <= daysInMonth[second - 1]) return 'day_first';
  if (second > 12 && firstIsMonth && second <= daysInMonth[first - 1]) return 'month_first';
  return null;
}

/**
 * What a file's dates say of the order they are written in, date by date. A file with a date that can only be read
 * day first (30/06/2026), and none that can only be read month first, among dates mostly written with numbers, is
 * written day first (`writtenDayFirst`, its first such date and where it is): read month first, as unsaid, its dates
 * that read both ways (05/06/2026) would be read on the wrong day. One such date among dates written `YYYY-MM-DD`
 * is a slip, its row's own problem.
 */
export class DateOrderOfFile<Where> {
  private datesSeen = 0;
  private datesOfNumbers = 0;
  private readsEitherWay = false;
  private monthFirst = false;
  private firstDayFirst: { where: Where; written: string } | null = null;

  /** Sees one date as written (an empty cell is none); returns the order it can be read in, as `orderOf`. */
  see(written: string, where: Where): DateOrder | 'either' | null {
    if (!written) return null;
    const order = orderOf(written);
    this.datesSeen += 1;
    if (order) this.datesOfNumbers += 1;
    if (order === 'either') this.readsEitherWay = true;
    if (order === 'month_first') this.monthFirst = true;
    if (order === 'day_first') this.firstDayFirst ??= { where, written };
    return order;
  }

  /** Every date seen so far reads both ways: dates after them may tell which way the file writes them. */
  get undecided(): boolean {
    return this.readsEitherWay && !this.monthFirst && !this.firstDayFirst;
  }

  /** The file's first date that can only be read day first, when the dates seen say the file is written so. */
  get writtenDayFirst(): { where: Where; written: string } | null {
    return this.monthFirst || this.datesOfNumbers * 2 < this.datesSeen ? null : this.firstDayFirst;
  }
}

/** The most days of each month, February's in a leap year. */
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two numbers, a slash or a dash between them, then the same and a year or nothing; then a time or nothing. */
const slashedOrDashed = /^(\d{1,2})([/-])(\d{1,2})(?:\2(?:\d{4}|\d{2}))?(?=$|[\s,])/;

// Excel's count of days from 1900 (46346 is 2026-11-20; a time of day is the fraction): five digits are the years 1927 to 2173.
const spreadsheetDayNumber = /^(\d{5})(?:\.\d+)?$/;

/** The day count of 1970-01-01, where JavaScript's time starts: from 1900, and in a workbook that counts from 1904. */
const unixEpochDayCount = { from1900: 25569, from1904: 24107 };

/**
 * The date and time a spreadsheet's day count stands for: days from 1899-12-30, or from 1904-01-01 in a workbook that
 * counts from 1904. Excel takes 1900 for a leap year, as Lotus 1-2-3 did: its days up to February 29, 1900 (day 60, a
 * day that never was, read as March 1) count from 1899-12-31, day 1 being 1900-01-01.
 */
export function dateOfDayCount(days: number, date1904: boolean): Date {
  const daysBefore1970 = date1904 ? unixEpochDayCount.from1904 : days >= 1 && days < 61 ? unixEpochDayCount.from1900 - 1 : unixEpochDayCount.from1900;
  return new Date(Math.round((days - daysBefore1970) * 86_400_000));
}
