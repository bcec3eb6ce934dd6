import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../http/common.schemas.ts';
import { invalid, jsonBody, responses, signedIn } from '../../http/responses.ts';
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
        response: responses({ 200: [userListSchema, 'The organization\'s accounts'], ...signedIn, ...invalid, 404: 'No such organization of yours' }),
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
        response: responses({
          201: [userSchema, 'The account, created'],
          ...signedIn,
          ...jsonBody,
          404: 'No such organization of yours',
          409: 'An account with this email already exists (`email_taken`)',
          422: 'A role this kind of organization does not have (`role_not_allowed`)',
        }),
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
        response: responses({
          204: [z.null(), 'The account is removed'],
          ...signedIn,
          ...invalid,
          404: 'No such organization or account of yours',
          409: 'Your own account: ask another admin to remove it (`cannot_remove_self`)',
        }),
      },
    },
    async (request, reply) => {
      await users.remove(request.requireContext(), request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );
};
