import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TooManyRequestsError } from '../../http/errors.ts';
import { jsonBody, openToAll, responses, retryAfter, signedIn } from '../../http/responses.ts';
import { clearSessionCookies, setSessionCookies } from './auth.plugin.ts';
import { changePasswordBodySchema, loginBodySchema, loginResponseSchema } from './auth.schemas.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { auth, config } = app.hub;
  const attemptsAtAccount = app.createRateLimit({
    max: config.loginRateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (request) => `sign-in:${request.ip}:${(request.body as { email: string }).email.toLowerCase()}`,
  });

  app.post(
    '/api/v1/auth/login',
    {
      // Sign-in attempts are counted per address for every account together, which bounds guessing across accounts,
      // and per account and address once the body is read, so that staff signing in through one hospital address do
      // not use up each other's attempts.
      config: { rateLimit: { max: config.loginAddressRateLimitPerMinute, timeWindow: '1 minute' } },
      preHandler: async (request) => {
        const limit = await attemptsAtAccount(request);
        if (!limit.isAllowed && limit.isExceeded) {
          throw new TooManyRequestsError(
            'rate_limited',
            `Too many sign-in attempts at this account. Try again in ${limit.ttlInSeconds} seconds.`,
            limit.ttlInSeconds,
          );
        }
      },
      schema: {
        tags: ['Auth'],
        summary: 'Log in with email and password; sets the session cookie',
        body: loginBodySchema,
        response: responses({
          200: [loginResponseSchema, 'Signed in: the user; the session and CSRF cookies are set'],
          ...jsonBody,
          401: 'The email or password is not right (or an Authorization header holds no valid API key)',
          429: ['Too many sign-in attempts at this account from your address, or from your address in all, or the account is locked after failed attempts: wait the seconds Retry-After says', retryAfter()],
        }),
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
      schema: { tags: ['Auth'], summary: 'End the session', response: responses({
          204: [z.null(), 'Signed out: the session is ended and its cookies cleared'],
          ...openToAll,
          403: 'Signed in with the session cookie, the x-csrf-token header is missing or out of date',
        }),
      },
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
        response: responses({
          204: [z.null(), 'The password is changed; your other sessions are ended'],
          ...signedIn,
          ...jsonBody,
          401: 'Not signed in, or signed in with an API key, which has no password',
          422: 'The current password is not right, or the new one is too short',
        }),
      },
    },
    async (request, reply) => {
      await auth.changePassword(request.requireContext(), request.sessionToken, request.body);
      return reply.code(204).send(null);
    },
  );
};
