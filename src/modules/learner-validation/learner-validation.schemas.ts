import { z } from 'zod';
import { dateOrderSchema, fileNameOptionSchema, strictQuery } from '../../http/common.schemas.ts';

/** Lenient on purpose: a missing or malformed field becomes that learner's `invalid` answer, not a refused request. */
const text = z.string().max(200).nullish();
const numberOrText = z.union([z.number(), z.string().max(20)]).nullish();

export const learnerIdentitySchema = z
  .object({
    firstName: text,
    middleName: text,
    lastName: text,
    birthMonth: numberOrText.describe('1-12'),
    birthDay: numberOrText.describe('1-31'),
    state: text.describe('Two-letter code of the state that issued the license'),
    licenseNumber: text,
    npi: text,
    board: text.describe('Certifying board code, such as ABIM'),
    boardId: text,
  })
  .meta({ id: 'LearnerIdentity' });

export const MAX_LEARNERS_PER_REQUEST = 1_000;

export const validateBodySchema = z.object({
  learners: z.array(learnerIdentitySchema).min(1).max(MAX_LEARNERS_PER_REQUEST, {
    error: `Send at most ${MAX_LEARNERS_PER_REQUEST} learners per request; use the file form for more.`,
  }),
});

export const validationResultSchema = z
  .object({
    status: z.enum(['matched', 'ambiguous', 'not_found', 'invalid']),
    rule: z.enum(['state_license', 'npi', 'board_id', 'state_unique_name']).nullable().describe('How a matched learner was identified'),
    tolerances: z.array(z.string()).describe('Differences tolerated on a match, such as first_name_nickname'),
    problems: z.array(z.object({ code: z.string(), field: z.string(), message: z.string() })),
  })
  .meta({ id: 'LearnerValidationResult' });

export const validateResponseSchema = z.object({ results: z.array(validationResultSchema) });

export const validateFileQuerySchema = strictQuery('Checking a learner file takes', {
  format: z.enum(['csv', 'xlsx']).optional().describe('Format of the answer file; the format of the upload by default'),
  fileName: fileNameOptionSchema,
  dates: dateOrderSchema
    .optional()
    .describe('The order the file writes dates of birth in: day_first (14/03/1971) or month_first (03/14/1971, as read when absent), as an upload of the file would say'),
});

export type LearnerIdentityInput = z.infer<typeof learnerIdentitySchema>;
export type ValidationResult = z.infer<typeof validationResultSchema>;
