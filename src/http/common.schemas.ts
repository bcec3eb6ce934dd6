import { z } from 'zod';
// The hub's words for zod's own messages, for every schema built on these.
import './zod-messages.ts';
import { sentFileName } from '../files/file-names.ts';
import { inWords } from '../words.ts';

export const uuidSchema = z.uuid({ error: 'Must be an id as returned by the API' });
export const idParams = z.object({ id: uuidSchema });
/** How many items a page lists, at most `most`; any mistake in it (a word, a fraction, 0, given twice) is told the same. */
export function pageLimitSchema(most: number, fallback: number) {
  const words = `The limit is a whole number from 1 to ${most} (given once)`;
  return z.coerce
    .number({ error: words })
    .int({ error: words })
    .min(1, { error: words })
    .max(most, { error: words })
    .default(fallback)
    .describe(`How many items a page lists, 1 to ${most} (${fallback} when left out)`);
}

export const limitSchema = pageLimitSchema(500, 50);
export const cursorSchema = z.string().max(500).optional();

/**
 * The name of a file sent, given as an option (a raw body has none; given, it wins over the name of a form's file): kept
 * as a form's file name is, without line breaks or other control characters, which would break a list's rows.
 */
export const fileNameOptionSchema = z
  .string()
  .max(255)
  .optional()
  .transform((name) => (name === undefined ? undefined : (sentFileName(name) ?? undefined)))
  .describe("The file's name, for the lists and the receipt (a raw body has none; given, it wins over the name of a form's file); its control characters, line breaks among them, are left out");

/** How a file writes its dates of numbers, as an upload of learners, activities or a roster says it. */
export const dateOrderSchema = z.enum(['month_first', 'day_first'], { error: 'The dates are month_first (MM/DD/YYYY) or day_first (DD/MM/YYYY)' });

/**
 * Options in an address where a misspelt one is refused by name, never dropped unseen: a file would go in
 * without it, a filter would list everything.
 */
export function strictQuery<Shape extends z.ZodRawShape>(whoTakes: string, shape: Shape) {
  return strictShape(whoTakes, shape, 'option');
}

/** A request body whose misspelt field is refused by name: for a request that cannot be taken back, as a guess would be. */
export function strictBody<Shape extends z.ZodRawShape>(whoTakes: string, shape: Shape) {
  return strictShape(whoTakes, shape, 'field');
}

function strictShape<Shape extends z.ZodRawShape>(whoTakes: string, shape: Shape, noun: 'option' | 'field') {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return Object.keys(shape).length === 0
          ? `${whoTakes} no ${noun}s: leave out ${issue.keys.map((key) => `"${key}"`).join(', ')}.`
          : `${whoTakes} no ${noun} ${issue.keys.map((key) => `"${key}"`).join(', ')}: ${takenWords(Object.keys(shape), noun)}.`;
      }
      // No body, or one that is no object (text, a list): what to send.
      if (issue.code === 'invalid_type' && noun === 'field') return `${whoTakes} a JSON object: ${takenWords(Object.keys(shape), noun)}.`;
      return undefined;
    },
  });
}

/** The options (or fields) taken, in words: "its only option is format", "its options are full, fileName and dates". */
function takenWords(keys: string[], noun: string): string {
  return keys.length === 1 ? `its only ${noun} is ${keys[0]}` : `its ${noun}s are ${inWords(keys)}`;
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const spreadsheetTypes = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/** The content types of each file response, by its schema, for the API reference (`http/openapi.ts`). */
export const fileDownloadTypes = new WeakMap<z.ZodType, string[]>();

/** The response of a route that sends a file (CSV, XLSX) rather than JSON. */
export const fileDownloadSchema = (description = 'The file, CSV or XLSX.', contentTypes = spreadsheetTypes) => {
  const schema = z.unknown().meta({ description });
  fileDownloadTypes.set(schema, contentTypes);
  return schema;
};

/** A table the hub hands out, as CSV or XLSX. */
export const tableFormatSchema = z.enum(['csv', 'xlsx'], { error: 'The format is csv or xlsx' });

/** The options of a receipt's download: its format, else as the Accept header asks (`tableFormatAsked`), else CSV. */
export const receiptQuerySchema = (whoTakes: string) =>
  strictQuery(whoTakes, {
    format: tableFormatSchema.optional().describe('csv or xlsx. When left out, as the Accept header asks (text/csv or the XLSX type; neither: 406), else csv'),
  });
