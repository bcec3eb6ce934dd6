import { z } from 'zod';
import { uuidSchema } from '../../http/common.schemas.ts';

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('The visible start of the key, to tell keys apart'),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    expiresAt: z.string().nullable().describe('When the key stops working; null: it works until revoked'),
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    key: z.string().describe('The secret key. It is shown only this once; send it as Authorization: Bearer <key>'),
    createdAt: z.string(),
    expiresAt: z.string().nullable().describe('When the key stops working; null: it works until revoked'),
  })
  .meta({ id: 'CreatedApiKey' });

export const createApiKeyBodySchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100),
  expiresInDays: z
    .number({ error: 'Give the days until the key expires as a whole number, such as 365' })
    .int('Give the days until the key expires as a whole number, such as 365')
    .min(1, 'A key expires 1 day after it is created at the soonest')
    .max(3650, 'A key expires within 3,650 days (ten years); leave the days out for a key that never expires')
    .nullable()
    .optional()
    .describe('Days from now until the key stops working; left out or null, it works until revoked'),
});
export const apiKeyParams = z.object({ id: uuidSchema, keyId: uuidSchema });
export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });
