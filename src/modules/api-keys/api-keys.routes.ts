import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../http/common.schemas.ts';
import { errorResponses } from '../../http/problem.ts';
import { apiKeyListSchema, apiKeyParams, createApiKeyBodySchema, createdApiKeySchema } from './api-keys.schemas.ts';

export const apiKeysRoutes: FastifyPluginAsyncZod = async (app) => {
  const { apiKeys } = app.hub;
  const tags = ['API keys'];

  app.get(
    '/api/v1/organizations/:id/api-keys',
    {
      schema: { tags, summary: "List an organization's API keys", params: idParams, response: { 200: apiKeyListSchema, ...errorResponses } },
    },
    async (request) => apiKeys.list(request.requireContext(), request.params.id),
  );

  app.post(
    '/api/v1/organizations/:id/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key; the key is shown only in this response',
        params: idParams,
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await apiKeys.create(request.requireContext(), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/organizations/:id/api-keys/:keyId',
    {
      schema: { tags, summary: 'Revoke an API key', params: apiKeyParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      await apiKeys.revoke(request.requireContext(), request.params.id, request.params.keyId);
      return reply.code(204).send(null);
    },
  );
};
