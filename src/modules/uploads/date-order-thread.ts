// Reads a learner file on a thread of its own until its dates tell the order they are written in
// (`date-order-read-on.ts` starts it and waits for its one answer).

import { parentPort, workerData } from 'node:worker_threads';
import { mostRowsReadForDateOrder } from '../../files/written-dates.ts';
import { AppError } from '../../http/errors.ts';
import { dateOrderOfRows, openLearnerRows } from './learner-rows.ts';
import type { DateOrderThreadAnswer, DateOrderThreadData } from './date-order-read-on.ts';

const { filePath, options } = workerData as DateOrderThreadData;
const port = parentPort!;

async function answer(): Promise<DateOrderThreadAnswer> {
  try {
    const file = await openLearnerRows(filePath, options);
    try {
      const refusal = (await dateOrderOfRows(file.rows, mostRowsReadForDateOrder)).refusal();
      return { refusal: refusal ? { message: refusal.message, found: refusal.problems![0] } : null };
    } finally {
      await file.close();
    }
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { failure: { status: error.status, code: error.code, message: error.message, problems: error.problems } };
  }
}

port.postMessage(await answer());
