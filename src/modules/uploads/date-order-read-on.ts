import { Worker } from 'node:worker_threads';
import { AppError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import { UploadDateOrderRequiredError } from './learner-rows.ts';
import type { OpenLearnerRowsOptions } from './learner-rows.ts';

export type DateOrderThreadData = { filePath: string; options: Omit<OpenLearnerRowsOptions, 'onProgress'> };

/** The file's refusal (a date only read day first, none only month first), or a failure to read it, as data a thread can send. */
export type DateOrderThreadAnswer =
  | { refusal: { message: string; found: Problem } | null }
  | { failure: { status: number; code: string; message: string; problems: Problem[] | undefined } };

/**
 * Reads a file whose first rows' dates all read both ways on, until one tells their order (up to 50,000 rows), on a
 * thread of its own: a workbook's rows and shared strings read that far take seconds of work that would otherwise
 * hold up every request the server answers meanwhile. The file's refusal when it is written day first, else null.
 */
export function dateOrderReadOn(filePath: string, options: DateOrderThreadData['options']): Promise<AppError | null> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(new URL('./date-order-thread.ts', import.meta.url), { workerData: { filePath, options } satisfies DateOrderThreadData });
    thread.once('message', (answer: DateOrderThreadAnswer) => {
      if ('failure' in answer) {
        const { status, code, message, problems } = answer.failure;
        resolve(new AppError(status, code, message, { problems }));
        return;
      }
      resolve(answer.refusal ? new UploadDateOrderRequiredError(answer.refusal.message, answer.refusal.found) : null);
    });
    thread.once('error', reject);
    // Once answered, its end changes nothing; before, it is the thread failing without a word.
    thread.once('exit', (code) => reject(new Error(`The thread reading the file's dates ended (exit code ${code}) without an answer.`)));
  });
}
