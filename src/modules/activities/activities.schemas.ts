import { z } from 'zod';
import { cursorSchema, pageLimitSchema, strictQuery } from '../../http/common.schemas.ts';
import { MOC_BOARD_CODES, OTHER_CREDIT_TYPES } from './credit-types.ts';
import { ACTIVITY_STATUS_CODES } from './lifecycle.ts';
import {
  ACTIVITY_TYPES,
  CATALOG_FEES,
  CATALOG_REGISTRATIONS,
  DELIVERY_METHODS,
  MEASUREMENTS,
  OUTCOMES,
  PROVIDERSHIPS,
  REMS_PROGRAMS,
  TOPICS,
} from './vocabulary.ts';

// Input schemas check only the shape (strings, numbers, arrays): the field rules in activity-rules.ts
// check the values, so that every problem in a request is reported at once with a plain message.
// Strings are capped generously here only to bound memory; the real limits are the rules'.

const codes = (vocabulary: Record<string, string>) => Object.keys(vocabulary);
const oneOf = (values: readonly string[]) => `One of: ${values.join(', ')}.`;

const text = z.string().max(10_000);
const optionalText = text.nullish();
const dateText = z.string().max(40).nullish().meta({ description: 'A date, YYYY-MM-DD.', examples: ['2026-03-15'] });
const list = <T extends z.ZodType>(item: T) => z.array(item).max(200);
const amount = z.number();

export const activityInputSchema = z
  .object({
    providerActivityId: optionalText.meta({
      description: "The provider's own ID for the activity, unique within the provider. Sending an activity again with the same ID updates it.",
      examples: ['GR-2026-014'],
    }),
    title: optionalText.meta({ description: 'Up to 500 characters.' }),
    description: optionalText.meta({ description: 'Up to 2,500 characters.' }),
    type: optionalText.meta({ description: oneOf(codes(ACTIVITY_TYPES)), examples: ['C'] }),
    deliveryMethod: optionalText.meta({
      description: `${oneOf(codes(DELIVERY_METHODS))} Required for C and RSS.`,
    }),
    startDate: dateText,
    endDate: dateText,
    location: z
      .object({
        city: optionalText,
        state: optionalText.meta({ description: '2-letter code; a US state code when the country is USA.' }),
        country: optionalText.meta({ description: 'ISO 3166 alpha-3 code, such as USA.' }),
      })
      .nullish()
      .meta({ description: 'Required for an in-person C or RSS.' }),
    providership: optionalText.meta({ description: `${oneOf(codes(PROVIDERSHIPS))} Default direct.` }),
    jointProviders: list(text).nullish().meta({ description: 'Names of the joint providers (joint providership).' }),
    credits: list(
      z.object({
        type: text.meta({ description: `AMA_PRA_CAT1 (required) or one of ${codes(OTHER_CREDIT_TYPES).join(', ')}.` }),
        amount: amount.meta({ description: 'Maximum credits designated, in steps of 0.25.' }),
      }),
    ).nullish(),
    topics: list(text).nullish().meta({ description: oneOf(codes(TOPICS)) }),
    specialties: list(text).nullish(),
    mocRegistrations: list(
      z.object({
        board: text.meta({ description: oneOf(MOC_BOARD_CODES) }),
        points: amount.meta({ description: 'MOC points, in steps of 0.25, at most the AMA PRA Category 1 credits.' }),
        creditTypes: list(text).meta({ description: 'The board\'s MOC credit types, such as MOC_ABIM_MK (or just MK).' }),
        claimDate: dateText.meta({ description: 'Last day learners may claim the MOC credit (required to close).' }),
      }),
    ).nullish(),
    rems: z
      .object({ program: text.meta({ description: oneOf(codes(REMS_PROGRAMS)) }), identifier: optionalText })
      .nullish(),
    mipsImprovementActivity: z.boolean().nullish(),
    catalog: z
      .object({
        listed: z.boolean().nullish(),
        url: optionalText,
        fee: optionalText.meta({ description: oneOf(codes(CATALOG_FEES)) }),
        registration: optionalText.meta({ description: oneOf(codes(CATALOG_REGISTRATIONS)) }),
      })
      .nullish()
      .meta({ description: 'Listing in the public catalog; URL, fee and registration are required when listed.' }),
    commercialSupport: z
      .object({
        received: z.boolean().nullish(),
        sources: list(
          z.object({
            name: optionalText,
            amount: amount.nullish().meta({ description: 'Monetary support in whole US dollars.' }),
            inKind: z.boolean().nullish(),
          }),
        ).nullish(),
      })
      .nullish()
      .meta({ description: 'Year-end data, required to close.' }),
    learners: z
      .object({ physicians: amount.nullish(), others: amount.nullish() })
      .nullish()
      .meta({ description: 'Year-end data: number of physician and other learners, required to close (0 allowed).' }),
    outcomes: list(
      z.object({
        outcome: text.meta({ description: oneOf(codes(OUTCOMES)) }),
        measurements: list(text).nullish().meta({ description: oneOf(codes(MEASUREMENTS)) }),
      }),
    )
      .nullish()
      .meta({ description: 'Year-end data: outcomes measured, at least one to close.' }),
    status: optionalText.meta({
      description: `${oneOf(ACTIVITY_STATUS_CODES)} A new activity is a draft unless told otherwise; leaving it out keeps the status.`,
    }),
  });

/** A JSON merge patch (RFC 7396) of the activity: given fields replace, null clears, objects merge. */
export const activityPatchSchema = z.record(z.string(), z.unknown()).meta({
  description: 'Fields to change, as in ActivityInput; null clears a field, nested objects are merged.',
});

const locationView = z.object({ city: z.string().nullable(), state: z.string().nullable(), country: z.string().nullable() });

export const activitySchema = z
  .object({
    id: z.string().meta({ description: 'The 9-digit hub activity ID.', examples: ['100000015'] }),
    providerOrgId: z.string().meta({ description: 'The organization id of the provider.' }),
    providerActivityId: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    type: z.enum(codes(ACTIVITY_TYPES) as [string, ...string[]]),
    deliveryMethod: z.enum(codes(DELIVERY_METHODS) as [string, ...string[]]).nullable(),
    startDate: z.string(),
    endDate: z.string(),
    location: locationView.nullable(),
    providership: z.enum(codes(PROVIDERSHIPS) as [string, ...string[]]),
    jointProviders: z.array(z.string()),
    credits: z.array(z.object({ type: z.string(), amount: z.number() })),
    topics: z.array(z.string()),
    specialties: z.array(z.string()),
    mocRegistrations: z.array(
      z.object({ board: z.string(), points: z.number(), creditTypes: z.array(z.string()), claimDate: z.string().nullable() }),
    ),
    rems: z.object({ program: z.string(), identifier: z.string().nullable() }).nullable(),
    mipsImprovementActivity: z.boolean(),
    catalog: z.object({
      listed: z.boolean(),
      url: z.string().nullable(),
      fee: z.string().nullable(),
      registration: z.string().nullable(),
    }),
    commercialSupport: z
      .object({
        received: z.boolean(),
        sources: z.array(z.object({ name: z.string(), amount: z.number().nullable(), inKind: z.boolean() })),
      })
      .nullable(),
    learners: z.object({ physicians: z.number().nullable(), others: z.number().nullable() }),
    outcomes: z.array(z.object({ outcome: z.string(), measurements: z.array(z.string()) })),
    status: z.enum(ACTIVITY_STATUS_CODES),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    allowedStatusChanges: z
      .array(z.enum(ACTIVITY_STATUS_CODES))
      .meta({ description: 'The statuses the activity can be moved to today.' }),
  })
  .meta({ id: 'Activity' });
export type ActivityView = z.infer<typeof activitySchema>;

export const activityDetailSchema = activitySchema
  .extend({
    learnerReportCount: z.number().int().meta({ description: 'Learner reports naming the activity; it can be deleted only at 0.' }),
  })
  .meta({ id: 'ActivityDetail' });

export const activityIdParams = z.object({
  id: z.string().regex(/^\d{9}$/, 'An activity ID is the 9-digit hub activity ID'),
});

const csv = <T extends string>(values: readonly T[], label: string) =>
  z
    .string()
    .max(500)
    .optional()
    .transform((value, context) => {
      if (!value) return undefined;
      const items = value.split(',').map((item) => item.trim()).filter(Boolean);
      const unknown = items.filter((item) => !values.includes(item as T));
      if (unknown.length) {
        context.addIssue({ code: 'custom', message: `${label} must be one or more of ${values.join(', ')} (comma-separated).` });
        return z.NEVER;
      }
      return items as T[];
    });

export const listActivitiesQuerySchema = strictQuery('The activities list takes', {
  status: csv(ACTIVITY_STATUS_CODES, 'Status').meta({ description: 'Comma-separated statuses.' }),
  type: csv(codes(ACTIVITY_TYPES), 'Type').meta({ description: 'Comma-separated activity types.' }),
  from: z.iso.date({ error: 'From must be a date such as 2026-01-01' }).optional().meta({
    description: 'Activities running on or after this date (end date on or after it).',
  }),
  to: z.iso.date({ error: 'To must be a date such as 2026-12-31' }).optional().meta({
    description: 'Activities running on or before this date (start date on or before it).',
  }),
  q: z.string().trim().max(200).optional().meta({ description: 'Text in the title or provider activity ID, or a hub activity ID.' }),
  providerActivityId: z.string().trim().max(200).optional(),
  topic: z.enum(codes(TOPICS) as [string, ...string[]]).optional(),
  sort: z.enum(['startDate', 'endDate', 'title', 'updatedAt', 'providerActivityId']).default('startDate'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: pageLimitSchema(200, 50),
  cursor: cursorSchema,
});
export type ListActivitiesQuery = z.infer<typeof listActivitiesQuerySchema>;

export const activityPageSchema = z.object({ items: z.array(activitySchema), nextCursor: z.string().nullable() });

export const copyActivityBodySchema = z.object({
  providerActivityId: text.meta({ description: 'The provider activity ID of the new activity.' }),
  title: optionalText.meta({ description: 'Defaults to the title of the original.' }),
  startDate: dateText.meta({ description: 'Defaults to the original start date; the end date keeps the same length.' }),
  endDate: dateText,
});

export const reopenActivityBodySchema = z.object({
  reason: z.string().trim().min(5, 'Say why the activity is reopened (at least 5 characters)').max(1000),
});

export const historyEntrySchema = z.object({
  occurredAt: z.string(),
  action: z.string(),
  actorLabel: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export const activityHistorySchema = z.object({ items: z.array(historyEntrySchema) });

export const batchRowResultSchema = z.object({
  rowNumber: z.number().int(),
  providerActivityId: z.string().nullable(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'rejected']),
  activityId: z.string().nullable(),
  problems: z.array(z.object({ code: z.string(), field: z.string().optional(), message: z.string(), row: z.number().optional() })),
});
export const batchReceiptSchema = z
  .object({
    fileName: z.string().nullable(),
    format: z.enum(['csv', 'xlsx']),
    counts: z.object({
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
    }),
    fileProblems: z.array(z.object({ code: z.string(), field: z.string().optional(), message: z.string(), row: z.number().optional() })),
    columnsNotRead: z
      .array(z.object({ heading: z.string(), column: z.string() }))
      .describe(
        'Headings of the file that nearly name a column it lacks ("Physician lerners", column "Physician learners"): their values were not read, ' +
          'and the rows saved were saved without them. Correct the heading and send the file again: the rows saved then take its values.',
      ),
    rows: z.array(batchRowResultSchema),
  })
  .meta({ id: 'ActivityBatchReceipt' });
export type BatchReceipt = z.infer<typeof batchReceiptSchema>;
export type BatchRowResult = z.infer<typeof batchRowResultSchema>;

const codeList = z.array(z.object({ code: z.string(), label: z.string() }));
export const activityVocabularySchema = z
  .object({
    types: codeList,
    locatedTypes: z.array(z.string()).meta({ description: 'Types that need a location when held in person.' }),
    deliveryMethods: codeList,
    providerships: codeList,
    statuses: codeList,
    creditTypes: codeList.meta({ description: 'AMA PRA Category 1 and the other non-MOC credit types.' }),
    mocBoards: z.array(z.object({ code: z.string(), label: z.string(), creditTypes: codeList })),
    topics: codeList,
    outcomes: codeList,
    measurements: codeList,
    catalogFees: codeList,
    catalogRegistrations: codeList,
    remsPrograms: codeList,
    countries: codeList,
    usStates: codeList,
  })
  .meta({ id: 'ActivityVocabulary' });
