import { describe, expect, it } from 'vitest';
import { cursorField, decodeCursor, encodeCursor, filtersOf, otherFiltersCursor } from './cursor.ts';
import { AppError } from './errors.ts';

const id = '0190b6c2-8a4e-7000-8000-000000000000';
const cursorOf = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');

/** The refusal a cursor gets, or null when it is taken. */
function refusal(cursor: string, shape: Parameters<typeof decodeCursor>[1], listedWith?: Parameters<typeof decodeCursor>[2]) {
  try {
    decodeCursor(cursor, shape, listedWith);
    return null;
  } catch (error) {
    return error instanceof AppError ? { status: error.status, code: error.code, message: error.message } : error;
  }
}

describe('page cursors', () => {
  const uploads = { createdAt: cursorField.instant, id: cursorField.id };
  const reports = { reportedAt: cursorField.databaseTime, id: cursorField.id };

  it('refuses a cursor of another list, with a shape of its own, as one that belongs to another list', () => {
    const reportsCursor = encodeCursor({ reportedAt: '2026-12-05 19:17:31.745123+00', id });
    const uploadsCursor = encodeCursor({ createdAt: '2026-12-05T19:17:31.745Z', id });
    expect(refusal(reportsCursor, uploads)).toEqual({ status: 400, code: 'invalid_cursor', message: expect.stringMatching(/^The cursor belongs to another list/) });
    expect(refusal(uploadsCursor, reports)).toEqual({ status: 400, code: 'invalid_cursor', message: expect.stringMatching(/^The cursor belongs to another list/) });
    // One field more than the list writes is another list's too.
    expect(refusal(cursorOf({ createdAt: '2026-12-05T19:17:31.745Z', id, row: 3 }), uploads)).toMatchObject({ code: 'invalid_cursor' });
  });

  it('refuses a cursor edited into values the database would not take', () => {
    for (const position of [
      { createdAt: '2026-12-05T19:17:31.745Z', id: 'nope' },
      { createdAt: 'Invalid Date', id },
      { createdAt: '2026-02-29T10:00:00.000Z', id },
      { createdAt: '0000-01-01T00:00:00.000Z', id },
      { createdAt: 5, id: 5 },
      { x: 1 },
      [],
    ]) {
      expect(refusal(cursorOf(position), uploads), JSON.stringify(position)).toMatchObject({ code: 'invalid_cursor' });
    }
    for (const reportedAt of ['2026-12-05T19:17:31.745Z', '2026-12-32 19:17:31+00', '2026-12-05 24:00:00+00', '2026-12-05 19:17:31.1234567+00', '2026-12-05 19:17:31+16', 'now']) {
      expect(refusal(cursorOf({ reportedAt, id }), reports), reportedAt).toMatchObject({ code: 'invalid_cursor' });
    }
  });

  it('takes a cursor back with the filters it was made with, however they are written, and refuses it with others', () => {
    const position = { reportedAt: '2026-12-05 19:17:31.745123+00', id };
    const cursor = encodeCursor(position, { status: ['draft', 'active'], search: 'Lopez', late: false, since: undefined, activityId: '' });
    expect(decodeCursor(cursor, reports, { search: 'Lopez', late: false, status: ['active', 'draft'], since: null })).toEqual(position);
    for (const others of [{ search: 'Lopez', late: false }, { search: 'Lopez', late: true, status: ['active', 'draft'] }, { search: 'Lopes', late: false, status: ['active', 'draft'] }]) {
      expect(refusal(cursor, reports, others), JSON.stringify(others)).toEqual({ status: 400, code: 'invalid_cursor', message: otherFiltersCursor });
    }
    // A list that binds its filters refuses a cursor without them as another list's; one that binds none, a cursor with them.
    expect(refusal(encodeCursor(position), reports, {})).toMatchObject({ message: expect.stringMatching(/^The cursor belongs to another list/) });
    expect(refusal(cursor, reports)).toMatchObject({ message: expect.stringMatching(/^The cursor belongs to another list/) });
  });

  it('binds a cursor to every filter of its query, one added to the query later too, and never to its paging', () => {
    const position = { reportedAt: '2026-12-05 19:17:31.745123+00', id };
    const cursor = encodeCursor(position, filtersOf({ status: 'active', limit: 50, cursor: undefined }));
    expect(decodeCursor(cursor, reports, filtersOf({ status: 'active', limit: 100, cursor }))).toEqual(position);
    expect(refusal(cursor, reports, filtersOf({ status: 'active', region: 'west', limit: 50, cursor }))).toMatchObject({ message: otherFiltersCursor });
    // The order a cursor keeps in its position is no filter: a sort changed is another list's cursor, said as such.
    expect(filtersOf({ q: 'Lopez', sort: 'title', order: 'asc', limit: 50 }, ['cursor', 'limit', 'sort', 'order'])).toEqual({ q: 'Lopez' });
  });

  it('takes back what the list wrote, timestamps as PostgreSQL writes them in any time zone among them', () => {
    for (const reportedAt of ['2026-12-05 19:17:31.745123+00', '2024-02-29 00:00:00+05:30', '1890-01-01 00:00:00-00:53:28']) {
      expect(decodeCursor(encodeCursor({ reportedAt, id }), reports)).toEqual({ reportedAt, id });
    }
  });
});
