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
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    key: z.string().describe('The secret key. It is shown only this once; send it as Authorization: Bearer <key>'),
    createdAt: z.string(),
  })
  .meta({ id: 'CreatedApiKey' });

export const createApiKeyBodySchema = z.object({ name: z.string().trim().min(1, 'Give the key a name').max(100) });
export const apiKeyParams = z.object({ id: uuidSchema, keyId: uuidSchema });
export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });
