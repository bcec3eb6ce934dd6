import { z } from 'zod';
import { cursorSchema, limitSchema, pageLimitSchema, pageOf, strictBody, strictQuery, uuidSchema } from '../../http/common.schemas.ts';
import { dayPastMonthEnd, MONTH_NAMES } from '../activities/dates.ts';
import { LICENSE_NUMBER_MAX_LENGTH } from '../matching/license-numbers.ts';
import { NAME_MAX_LENGTH, reportedNameMessage } from '../matching/names.ts';
import { quoted } from '../../words.ts';

/** A Credit ID as providers send it: ccid, the provider, their own reference. */
export const creditIdForm = /^ccid:[^:]+:[^:]+$/;

/** The most reports one API request may carry; larger sets go through a file upload. */
export const MAX_REPORTS_PER_REQUEST = 1000;

/**
 * The problem code of a field that does not fit the report schema. A number outside its bounds is one
 * problem whichever bound it passed (a birth month of 0 or 13), so that a file's problems count it as one.
 */
export function reportIssueCode(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return 'invalid';
  if ((issue.code === 'too_small' || issue.code === 'too_big') && (issue.origin === 'number' || issue.origin === 'int')) return 'out_of_range';
  return issue.code;
}

const optionalCode = (maxLength: number, label: string) =>
  z
    .string()
    .trim()
    .max(maxLength, `${label} is at most ${maxLength} characters`)
    .transform((value) => value.toUpperCase())
    .nullish()
    .transform((value) => value || null);

/** Quotes the number sent, as the people correcting it see it in their file ("Birth month 13 is not a month"). */
const outOfRange = (label: string, unit: string, max: number) => ({
  error: (issue: { input?: unknown }) => `${label} ${String(issue.input)} is not a ${unit} (1 to ${max})`,
});

const personName = (label: string, missing: string) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .max(NAME_MAX_LENGTH, `${label} is at most ${NAME_MAX_LENGTH} characters`)
    .refine((name) => reportedNameMessage(label, name) === null, { error: (issue) => reportedNameMessage(label, String(issue.input).trim()) ?? undefined });

/** The learner as the provider reports them: the same fields the validation tool takes. */
const reportedLearnerShape = {
  firstName: personName('First name', 'Enter the first name'),
  lastName: personName('Last name', 'Enter the last name'),
  birthMonth: z.number().int().min(1, outOfRange('Birth month', 'month', 12)).max(12, outOfRange('Birth month', 'month', 12)),
  birthDay: z.number().int().min(1, outOfRange('Birth day', 'day', 31)).max(31, outOfRange('Birth day', 'day', 31)),
  state: z
    .string()
    .trim()
    .nullish()
    .refine((value) => !value || /^[A-Z]{2}$/.test(value.toUpperCase()), {
      error: (issue) => `State ${quoted(String(issue.input))} is not a state's 2-letter code: write the code of the state that issued the license, such as CA`,
    })
    .transform((value) => value?.toUpperCase() || null),
  licenseNumber: optionalCode(LICENSE_NUMBER_MAX_LENGTH, 'License number'),
  npi: optionalCode(10, 'NPI').refine((value) => value === null || /^\d{10}$/.test(value), {
    message: 'NPI is 10 digits',
  }),
  board: optionalCode(10, 'Board'),
  boardId: optionalCode(LICENSE_NUMBER_MAX_LENGTH, 'Board ID'),
};

type ReportedLearnerFields = z.output<z.ZodObject<typeof reportedLearnerShape>>;

/**
 * Runs a check of fields read together once those fields are read, whatever the learner's other fields hold: a row
 * rejected for an empty first name says as well that its license lacks its number, not once the name is corrected.
 */
const onceRead = (fields: readonly (keyof ReportedLearnerFields)[]) => ({
  when: (payload: z.core.ParsePayload) =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    payload.issues.every((issue) => {
      const field = issue.path?.[0];
      return field !== undefined && !fields.includes(field as keyof ReportedLearnerFields);
    }),
});

/** A birthday no year has: a day past the 31st is no day at all, which its own check says. */
function checkBirthday(learner: ReportedLearnerFields, context: z.RefinementCtx): void {
  if (dayPastMonthEnd(learner.birthMonth, learner.birthDay)) {
    context.addIssue({ code: 'custom', path: ['birthDay'], message: `${MONTH_NAMES[learner.birthMonth - 1]} has no day ${learner.birthDay}` });
  }
}

/** An identifier whole: a license's state and number, an NPI, or a certifying board and its ID. */
function checkIdentifier(learner: ReportedLearnerFields, context: z.RefinementCtx): void {
  const identifiedOtherwise = Boolean(learner.npi || (learner.board && learner.boardId));
  // A state beside an NPI is only where the learner practises (a column filled in for every row).
  if (learner.state && !learner.licenseNumber && !identifiedOtherwise) {
    context.addIssue({ code: 'custom', path: ['licenseNumber'], message: 'Give the license number with the state, or the learner\'s NPI' });
  }
  if (learner.licenseNumber && !learner.state) {
    context.addIssue({ code: 'custom', path: ['state'], message: 'Give the state that issued the license' });
  }
  if (learner.board && !learner.boardId) {
    context.addIssue({ code: 'custom', path: ['boardId'], message: 'Give the board ID with the board' });
  }
  if (learner.boardId && !learner.board) {
    context.addIssue({ code: 'custom', path: ['board'], message: 'Give the board that issued the ID' });
  }
  if (!learner.npi && !learner.state && !learner.licenseNumber && !learner.board && !learner.boardId) {
    // About the learner as a whole, not one of the three identifiers; half of one is said at the half missing.
    context.addIssue({
      code: 'custom',
      path: [],
      message: 'Identify the learner by state and license number, NPI, or certifying board and board ID',
    });
  }
}

/** A learner's fields, and what they say together, each said at once with the others' problems. */
function reportedLearner<Shape extends z.ZodObject<typeof reportedLearnerShape>>(learner: Shape): Shape {
  return learner.superRefine(checkBirthday, onceRead(['birthMonth', 'birthDay'])).superRefine(checkIdentifier, onceRead(['state', 'licenseNumber', 'npi', 'board', 'boardId']));
}

export const reportedLearnerSchema = reportedLearner(z.object(reportedLearnerShape));

export const creditLineSchema = z.object({
  type: z
    .string()
    .trim()
    .min(1, 'Enter the credit type, such as AMA_PRA_CAT1')
    .max(40, 'A credit type is at most 40 characters, such as AMA_PRA_CAT1')
    .transform((value) => value.toUpperCase()),
  amount: z.number().finite(),
});

const isoDate = z.iso.date({ error: (issue) => dateMessage(issue.input) });

/** Why a date was refused: its form, or, written as it should be, that the calendar has no such day. */
function dateMessage(input: unknown): string {
  const parts = typeof input === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim()) : null;
  if (!parts) return 'Dates are written YYYY-MM-DD';
  const [, year, month, day] = parts.map(Number);
  if (month < 1 || month > 12) return `${input} is no date: there is no month ${month}`;
  return `${input} is no date: ${dayPastMonthEnd(month, day, year) ?? `there is no day ${day}`}`;
}

/** A provider as an operator names it: its organization id or its 7-digit provider ID, as uploads take it. */
export const providerReferenceSchema = z.union([uuidSchema, z.string().regex(/^\d{7}$/)], {
  error: 'Give the provider\'s 7-digit provider ID or its organization id',
});

const learnerReportShape = {
  activityId: z
    .string()
    .trim()
    .min(1, 'Enter the activity: its 9-digit hub activity ID, or your own ID for it')
    .max(200, 'Activity ID is at most 200 characters')
    .describe('The 9-digit hub activity ID, or the provider\'s own ID for the activity (its providerActivityId); a hub activity ID wins'),
  completionDate: isoDate,
  learner: reportedLearnerSchema,
  credits: z.array(creditLineSchema).min(1, 'Report at least one credit line').max(40, 'At most 40 credit lines'),
  // Checked by the rules rather than here, so that a report without consent is kept and refused.
  consent: z.enum(['written', 'implied']).nullish(),
  creditId: z
    .string()
    .trim()
    .max(300, 'A credit ID is at most 300 characters')
    .regex(creditIdForm, 'A credit ID looks like ccid:provider:123')
    .nullish(),
};

export const learnerReportInputSchema = z.object(learnerReportShape);

/**
 * A learner report as the API takes it: a field it does not know (an "NPI" for npi, a "creditID") is refused,
 * naming the fields it takes, rather than dropped, which would lose the learner's identifier without a word.
 */
export const learnerReportSubmissionSchema = strictBody('A learner report takes', {
  ...learnerReportShape,
  learner: reportedLearner(strictBody('A learner takes', reportedLearnerShape)),
  credits: z
    .array(strictBody('A credit line takes', creditLineSchema.shape))
    .min(1, 'Report at least one credit line')
    .max(40, 'At most 40 credit lines'),
}).meta({ id: 'LearnerReportSubmission' });

export type LearnerReportInput = z.output<typeof learnerReportInputSchema>;
export type ReportedLearner = z.output<typeof reportedLearnerSchema>;

export const reportProblemSchema = z.object({
  code: z.string(),
  field: z.string().optional(),
  message: z.string(),
  row: z.number().int().optional(),
});

export const reportStatusSchema = z.enum(['accepted', 'pending', 'rejected']);

export const reportReceiptSchema = z
  .object({
    id: z.uuid().nullable(),
    status: z
      .enum([...reportStatusSchema.options, 'deleted'])
      .describe('What became of the report sent: accepted, pending or rejected; deleted when an XML row asked to delete the report it names (LearnerRecordAction delete), and it was'),
    duplicate: z.boolean().describe('True when this report was already on file: the existing report is returned'),
    late: z.boolean().describe('Reported more than 30 days after completion'),
    deleted: z.boolean().optional().describe('XML only: true with status deleted, the report the row named (id) having been deleted'),
    problems: z.array(reportProblemSchema),
  })
  .meta({ id: 'LearnerReportReceipt' });

export const historyEntrySchema = z.object({
  action: z.enum(['reported', 'corrected', 'deleted', 'matched', 'rejected_as_duplicate', 'restored']),
  actor: z.string(),
  occurredAt: z.string(),
  reason: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});

export const learnerReportSchema = z
  .object({
    id: z.uuid(),
    providerOrgId: z.uuid(),
    activityId: z.string().nullable(),
    status: reportStatusSchema,
    personId: z.uuid().nullable(),
    learner: z
      .object({
        firstName: z.string(),
        lastName: z.string(),
        birthMonth: z.number().int(),
        birthDay: z.number().int(),
        state: z.string().nullable(),
        licenseNumber: z.string().nullable(),
        npi: z.string().nullable(),
        board: z.string().nullable(),
        boardId: z.string().nullable(),
      })
      .nullable(),
    completionDate: z.string().nullable(),
    credits: z.array(z.object({ type: z.string(), amount: z.number() })),
    consent: z.enum(['written', 'implied']).nullable(),
    creditId: z.string().nullable(),
    late: z.boolean(),
    problems: z.array(reportProblemSchema),
    matchRule: z.string().nullable(),
    uploadId: z.uuid().nullable(),
    rowNumber: z
      .number()
      .int()
      .nullable()
      .describe('The row of the upload it was sent in; for a workbook whose rows were read from several sheets, its place in the file (the report\'s own page, sentIn, names its sheet and row)'),
    reportedAt: z.string(),
    reportedBy: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
    deletedBy: z.string().nullable(),
    deleteReason: z.string().nullable(),
    correctedByUploadId: z.uuid().nullable().describe('For a rejected report deleted as corrected by a row of a later upload: that upload'),
  })
  .meta({ id: 'LearnerReport' });

export const learnerReportDeletionSchema = learnerReportSchema
  .extend({
    alreadyDeleted: z
      .boolean()
      .describe('True when the report was deleted before this request, which changed nothing: deletedAt, deletedBy and deleteReason are that deletion’s'),
  })
  .meta({ id: 'LearnerReportDeletion' });

export const learnerReportWithHistorySchema = learnerReportSchema
  .extend({
    sentIn: z
      .object({
        uploadId: z.uuid(),
        fileName: z.string().nullable(),
        rowNumber: z.number().int().nullable().describe('The row of the file'),
        sheet: z.string().nullable().describe('The sheet of the row, in a workbook whose rows were read from several; null otherwise'),
        valuesAsSent: z
          .array(
            z.object({
              field: z.string().describe('The learner file\'s column, by name: firstName, birthMonth, cmeCredits, mocCreditType, ... (the template\'s columns)'),
              column: z.string().describe('Its heading in the template'),
              value: z.string(),
            }),
          )
          .nullable()
          .describe('A rejected report\'s row as the file gave it, column by column (those it filled in), as its rows to fix have it; null for a report not rejected, or once the file is no longer kept'),
      })
      .nullable()
      .describe('The file the report was sent in, and its row there; null for a report sent through the API or the web form'),
    history: z.array(historyEntrySchema),
  })
  .meta({ id: 'LearnerReportWithHistory' });

/** A report as the list of reports gives it: with its activity named as the provider knows it. */
export const learnerReportListItemSchema = learnerReportSchema
  .extend({
    activity: z
      .object({ title: z.string(), providerActivityId: z.string() })
      .nullable()
      .describe('The activity the report names, by its title and the provider\'s own ID; null when it names none of the provider\'s'),
  })
  .meta({ id: 'LearnerReportListItem' });

export const learnerReportPageSchema = pageOf(learnerReportListItemSchema);

export const listLearnerReportsQuerySchema = strictQuery('The learner reports list takes', {
  activityId: z.string().trim().min(1).max(200).optional().describe('The hub activity ID, or your own ID for the activity'),
  status: reportStatusSchema.optional(),
  since: z
    .union([z.iso.datetime({ offset: true }), isoDate], { error: 'A date, YYYY-MM-DD, or a date and time with its zone, such as 2026-11-20T09:00:00Z' })
    .optional()
    .describe('Reports reported or changed since then'),
  search: z.string().trim().max(100).optional().describe('Part of a name, an NPI or a license number'),
  late: z.enum(['true', 'false']).optional(),
  includeDeleted: z.enum(['true', 'false']).optional(),
  providerOrgId: providerReferenceSchema.optional().describe('Operators only: the provider to list, by its 7-digit provider ID or its organization id'),
  limit: limitSchema,
  cursor: cursorSchema.describe('The nextCursor of the page before, asked with the same filters; with others: 400 invalid_cursor, start again without cursor'),
});
export type ListLearnerReportsQuery = z.output<typeof listLearnerReportsQuerySchema>;

/** Why reports are corrected or deleted: kept with them and shown in their history. */
export const changeReasonSchema = z.string().trim().min(3, 'Say why, in a few words').max(500);

/** Most clients send no body with a DELETE: the reason may be in the query instead (Fastify reads no body as null). */
export const deleteLearnerReportBodySchema = z
  .object({ reason: changeReasonSchema.optional() })
  .describe('The reason, when it is not given in ?reason=')
  .nullish();
export const deleteLearnerReportQuerySchema = strictQuery('Deleting a report takes', {
  reason: changeReasonSchema.optional().describe('Why the report is deleted; or give it in the body'),
});

export const bulkDeleteLearnerReportsSchema = z.object({
  ids: z.array(uuidSchema).min(1).max(MAX_REPORTS_PER_REQUEST),
  reason: changeReasonSchema,
});
export const bulkDeleteResultSchema = z.object({
  deleted: z.number().int().describe('How many reports this request deleted'),
  alreadyDeleted: z.array(z.uuid()).describe('Reports deleted before: left as they are, with their first reason'),
  notFound: z.array(z.uuid()).describe('No such report, or not yours'),
});

export const correctLearnerReportSchema = z
  .object({
    activityId: learnerReportInputSchema.shape.activityId
      .optional()
      .describe(
        'Only for a report that names none of the provider\'s activities (its activity ID mistyped, problem activity_not_found; or none read: a row the database refused): ' +
          'the 9-digit hub activity ID, or the provider\'s own ID for it. The activity of a report that names one is not corrected: delete the report and report the learner for the other activity',
      ),
    completionDate: isoDate.optional(),
    learner: reportedLearnerSchema.optional(),
    credits: z.array(creditLineSchema).min(1).max(40).optional(),
    consent: z.enum(['written', 'implied']).optional(),
    creditId: z.string().trim().max(300).regex(creditIdForm, 'A credit ID looks like ccid:provider:123').nullish(),
    reason: changeReasonSchema.optional().describe('Why the report is corrected, shown in its history; required for an accepted report'),
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'reason'), {
    message: 'Send at least one field to correct',
  })
  .meta({ id: 'LearnerReportCorrection' });
export type LearnerReportCorrection = z.output<typeof correctLearnerReportSchema>;

export const providerDashboardQuerySchema = strictQuery('The reporting dashboard takes', {
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'The month is written YYYY-MM')
    .optional(),
});

const statusCountsSchema = z.object({
  accepted: z.number().int(),
  pending: z.number().int(),
  rejected: z.number().int(),
  late: z.number().int(),
  total: z.number().int(),
});

export const providerDashboardSchema = z
  .object({
    month: z.string(),
    thisMonth: statusCountsSchema,
    toFix: z.object({ pending: z.number().int(), rejected: z.number().int() }),
    timeliness: z.object({
      reported: z.number().int(),
      onTime: z.number().int(),
      late: z.number().int(),
      onTimeShare: z.number().nullable().describe('Share of this year’s reports sent within 30 days, 0 to 1'),
      medianDaysToReport: z.number().nullable(),
    }),
    activities: z.array(
      statusCountsSchema.extend({
        activityId: z.string(),
        title: z.string().nullable(),
        lastReportedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ProviderDashboard' });

export const personCreditSchema = z
  .object({
    reportId: z.uuid(),
    personId: z.uuid(),
    personName: z.string().nullable().describe('The physician’s name as the registry has it'),
    activityId: z.string(),
    activityTitle: z.string().nullable(),
    activityType: z.string().nullable(),
    providerOrgId: z.uuid(),
    providerName: z.string().nullable(),
    completionDate: z.string(),
    creditType: z.string(),
    amount: z.number(),
    reportedAt: z.string(),
  })
  .meta({ id: 'PersonCredit' });

/** The options of every list of credits. */
const creditListOptions = {
  since: isoDate.optional().describe('Completions on or after this date'),
  until: isoDate.optional().describe('Completions on or before this date'),
  limit: pageLimitSchema(1000, 200),
  cursor: cursorSchema,
};

export const personCreditsQuerySchema = strictQuery('Your credits take', creditListOptions);

export const boardCreditsQuerySchema = strictQuery('A board\'s credits list takes', {
  ...creditListOptions,
  personId: uuidSchema.optional().describe('One licensee; leave out for all of them'),
  q: z
    .string()
    .trim()
    .max(100, 'A search is at most 100 characters')
    .optional()
    .describe(
      'Find the board’s own physicians by name (a last name alone, "Maria Lopez" or "Lopez, Maria"; case and accents do not count), ' +
        'license number (a certifying board: its board ID) or NPI, and list the credits of those it finds (at most 20, listed in `licensees`). ' +
        'Not with `personId`.',
    ),
});

/** A physician the board's filter names, as its staff tell one from another: never a birth year. */
export const boardLicenseeSchema = z
  .object({
    personId: z.uuid(),
    name: z.string().describe('The physician’s name as the registry has it'),
    birthMonth: z.number().int().nullable(),
    birthDay: z.number().int().nullable(),
    numbers: z.array(z.string()).describe('Their license numbers with this licensing board, or their IDs with this certifying board'),
  })
  .meta({ id: 'BoardLicensee' });

export const personCreditPageSchema = pageOf(personCreditSchema);

export const boardCreditPageSchema = personCreditPageSchema
  .extend({
    licensees: z
      .array(boardLicenseeSchema)
      .optional()
      .describe(
        'With `q`: the physicians it found, the credits listed being theirs (none found: an empty list). With `personId`: that physician ' +
          '(a certifying board: when it certifies them). Left out when the list is not filtered by physician.',
      ),
    moreLicensees: z.boolean().optional().describe('With `q`: true when it found more physicians than the 20 listed; narrow the search'),
  })
  .meta({ id: 'BoardCreditPage' });

export const claimableReportsSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        activityId: z.string(),
        activityTitle: z.string().nullable(),
        providerName: z.string().nullable(),
        completionDate: z.string(),
        credits: z.array(z.object({ type: z.string(), amount: z.number() })),
        reportedAs: z
          .object({
            firstName: z.string().nullable(),
            lastName: z.string().nullable(),
            state: z.string().nullable().describe('The license state as reported'),
            licenseNumber: z.string().nullable().describe('The license number as reported, its last three characters only ("•••345")'),
            npi: z.string().nullable().describe('The NPI as reported, its last three digits only'),
            board: z.string().nullable().describe('The certifying board as reported'),
            boardId: z.string().nullable().describe('The certifying board ID as reported, its last three characters only'),
          })
          .describe('What the provider identified the learner by (never a birth date; numbers by their last three characters, as the list is found by name and birthday alone, which another physician may share): for the physician to tell the report is theirs'),
      }),
    ),
  })
  .meta({ id: 'ClaimableReports' });
