import { z } from 'zod';
import { uuidSchema } from '../../http/common.schemas.ts';
import { roleSchema } from '../auth/auth.schemas.ts';

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: roleSchema,
    organizationId: z.string().nullable(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userSchema>;

export const createUserBodySchema = z.object({
  email: z.email('Enter a valid email address').max(320),
  password: z.string().min(12, 'The password needs at least 12 characters').max(1000),
  role: roleSchema,
  displayName: z.string().trim().min(1).max(200).optional(),
});
export type CreateUserInput = z.infer<typeof createUserBodySchema>;

export const organizationUserParams = z.object({ id: uuidSchema, userId: uuidSchema });
export const userListSchema = z.object({ items: z.array(userSchema) });
