import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../http/common.schemas.ts';
import { errorResponses } from '../../http/problem.ts';
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
        response: { 201: organizationSchema, ...errorResponses },
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
        response: { 200: organizationPageSchema, ...errorResponses },
      },
    },
    async (request) => organizations.list(request.requireContext(), request.query),
  );

  app.get(
    '/api/v1/organizations/:id',
    {
      schema: { tags, summary: 'Get an organization', params: idParams, response: { 200: organizationSchema, ...errorResponses } },
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
        response: { 200: organizationSchema, ...errorResponses },
      },
    },
    async (request) => organizations.update(request.requireContext(), request.params.id, request.body),
  );
};
