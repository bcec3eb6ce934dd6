import { z } from 'zod';

export const roleSchema = z.enum(['operator', 'provider_admin', 'provider_staff', 'board_admin', 'board_staff', 'physician']);

export const loginBodySchema = z.object({
  email: z.string().trim().min(1, 'Enter your email').max(320),
  password: z.string().min(1, 'Enter your password').max(1000),
});

export const sessionUserSchema = z
  .object({ id: z.string(), email: z.string(), displayName: z.string(), role: roleSchema })
  .meta({ id: 'SessionUser' });

export const loginResponseSchema = z.object({ user: sessionUserSchema });

export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().max(1000),
});
