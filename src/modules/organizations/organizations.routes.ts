import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../http/common.schemas.ts';
import { invalid, jsonBody, responses, signedIn } from '../../http/responses.ts';
import {
  createOrganizationBodySchema,
  listOrganizationsQuerySchema,
  organizationPageSchema,
  organizationSchema,
  updateOrganizationBodySchema,
} from './organizations.schemas.ts';

export const organizationsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { organizations } = app.hub;
  const tags = ['Organizations'];

  app.post(
    '/api/v1/organizations',
    {
      schema: {
        tags,
        summary: 'Create a provider, licensing board or certifying board (operator)',
        body: createOrganizationBodySchema,
        response: responses({
          201: [organizationSchema, 'The organization, created'],
          ...signedIn,
          ...jsonBody,
          409: 'An organization with this provider ID, board code, or jurisdiction and board type already exists (`organization_exists`)',
          422: 'The organization cannot be made as asked: `problems` says why',
        }),
      },
    },
    async (request, reply) => reply.code(201).send(await organizations.create(request.requireContext(), request.body)),
  );

  app.get(
    '/api/v1/organizations',
    {
      schema: {
        tags,
        summary: 'List organizations (the operator sees all, others their own)',
        querystring: listOrganizationsQuerySchema,
        response: responses({ 200: [organizationPageSchema, 'A page of organizations, by name'], ...signedIn, ...invalid }),
      },
    },
    async (request) => organizations.list(request.requireContext(), request.query),
  );

  app.get(
    '/api/v1/organizations/:id',
    {
      schema: { tags, summary: 'Get an organization', params: idParams, response: responses({ 200: [organizationSchema, 'The organization'], ...signedIn, ...invalid, 404: 'No such organization of yours' }),
      },
    },
    async (request) => organizations.get(request.requireContext(), request.params.id),
  );

  app.patch(
    '/api/v1/organizations/:id',
    {
      schema: {
        tags,
        summary: 'Rename an organization or change its accreditation status (operator)',
        params: idParams,
        body: updateOrganizationBodySchema,
        response: responses({ 200: [organizationSchema, 'The organization, changed'], ...signedIn, ...jsonBody, 404: 'No such organization' }),
      },
    },
    async (request) => organizations.update(request.requireContext(), request.params.id, request.body),
  );
};
