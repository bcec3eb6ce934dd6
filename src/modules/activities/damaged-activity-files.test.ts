import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenWords, damagedCsv, damagedWorkbook, seeded, workbookOf, wrongAnswers } from '../../../test/damaged-files.ts';
import type { Random } from '../../../test/damaged-files.ts';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { addDays, hubToday } from './dates.ts';

// Whatever damaged activity file arrives, the coordinator is answered with what to fix (a 4xx), or with a receipt that
// gives every row its outcome and every rejected row its reasons: never a 500.

const workbookType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Receipt = { counts: Record<'created' | 'updated' | 'unchanged' | 'rejected', number>; fileProblems: { message: string }[]; rows: { outcome: string; problems: { message: string }[] }[] };

describe('damaged activity files', () => {
  let t: TestApp;
  let coordinator: Session;
  const nextMonth = addDays(hubToday(), 30);
  const lines = [
    ['Provider activity ID', 'Title', 'Activity type', 'Delivery method', 'Start date', 'End date', 'City', 'State', 'Country', 'AMA PRA Category 1 credits', 'Topics'],
    ...Array.from({ length: 12 }, (_, index) => [`DMG-${index}`, `Grand Rounds ${index}`, 'RSS', 'in_person', nextMonth, nextMonth, 'Boston', 'MA', 'USA', '1.5', index % 3 ? '' : 'opioid_prescribing; implicit_bias']),
    ['DMG-E', 'Enduring material', 'EM', 'online', '3/15/2026', 'Dec 31, 2026', '', '', '', '0.5', ''],
  ];

  beforeAll(async () => {
    // Many files a minute from one address, as no coordinator sends them.
    t = await createTestApp({ demo: true, config: { addressRateLimitPerMinute: 100_000 } });
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
  });
  afterAll(() => t.close());

  /** Sends the file, with its receipt as JSON and every fourth time also as a file, and says what went wrong, if anything. */
  async function answersOf(file: Buffer, contentType: string, fileName: string, random: Random): Promise<string[]> {
    const send = (receipt: string) => coordinator.request({ method: 'POST', url: `/api/v1/activities/batch?fileName=${fileName}&receipt=${receipt}`, payload: file, headers: { 'content-type': contentType } });
    const sent = await send('json');
    if (sent.statusCode >= 500) return [`${sent.statusCode} ${sent.body}`];
    if (sent.statusCode >= 400) {
      const { detail, problems = [] } = sent.json() as { detail?: string; problems?: { message: string }[] };
      if (!detail) return [`${sent.statusCode} without a message`];
      return brokenWords([detail, ...problems.map((problem) => problem.message)]);
    }
    const receipt: Receipt = sent.json();
    const wrong: string[] = [];
    const counted = Object.values(receipt.counts).reduce((sum, count) => sum + count, 0);
    if (counted !== receipt.rows.length) wrong.push(`${counted} rows counted, ${receipt.rows.length} listed`);
    for (const row of receipt.rows) if (row.outcome === 'rejected' && !row.problems.some((problem) => problem.message)) wrong.push('a row rejected without saying why');
    wrong.push(...brokenWords([...receipt.fileProblems, ...receipt.rows.flatMap((row) => row.problems)].map((problem) => problem.message)));
    if (random.next() < 0.25) {
      const asFile = await send(random.pick(['csv', 'xlsx']));
      if (asFile.statusCode !== 200) wrong.push(`receipt as a file: ${asFile.statusCode}`);
    }
    return wrong;
  }

  const variants = 30;

  it('answers every damaged CSV file with what to fix, or a receipt of every row', async () => {
    const random = seeded(9);
    const text = lines.map((cells) => cells.map((cell) => (cell.includes(',') ? `"${cell}"` : cell)).join(',')).join('\r\n');
    expect(await wrongAnswers(variants, () => damagedCsv(random, text), (file) => answersOf(file, 'text/csv', 'damaged.csv', random))).toEqual([]);
  });

  it('answers every damaged workbook with what to fix, or a receipt of every row', async () => {
    const random = seeded(10);
    const whole = await workbookOf('Activities', lines);
    expect(await wrongAnswers(variants, () => damagedWorkbook(random, whole), (file) => answersOf(file, workbookType, 'damaged.xlsx', random))).toEqual([]);
  });
});
