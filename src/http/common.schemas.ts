import { z } from 'zod';

export const uuidSchema = z.uuid({ error: 'Must be an id as returned by the API' });
export const idParams = z.object({ id: uuidSchema });
export const limitSchema = z.coerce.number().int().min(1).max(500).default(50);
export const cursorSchema = z.string().max(500).optional();

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** The response of a route that sends a file (CSV, XLSX) rather than JSON. */
export const fileDownloadSchema = (description = 'The file, CSV or XLSX.') => z.unknown().meta({ description });
