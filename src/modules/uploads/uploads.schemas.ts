import { z } from 'zod';
import { noDayOf } from '../../files/written-dates.ts';
import { cursorSchema, dateOrderSchema, fileNameOptionSchema, limitSchema, pageOf, receiptQuerySchema, strictBody, strictQuery, tableFormatSchema, uuidSchema } from '../../http/common.schemas.ts';
import { changeReasonSchema } from '../reports/reports.schemas.ts';

export const uploadFormatSchema = z.enum(['csv', 'xlsx', 'xml'], { error: 'The format is csv, xlsx or xml' });
export const consentSchema = z.enum(['written', 'implied'], { error: 'The consent is written or implied' });

const providerIdSchema = z.union([uuidSchema, z.string().regex(/^\d{7}$/)], { error: 'Give the provider\'s 7-digit provider ID or its organization id' });

/** A heading of a file's header row, and the column it was read as. */
const headingReadSchema = z.object({ heading: z.string(), readAs: z.string().nullable().describe('The column the heading was read as; null when it is not used') });

/** The options of an upload: in the address, or as fields of the multipart form that carries the file. */
export const createUploadQuerySchema = strictQuery('An upload takes', {
  format: uploadFormatSchema
    .optional()
    .describe('csv, xlsx or xml; when absent, told from the file name, the content type and the first bytes'),
  fileName: fileNameOptionSchema,
  consent: consentSchema
    .optional()
    .describe('The learners\' consent to be reported, for rows that do not state it (and for XML, which has no place for it)'),
  dates: dateOrderSchema
    .optional()
    .describe(
      'CSV and XLSX only: the order the file writes dates of numbers in, day_first (30/06/2026) or month_first (06/30/2026). When absent, dates with slashes or dashes are read month first, and a file whose first rows have dates that can only be day first is refused (422 date_order_required), asking for it',
    ),
  activity: z
    .string()
    .trim()
    .min(1, 'The activity is its 9-digit hub activity ID, your own ID for it, or its title')
    .max(255)
    .optional()
    .describe('CSV and XLSX only: the activity of every row that names none (a sign-in sheet for one session), by its 9-digit hub activity ID, your own ID for it, or its title as registered'),
  completionDate: z.iso
    .date({ error: (issue) => completionDateOptionMessage(issue.input) })
    .optional()
    .describe('CSV and XLSX only: the completion date (YYYY-MM-DD) of every row that gives none'),
  providerOrgId: providerIdSchema.optional().describe('Operators only: the provider the file is for, by its 7-digit provider ID or its organization id'),
});

export type CreateUploadQuery = z.output<typeof createUploadQuerySchema>;

/** Why the completion date given with a file was refused: its form, or, written as it should be, why it is no day. */
function completionDateOptionMessage(input: unknown): string {
  const noDay = typeof input === 'string' ? noDayOf(input) : null;
  return noDay ? `The completion date ${String(input)} is not a date: ${noDay}` : 'The completion date is written YYYY-MM-DD';
}

const problemSchema = z.object({
  code: z.string(),
  field: z.string().optional(),
  message: z.string(),
  row: z.number().int().optional(),
  sheet: z.string().optional().describe('The sheet of the row, in a workbook whose rows were read from several'),
});

export const uploadStatusSchema = z.enum(['queued', 'running', 'finished', 'failed']);

export const uploadSchema = z
  .object({
    id: z.uuid(),
    providerOrgId: z.uuid(),
    fileName: z.string().nullable(),
    format: uploadFormatSchema,
    fileBytes: z.number().int(),
    sha256: z.string().describe('SHA-256 of the file; the same file sent again is recognised by it'),
    consent: consentSchema.nullable(),
    dates: dateOrderSchema.nullable().describe('The order the file\'s dates of numbers were read in, as the upload said; null when it said nothing (month first, dates with dots the one way their numbers allow)'),
    activityForRows: z.string().nullable().describe('The hub activity ID given with the file for the rows that name no activity'),
    completionDateForRows: z.iso.date().nullable().describe('The completion date given with the file for the rows that give none'),
    status: uploadStatusSchema,
    progress: z.number().min(0).max(1).describe('Share of the file read and committed, 0 to 1'),
    rows: z
      .object({
        done: z.number().int().describe('Rows taken in so far; each has a receipt line'),
        accepted: z.number().int(),
        pending: z.number().int(),
        rejected: z.number().int(),
        duplicates: z.number().int().describe('Rows already on file (from this file or earlier); not counted again'),
        toFix: z
          .number()
          .int()
          .describe('Of the rejected rows, those with something to correct (in the rows to fix): not those of learners who did not consent, nor rows that hold no completion (a total, the header again), of which nothing is kept'),
        stillToFix: z
          .number()
          .int()
          .nullable()
          .describe('Of `toFix`, those not corrected (by a later upload, or one by one) nor deleted since: the rows to fix hold these. Given for one upload once it is taken in (`GET /uploads/{id}`), 0 when none was to fix; null in lists, while the file is read, and once a withdrawal is asked for, as the file then goes again whole'),
      })
      .describe('accepted + pending + rejected + duplicates = done'),
    estimatedRows: z.number().int().nullable().describe('While running: the rows the whole file probably has'),
    secondsLeft: z
      .number()
      .int()
      .nullable()
      .describe('While running: about how many seconds are left, at the pace of the last 30 to 60 s of its run (from its first chunk, in a shorter run); null until that pace is known (a few seconds in)'),
    problems: z.array(problemSchema).describe('About the whole file: the encoding its 8-bit text was read in (not_utf8), columns not used; what stopped a failed or stopped upload is its error'),
    columnsRead: z
      .object({
        row: z.number().int().describe('The row of the file read as its header'),
        sheet: z.string().nullable().describe('The sheet of a workbook it is on'),
        columns: z.array(headingReadSchema),
      })
      .nullable()
      .describe('How a CSV or XLSX file\'s headings were read (for a workbook whose rows are on several sheets, those of the first); null for XML'),
    sheets: z
      .array(
        z.object({
          name: z.string(),
          headerRow: z.number().int().describe('The row of its header'),
          columns: z
            .array(headingReadSchema)
            .optional()
            .describe("A sheet after the first whose headings are not the first's (`columnsRead`): how each was read. Absent when they are the same, in any order"),
        }),
      )
      .nullable()
      .describe('A workbook whose rows were read from several sheets (a tab per month), each under its own header: those sheets, in the order their rows were read; each receipt line names its sheet. Null otherwise'),
    rowProblems: z
      .array(
        z.object({
          code: z.string(),
          field: z.string().optional().describe('The column, when the code alone does not say'),
          rows: z.number().int().describe('Rows with this problem'),
          rejectedRows: z
            .number()
            .int()
            .nullable()
            .describe('Of them, the rows rejected; the others were taken in (pending or accepted), with nothing to send again. Null for an upload counted before this was'),
          noCompletion: z
            .boolean()
            .describe('The rows are no completions to report (a registrant who did not attend, a learner who did not consent, a total, the header repeated): nothing of them is kept, corrected or sent again'),
          firstRow: z.number().int().describe('The first of them'),
          firstRowSheet: z.string().nullable().describe('Its sheet, in a workbook whose rows were read from several'),
          message: z.string().describe('What the first of them was told to fix'),
          firstRejected: z
            .object({
              row: z.number().int(),
              sheet: z.string().nullable().describe('Its sheet, in a workbook whose rows were read from several'),
              message: z.string().describe('What it was told to fix'),
            })
            .nullable()
            .describe('The first of them rejected, the example of what to fix where the first of them was taken in. Null while none was rejected, and for an upload counted before this was'),
        }),
      )
      .describe(
        'How many rows have each kind of problem, most common first; a row with several problems counts under each. ' +
          'List the rows of one kind with GET /api/v1/uploads/{id}/rows?problem={code}&problemField={field}.',
      ),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .describe('A failed or stopped upload (status failed): what stopped it, and what to do; null otherwise'),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    fileKeptUntil: z.iso
      .datetime()
      .nullable()
      .describe('Once done: until when the file, and with it the rows to fix, are kept (CMEHUB_UPLOAD_FILE_DAYS after it was done); then they are deleted'),
    fileRemovedAt: z.iso.datetime().nullable().describe('When the file and the rows to fix were deleted; the receipt stays'),
    withdrawal: z
      .object({
        status: z.enum(['withdrawing', 'withdrawn']).describe('`withdrawing` while the reports are being deleted, in the background; then `withdrawn`'),
        requestedAt: z.iso.datetime(),
        at: z.iso.datetime().nullable().describe('When the last report was deleted'),
        by: z.string(),
        reason: z.string(),
        reports: z.number().int().describe('Reports the upload took in that were deleted so far'),
        reportsToDelete: z
          .number()
          .int()
          .nullable()
          .describe('The reports on file it was to delete, counted when it was asked for (null for withdrawals asked for before the hub counted them)'),
        kept: z.number().int().describe('Reports the upload took in that a later upload also sent: left on file, as that upload\'s'),
        toFixAgain: z
          .number()
          .int()
          .describe('Once withdrawn: the rejected reports of earlier uploads its rows had corrected, which are to fix again (their corrections went with it)'),
        heldUp: z.boolean().describe('While withdrawing: its last run failed (the server log says why); it is tried again by itself, later each time'),
      })
      .nullable()
      .describe('Set once a withdrawal of the reports the upload took in was asked for (POST /api/v1/uploads/{id}/withdraw)'),
    filesAhead: z
      .number()
      .int()
      .nullable()
      .describe('While it waits (GET of one upload): how many files, of any provider, are taken in before it; null otherwise, and in lists'),
  })
  .meta({ id: 'Upload' });

export const withdrawalPreviewSchema = z.object({
  reportsToDelete: z.number().int().describe('Reports the upload took in that are still on file, and that withdrawing it would delete'),
  reportsKept: z.number().int().describe("Reports the upload took in that a later upload also sent: withdrawing leaves them on file, as that upload's"),
  rejectedToFixAgain: z
    .number()
    .int()
    .describe('Rejected reports of earlier uploads that its rows corrected: withdrawing takes the corrections back, and they are to fix again'),
});

export type WithdrawalPreview = z.output<typeof withdrawalPreviewSchema>;

export const withdrawUploadBodySchema = strictBody('A withdrawal takes', { reason: changeReasonSchema.describe('Why: kept with every deleted report') });

export type UploadView = z.output<typeof uploadSchema>;

export const uploadCreatedSchema = uploadSchema
  .extend({
    alreadyUploaded: z.boolean().describe('True when this file was sent before: nothing is added, the earlier upload is returned'),
    message: z.string(),
  })
  .meta({ id: 'UploadCreated' });

export const listUploadsQuerySchema = strictQuery('The list of uploads takes', {
  limit: limitSchema,
  cursor: cursorSchema.describe(
    'The nextCursor of the page before. It goes with the providerOrgId it was made with (named either way): sent with another, or without one when it was made with one (or the other way), it is refused (400 invalid_cursor); start again without cursor',
  ),
  providerOrgId: providerIdSchema.optional().describe('Operators: one provider\'s uploads, by its 7-digit provider ID or its organization id'),
});

export const uploadPageSchema = pageOf(uploadSchema);

export const receiptStatusSchema = z.enum(['accepted', 'pending', 'rejected']);

export const receiptLineSchema = z
  .object({
    rowNumber: z.number().int().describe('The row of the file (spreadsheet numbering), or the report\'s place in an XML file'),
    sheet: z.string().nullable().describe('The sheet of the row, in a workbook whose rows were read from several (`sheets` of the upload); null otherwise'),
    reference: z.string().nullable().describe('Your reference for the row, as the file gave it'),
    learner: z.string().nullable().describe('The learner\'s first and last name, as the row gave them (for a repeat, as the report on file has them); null for a row of which nothing is kept'),
    activity: z.string().nullable().describe('Your ID of the row\'s activity, as it was found (a rejected row: as the row wrote it)'),
    completionDate: z.string().nullable().describe('The completion date, YYYY-MM-DD (a rejected row: as the row wrote it)'),
    stillToFix: z
      .boolean()
      .nullable()
      .describe('A rejected row kept as a rejected report: whether that report is still to fix, not corrected since (by a later upload, or in place) nor deleted. Null on other lines'),
    noLongerToFix: z
      .object({
        because: z
          .enum(['corrected', 'deleted'])
          .describe(
            'corrected: by a row of a later upload (correctedBy), in place (PATCH, or on its page: the report is no longer rejected), or by a report of the same completion sent through the API or the form; deleted: deleted otherwise (one by one, or with its upload withdrawn)',
          ),
        correctedBy: z
          .object({ id: z.uuid(), fileName: z.string().nullable() })
          .nullable()
          .describe('The later upload whose row corrected the report; null when it was corrected otherwise, or deleted'),
      })
      .nullable()
      .describe('A rejected row whose rejected report is no longer to fix (stillToFix false): what became of that report. Null while it is still to fix, and on other lines'),
    status: receiptStatusSchema,
    duplicate: z.boolean(),
    late: z.boolean(),
    reportId: z.uuid().nullable(),
    problems: z.array(problemSchema),
    earlierUpload: z
      .object({
        id: z.uuid(),
        fileName: z.string().nullable(),
        createdAt: z.iso.datetime().describe('When that file was sent'),
        rowNumber: z.number().int().nullable().describe('The row of that file the report came from'),
        sheet: z.string().nullable().describe('Its sheet, in a workbook whose rows were read from several'),
        correctedBy: z
          .object({ id: z.uuid(), fileName: z.string().nullable() })
          .nullable()
          .describe('For a rejected row sent again as it was: the later upload that corrected its rejected report, which is why it is not counted again'),
      })
      .nullable()
      .describe(
        'For a line repeating a report another upload took in (problem already_on_file): that upload, which the problem\'s message names by its id ' +
          '(or, once a withdrawal of that upload left the report on file as a later upload\'s, that later one). ' +
          'Null for other lines, and for a repeat of a report sent through the API or the web form, or of an earlier row of this file',
      ),
  })
  .meta({ id: 'UploadReceiptLine' });

export type ReceiptLineView = z.output<typeof receiptLineSchema>;

export const receiptLinesQuerySchema = strictQuery('The receipt lines take', {
  limit: limitSchema,
  cursor: cursorSchema.describe(
    'The nextCursor of the page before, asked of the same upload with the same filters (status, duplicate, problem, problemField); of another upload, or with other filters: 400 invalid_cursor, start again without cursor',
  ),
  status: receiptStatusSchema.optional().describe('Only the lines of this outcome, as the upload\'s counts count them: without the repeats (duplicate), unless duplicate=true'),
  duplicate: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true'))
    .describe('true: only the lines repeating a report on file or an earlier row; false: none of them'),
  problem: z
    .string()
    .max(100)
    .optional()
    .describe(
      'Only the rows with a problem of this code (see the upload\'s rowProblems; a repeat\'s code, such as already_on_file, finds the repeats). ' +
        'A code the hub gives that no row of the upload has lists no rows; a code the hub never gives a row (a misspelt one) is refused (400 problem_code_unknown), ' +
        'asking whether the code a letter or two off was meant, or else naming the codes of the upload\'s rowProblems',
    ),
  problemField: z.string().max(100).optional().describe('With problem: only where the problem is about this field, as rowProblems or a line names it (credits.amount or credits.0.amount)'),
}).refine((query) => query.problemField === undefined || query.problem !== undefined, {
  message: 'problemField narrows problem: give problem too (the code), or leave problemField out.',
  path: ['problemField'],
});

export type ReceiptLinesQuery = z.output<typeof receiptLinesQuerySchema>;

export const receiptLinePageSchema = pageOf(receiptLineSchema);

export const receiptFileQuerySchema = receiptQuerySchema('The receipt takes');

export const rowsToFixQuerySchema = strictQuery('The rows to fix take', {
  format: tableFormatSchema
    .optional()
    .describe('csv or xlsx. When left out, as the Accept header asks (text/csv or the XLSX type; neither: 406), else the upload\'s own format'),
});

/** One upload, and what withdrawing it would do: no options, so that one misspelt is not taken for one heeded. */
export const uploadQuerySchema = strictQuery('One upload takes', {});
export const withdrawalPreviewQuerySchema = strictQuery('The withdrawal preview takes', {});
export const stopUploadQuerySchema = strictQuery('Stopping an upload takes', {});
export const withdrawUploadQuerySchema = strictQuery('A withdrawal takes', {});
export const learnerTemplateQuerySchema = strictQuery('The learner file template takes', {});
