import { z } from 'zod';
import { cursorSchema, limitSchema, pageOf, strictQuery } from '../../http/common.schemas.ts';
import { certifyingBoardCodes } from '../reference/certifying-boards.ts';
import { jurisdictionCodes } from '../reference/jurisdictions.ts';

export const organizationKindSchema = z.enum(['operator', 'provider', 'licensing_board', 'certifying_board']);
export const boardTypeSchema = z.enum(['MD', 'DO', 'combined']);
export const accreditationStatusSchema = z.enum([
  'accredited',
  'accredited_with_commendation',
  'provisional',
  'probation',
  'nonaccredited',
]);

export const organizationSchema = z
  .object({
    id: z.string(),
    kind: organizationKindSchema,
    name: z.string(),
    providerId: z.string().nullable(),
    jurisdiction: z.string().nullable(),
    boardType: boardTypeSchema.nullable(),
    boardCode: z.string().nullable(),
    accreditationStatus: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Organization' });
export type OrganizationView = z.infer<typeof organizationSchema>;

export const createOrganizationBodySchema = z.object({
  kind: z.enum(['provider', 'licensing_board', 'certifying_board'], {
    error: 'Kind must be provider, licensing_board or certifying_board',
  }),
  name: z.string().trim().min(2, 'Name is required').max(200),
  providerId: z
    .string()
    .regex(/^\d{7}$/, 'Provider ID must be 7 digits')
    .optional(),
  jurisdiction: z.enum(jurisdictionCodes, { error: 'Jurisdiction must be a US state, DC or territory code such as CA' }).optional(),
  boardType: boardTypeSchema.optional(),
  boardCode: z.enum(certifyingBoardCodes, { error: `Board code must be one of ${certifyingBoardCodes.join(', ')}` }).optional(),
  accreditationStatus: accreditationStatusSchema.optional(),
});
export type CreateOrganizationInput = z.infer<typeof createOrganizationBodySchema>;

export const updateOrganizationBodySchema = z.object({
  name: z.string().trim().min(2, 'Name is required').max(200).optional(),
  accreditationStatus: accreditationStatusSchema.nullable().optional().describe('null clears the status'),
});

export const listOrganizationsQuerySchema = strictQuery('The organizations list takes', {
  kind: organizationKindSchema.optional(),
  q: z.string().trim().max(200).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListOrganizationsQuery = z.infer<typeof listOrganizationsQuerySchema>;

export const organizationPageSchema = pageOf(organizationSchema);
