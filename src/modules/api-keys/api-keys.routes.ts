import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../http/common.schemas.ts';
import { invalid, jsonBody, responses, signedIn } from '../../http/responses.ts';
import { apiKeyListSchema, apiKeyParams, createApiKeyBodySchema, createdApiKeySchema } from './api-keys.schemas.ts';

export const apiKeysRoutes: FastifyPluginAsyncZod = async (app) => {
  const { apiKeys } = app.hub;
  const tags = ['API keys'];

  app.get(
    '/api/v1/organizations/:id/api-keys',
    {
      schema: { tags, summary: "List an organization's API keys", params: idParams, response: responses({ 200: [apiKeyListSchema, 'The organization\'s API keys (never the keys themselves)'], ...signedIn, ...invalid, 404: 'No such organization of yours' }),
      },
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
        response: responses({ 201: [createdApiKeySchema, 'The key, created: shown only in this answer'], ...signedIn, ...jsonBody, 404: 'No such organization of yours', 409: 'A key of the organization not revoked has this name, in any case (`api_key_name_taken`): choose another, or revoke that key first' }),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await apiKeys.create(request.requireContext(), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/organizations/:id/api-keys/:keyId',
    {
      schema: { tags, summary: 'Revoke an API key', params: apiKeyParams, response: responses({ 204: [z.null(), 'The key is revoked'], ...signedIn, ...invalid, 404: 'No such organization or API key of yours' }),
      },
    },
    async (request, reply) => {
      await apiKeys.revoke(request.requireContext(), request.params.id, request.params.keyId);
      return reply.code(204).send(null);
    },
  );
};
