import { z } from 'zod';

export const uuidSchema = z.uuid({ error: 'Must be an id as returned by the API' });
export const idParams = z.object({ id: uuidSchema });
export const limitSchema = z.coerce.number().int().min(1).max(500).default(50);
export const cursorSchema = z.string().max(500).optional();

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
