import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenWords, damagedCsv, damagedWorkbook, seeded, workbookOf, wrongAnswers } from '../../../test/damaged-files.ts';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';

// Whatever damaged roster arrives, the board is answered with what to fix (a 4xx), or the load runs to its end,
// completed or stopped with its reason, with its receipt to download: never a 500.

const workbookType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type RosterLoad = { id: string; status: string; failure: string | null; notes: { message: string }[] };

describe('damaged rosters', () => {
  let t: TestApp;
  let board: Session;
  let boardId: string;
  const lines = [
    ['License number', 'License type', 'Status', 'First name', 'Middle name', 'Last name', 'Birth month', 'Birth day', 'NPI', 'Issue date', 'Expiry date'],
    ...Array.from({ length: 12 }, (_, index) => [`DR${1000 + index}`, index % 4 ? 'MD' : 'DO', 'Active', 'Zoë', '', `Brontë ${index}`, String(1 + (index % 12)), String(1 + index), '', '2010-06-01', '2027-03-31']),
    ['DR2000', 'MD', 'Inactive', 'Nadia', 'J', 'Quist', '11', '2', '', '06/15/2015', ''],
  ];

  beforeAll(async () => {
    // Many files a minute from one address, as no board sends them.
    t = await createTestApp({ demo: true, config: { addressRateLimitPerMinute: 100_000 } });
    board = await login(t.app, demoLogins.boardAdmin, demoPassword);
    boardId = (await board.get('/api/v1/me')).json().organization.id;
  });
  afterAll(() => t.close());

  /** Sends the roster, follows its load to its end, and says what went wrong, if anything. */
  async function answersOf(file: Buffer, contentType: string, fileName: string): Promise<string[]> {
    const sent = await board.request({ method: 'POST', url: `/api/v1/boards/${boardId}/roster?fileName=${fileName}`, payload: file, headers: { 'content-type': contentType } });
    if (sent.statusCode >= 500) return [`${sent.statusCode} ${sent.body}`];
    if (sent.statusCode >= 400) {
      const { detail, problems = [] } = sent.json() as { detail?: string; problems?: { message: string }[] };
      if (!detail) return [`${sent.statusCode} without a message`];
      return brokenWords([detail, ...problems.map((problem) => problem.message)]);
    }
    const address = `/api/v1/boards/${boardId}/roster/loads/${sent.json().id}`;
    let load: RosterLoad = sent.json();
    for (let looks = 0; load.status === 'running' && looks < 500; looks += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      load = (await board.get(address)).json();
    }
    const wrong: string[] = [];
    if (load.status !== 'completed' && load.status !== 'failed') wrong.push(`load ${load.status}`);
    if (load.status === 'failed' && !load.failure) wrong.push('stopped without saying why');
    const receipts = await Promise.all(['csv', 'xlsx'].map((format) => board.get(`${address}/receipt?format=${format}`)));
    for (const receipt of receipts) if (receipt.statusCode !== 200) wrong.push(`receipt: ${receipt.statusCode}`);
    wrong.push(...brokenWords([load.failure, ...load.notes.map((note) => note.message), ...receipts[0].body.split('\r\n')]));
    return wrong;
  }

  const variants = 30;

  it('answers every damaged CSV roster with what to fix, or loads it to the end', async () => {
    const random = seeded(11);
    const text = lines.map((cells) => cells.join(',')).join('\r\n');
    expect(await wrongAnswers(variants, () => damagedCsv(random, text), (file) => answersOf(file, 'text/csv', 'damaged.csv'))).toEqual([]);
  });

  it('answers every damaged roster workbook with what to fix, or loads it to the end', async () => {
    const random = seeded(12);
    const whole = await workbookOf('Roster', lines);
    expect(await wrongAnswers(variants, () => damagedWorkbook(random, whole), (file) => answersOf(file, workbookType, 'damaged.xlsx'))).toEqual([]);
  });
});
