import { z } from 'zod';
import { BadRequestError } from './errors.ts';

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** What a cursor that is not one of the list's own is told, whatever is wrong with it. */
export const anotherListsCursor = 'The cursor belongs to another list, or was changed or cut short; start again from the first page (without cursor).';

/**
 * The position a list's cursor keeps, as the list wrote it: exactly the fields of `shape`, each of its kind. A
 * cursor of another list (whose fields are other), or one changed or cut short, is refused (400
 * `invalid_cursor`) before any of it reaches the database.
 */
export function decodeCursor<Shape extends z.ZodRawShape>(cursor: string, shape: Shape): z.output<z.ZodObject<Shape, z.core.$strict>> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('invalid_cursor', anotherListsCursor);
  }
  const position = z.strictObject(shape).safeParse(value);
  if (!position.success) throw new BadRequestError('invalid_cursor', anotherListsCursor);
  return position.data;
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
