import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../http/common.schemas.ts';
import { errorResponses } from '../../http/problem.ts';
import { createUserBodySchema, organizationUserParams, userListSchema, userSchema } from './users.schemas.ts';

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users } = app.hub;
  const tags = ['Users'];

  app.get(
    '/api/v1/organizations/:id/users',
    {
      schema: {
        tags,
        summary: "List an organization's accounts (operator or that organization's admin)",
        params: idParams,
        response: { 200: userListSchema, ...errorResponses },
      },
    },
    async (request) => users.list(request.requireContext(), request.params.id),
  );

  app.post(
    '/api/v1/organizations/:id/users',
    {
      schema: {
        tags,
        summary: 'Add an account to an organization',
        params: idParams,
        body: createUserBodySchema,
        response: { 201: userSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await users.create(request.requireContext(), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/organizations/:id/users/:userId',
    {
      schema: {
        tags,
        summary: 'Remove an account from an organization',
        params: organizationUserParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await users.remove(request.requireContext(), request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );
};
