import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/problem.ts';
import { clearSessionCookies, setSessionCookies } from './auth.plugin.ts';
import { changePasswordBodySchema, loginBodySchema, loginResponseSchema } from './auth.schemas.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { auth, config } = app.hub;

  app.post(
    '/api/v1/auth/login',
    {
      config: { rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['Auth'],
        summary: 'Log in with email and password; sets the session cookie',
        body: loginBodySchema,
        response: { 200: loginResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await auth.login(request.body, String(request.id));
      setSessionCookies(request, reply, session);
      return { user: session.user };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: { tags: ['Auth'], summary: 'End the session', response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      if (request.sessionToken) await auth.logout(request.sessionToken, request.requireContext());
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Change your password; other sessions are ended',
        body: changePasswordBodySchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await auth.changePassword(request.requireContext(), request.sessionToken, request.body);
      return reply.code(204).send(null);
    },
  );
};
