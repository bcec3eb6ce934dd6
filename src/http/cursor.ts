import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BadRequestError } from './errors.ts';

/**
 * What a list was asked for beside its paging (its filters, the record it is of), as its service reads it: a value
 * left out, null or empty is the same as none, and a list of values is the same in any order.
 */
export type ListedWith = Record<string, string | number | boolean | readonly string[] | null | undefined>;

/**
 * Cursors are opaque to clients: base64url JSON of the last row's sort key, and, for a list that has filters, a
 * digest of those it was listed with (`ListedWith`), which its next page must be asked with again.
 */
export function encodeCursor(position: Record<string, unknown>, listedWith?: ListedWith): string {
  return Buffer.from(JSON.stringify(listedWith ? { ...position, listedWith: digestOf(listedWith) } : position)).toString('base64url');
}

/**
 * A list's filters, as its cursor is bound to them: every field of its query but those that page it (`cursor` and
 * `limit`, and the order where the cursor keeps it), so that a filter added to the query later is bound too.
 */
export function filtersOf(query: ListedWith, paging: readonly string[] = ['cursor', 'limit']): ListedWith {
  return Object.fromEntries(Object.entries(query).filter(([name]) => !paging.includes(name)));
}

/** What a cursor that is not one of the list's own is told, whatever is wrong with it. */
export const anotherListsCursor = 'The cursor belongs to another list, or was changed or cut short; start again from the first page (without cursor).';

/** What a list's own cursor, made on a page listed with other filters, is told. */
export const otherFiltersCursor =
  'The cursor belongs to a listing with other filters: its next page follows the filters it was made with, not these. ' +
  'Start again from the first page, without cursor (or ask with the filters the cursor was made with).';

/**
 * The position a list's cursor keeps, as the list wrote it: exactly the fields of `shape`, each of its kind. A
 * cursor of another list (whose fields are other), or one changed or cut short, is refused (400
 * `invalid_cursor`) before any of it reaches the database. A list that has filters gives those it is asked with
 * (`listedWith`, as it gave them to `encodeCursor`): its cursor made with others is refused too, saying so, rather
 * than paging on a list it does not belong to.
 */
export function decodeCursor<Shape extends z.ZodRawShape>(cursor: string, shape: Shape, listedWith?: ListedWith): z.output<z.ZodObject<Shape, z.core.$strict>> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('invalid_cursor', anotherListsCursor);
  }
  const position = z.strictObject({ ...shape, ...(listedWith ? { listedWith: z.string() } : {}) }).safeParse(value);
  if (!position.success) throw new BadRequestError('invalid_cursor', anotherListsCursor);
  if (listedWith) {
    const { listedWith: madeWith, ...own } = position.data as Record<string, unknown>;
    if (madeWith !== digestOf(listedWith)) throw new BadRequestError('invalid_cursor', otherFiltersCursor);
    return own as z.output<z.ZodObject<Shape, z.core.$strict>>;
  }
  return position.data;
}

/** The filters of a list as one short text, the same however they were written in the address. */
function digestOf(listedWith: ListedWith): string {
  const given = Object.entries(listedWith)
    .filter(([, value]) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0))
    .map(([name, value]) => [name, Array.isArray(value) ? [...new Set(value)].sort() : value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(given)).digest('base64url').slice(0, 22);
}

/** A year the database takes: PostgreSQL has no year 0. */
const fromYearOne = (text: string) => !text.startsWith('0000');

/** `+00`, `-05:30`, `+00:53:28`: an offset as PostgreSQL writes one, hours up to 15. */
const databaseTimeText = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d){0,2}$/;

/** The kinds of value a cursor keeps, each as the database takes it back. */
export const cursorField = {
  /** A row's id. */
  id: z.guid(),
  /** A whole number (a serial id, a row of a file). */
  integer: z.number().int(),
  text: z.string(),
  /** A day, YYYY-MM-DD. */
  day: z.iso.date().refine(fromYearOne),
  /** A moment as JavaScript writes it (`toISOString`). */
  instant: z.iso.datetime().refine(fromYearOne),
  /** A timestamp with time zone as PostgreSQL writes it as text (`2026-12-05 19:17:31.745123+00`). */
  databaseTime: z.string().refine((text) => {
    const day = databaseTimeText.exec(text)?.[1];
    return day !== undefined && z.iso.date().safeParse(day).success && fromYearOne(day);
  }),
} as const;
