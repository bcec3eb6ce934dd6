import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import { uploadLine, uploadSummary } from './upload-output.ts';

const uploadOutput = fileURLToPath(new URL('./upload-output.ts', import.meta.url));

describe('a receipt written to a file', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves nothing behind when Ctrl-C stops it halfway, and exits as a shell reports the signal', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-receipt-'));
    const target = path.join(dir, 'receipt.csv');
    // A command writing a receipt that takes long to come, as from a hub far away.
    const script = `
      import { Readable } from 'node:stream';
      import { writeFileWhole } from ${JSON.stringify(uploadOutput)};
      const slow = new Readable({ read() { setTimeout(() => this.push('12,R-12,accepted\\n'.repeat(500)), 5); } });
      await writeFileWhole(slow, ${JSON.stringify(target)});
    `;
    const command = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const ended = new Promise<number | null>((resolve) => command.on('exit', (code) => resolve(code)));
    while (!fs.readdirSync(dir).some((name) => name.endsWith('.part'))) await new Promise((resolve) => setTimeout(resolve, 20));
    command.kill('SIGINT');
    expect(await ended).toBe(130);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("an upload's summary", () => {
  const kind = (code: string, rows: number, rejectedRows: number, firstRow: number, message: string, noCompletion = false) => ({
    code,
    rows,
    rejectedRows,
    noCompletion,
    firstRow,
    firstRowSheet: null,
    message,
    firstRejected: rejectedRows > 0 ? { row: firstRow, sheet: null, message } : null,
  });
  // 441 rows rejected, 9 taken in with something to check, 1 total under the learners.
  const upload = {
    id: '0190a7e4-7d5e-7000-8000-000000000001',
    status: 'finished',
    progress: 1,
    secondsLeft: null,
    rows: { done: 42_799, accepted: 42_349, pending: 9, rejected: 441, duplicates: 0, toFix: 440, stillToFix: null },
    dates: null,
    activityForRows: null,
    completionDateForRows: null,
    error: null,
    problems: [],
    sheets: null,
    columnsRead: null,
    rowProblems: [
      kind('not_a_date', 440, 440, 5, 'Completion date: "tomorrow" is not a date'),
      kind('license_not_found', 9, 0, 7, 'California has no license number A1 on record.'),
      kind('not_a_completion', 1, 1, 42_800, 'Row with no learner: delete it from the file.', true),
    ],
    withdrawal: { status: 'withdrawing', requestedAt: '2026-12-03T09:28:00.000Z', at: null, by: 'command line', reason: 'Sent twice', reports: 10_000, reportsToDelete: 42_358, kept: 0, toFixAgain: 0, heldUp: false },
  } as unknown as UploadView;

  it('lists no row to fix, nor any not to send again, while the upload is withdrawn: the file goes again whole', () => {
    expect(uploadSummary(upload).split('\n').slice(1)).toEqual([
      'Being withdrawn, as asked 2026-12-03 09:28 UTC by command line: 10,000 of the reports this file took in deleted so far. Reason: Sent twice',
      'Its accepted and pending rows are being deleted too: once that is done, the file, corrected, may be sent again whole.',
      'What was wrong, most common first:',
      '  440 rows, such as row 5: Completion date: "tomorrow" is not a date',
      '  9 rows, such as row 7: California has no license number A1 on record.',
      'Not taken in, no completions (nothing of them is kept, and nothing is to fix or send again):',
      '  1 row (row 42,800): Row with no learner: delete it from the file.',
    ]);
  });

  it('says an upload its sender stopped is stopped, and one that ended on an error failed', () => {
    const ended = { ...upload, status: 'failed', withdrawal: null, createdAt: '2026-12-03T09:20:00.000Z', fileName: 'year-end.csv' } as UploadView;
    const stopped = { ...ended, error: { code: 'stopped', message: 'Stopped by API key year-end. 42,799 rows taken in and are in the receipt.' } };
    const failed = { ...ended, error: { code: 'upload_interrupted', message: 'The upload was interrupted 5 times and is not tried again. Send the file again, or split it.' } };
    expect(uploadSummary(stopped).split('\n')[0]).toMatch(/^Upload [0-9a-f-]{36}: stopped\. 42,799 rows: /);
    expect(uploadLine(stopped)).toMatch(/  stopped +42,799 rows  year-end\.csv$/);
    expect(uploadSummary(failed).split('\n')[0]).toMatch(/^Upload [0-9a-f-]{36}: failed\. 42,799 rows: /);
    expect(uploadLine(failed)).toMatch(/  failed +42,799 rows  year-end\.csv$/);
  });
});
