import { z } from 'zod';
import { dateOrderSchema, fileNameOptionSchema, receiptQuerySchema, strictQuery, uuidSchema } from '../../http/common.schemas.ts';

export const boardParams = z.object({ orgId: uuidSchema });
export const loadParams = z.object({ orgId: uuidSchema, loadId: uuidSchema });

export const rosterUploadQuerySchema = strictQuery('A roster upload takes', {
  full: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('true when the file lists every licensee: licenses it leaves out become inactive'),
  fileName: fileNameOptionSchema,
  dates: dateOrderSchema
    .optional()
    .describe(
      'How the file writes dates of numbers (issue, expiry, birth): day_first (30/06/2026) or month_first (06/30/2026). Unsaid, they are read month ' +
        'first, and a file whose dates show it written day first (one that can only be read so, none only month first) is refused, 422 ' +
        'date_order_required, naming the row',
    ),
});

export const templateQuerySchema = strictQuery('The roster template takes', {
  kind: z.enum(['licenses', 'certifications'], { error: 'The kind is licenses (a licensing board) or certifications (a certifying board)' }).default('licenses').describe('licenses for a licensing board, certifications for a certifying board'),
});

export const rosterReceiptQuerySchema = receiptQuerySchema('A roster load\'s receipt takes');

export const rosterLoadSchema = z
  .object({
    id: z.string(),
    organizationId: z.string().nullable(),
    kind: z.enum(['licenses', 'certifications', 'nppes']),
    fullRoster: z.boolean(),
    fileName: z.string().nullable(),
    status: z.enum(['running', 'completed', 'failed']),
    rowsRead: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    deactivated: z.number().int().describe('Licenses left out of a full roster, now inactive'),
    absentHeld: z
      .number()
      .int()
      .nullable()
      .describe(
        'Licenses left out of a full roster that were left as they were, more than a tenth of the board\'s practising licenses (and more than 25): ' +
          'too many to make inactive without the board\'s word (POST .../roster/loads/{loadId}/absent-inactive). Null when none',
      ),
    keptForRejectedRows: z
      .number()
      .int()
      .describe(
        'Of a full roster: the board\'s practising licenses it did not load, left as they were because a row of it that was rejected names them ' +
          '(a status misspelt, a date of birth mistyped). Correct those rows and load the file again. 0 for a roster that is not full',
      ),
    failure: z.string().nullable(),
    dates: dateOrderSchema.nullable().describe('How the upload said the file writes its dates of numbers; null when unsaid (read month first)'),
    resumed: z
      .object({ at: z.string(), afterRows: z.number().int() })
      .nullable()
      .describe('A load cut off by its server stopping (a restart, a crash) and resumed from the file the server kept, as the same load: when, and after how many rows, which were loaded already. Null if never'),
    notes: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .describe(
        'What the file says beside its rows, to read with the counts: columns not used (their values ignored; "is it ...?" names a column it may be meant as, ' +
          'such as a misspelt "Date of Brith"), and the encoding a CSV file not saved as UTF-8 was read in. Empty when none',
      ),
    sheets: z.array(z.string()).nullable().describe('A workbook whose rows were on several sheets: their names, in the order read; its receipt names each row by its sheet. Null otherwise'),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'RosterLoad' });

export const rosterLoadListSchema = z.object({ items: z.array(rosterLoadSchema) });
