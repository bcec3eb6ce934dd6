import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { responses, signedInOnly } from '../../http/responses.ts';
import { findOrganization, toOrganizationView } from '../organizations/organizations.repository.ts';
import { organizationSchema } from '../organizations/organizations.schemas.ts';
import { findUserById } from '../users/users.repository.ts';
import { roleSchema, sessionUserSchema } from './auth.schemas.ts';

const meSchema = z
  .object({
    kind: z.enum(['user', 'api_key']),
    role: roleSchema,
    user: sessionUserSchema.optional(),
    apiKey: z.object({ id: z.string(), name: z.string() }).optional(),
    organization: organizationSchema.nullable(),
  })
  .meta({ id: 'Me' });

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/me',
    { schema: { tags: ['Auth'], summary: 'Who am I: the user or API key, its role and organization', response: responses({ 200: [meSchema, 'The user or API key signed in, its role and organization'], ...signedInOnly }) } },
    async (request) => {
      const { actor } = request.requireContext();
      const organization = actor.organizationId ? await findOrganization(app.hub.db, actor.organizationId) : undefined;
      const base = { role: actor.role, organization: organization ? toOrganizationView(organization) : null };
      if (actor.type === 'api_key') {
        return { ...base, kind: 'api_key' as const, apiKey: { id: actor.id, name: actor.label.replace(/^API key /, '') } };
      }
      const user = await findUserById(app.hub.db, actor.id!);
      return {
        ...base,
        kind: 'user' as const,
        user: { id: user.id, email: user.email, displayName: user.display_name, role: user.role },
      };
    },
  );
};
