import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { anonymousActor } from '../../http/actor.ts';
import { apiKeyExpiresHeader } from '../../http/api-key-expiry.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { ForbiddenError, UnauthorizedError } from '../../http/errors.ts';
import type { AuthService } from './auth.service.ts';
import { sameToken } from './tokens.ts';

export const sessionCookie = 'cmehub_session';
export const csrfCookie = 'cmehub_csrf';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A write signed in with the cookie without its CSRF token: the web app's words, then what a program calling the API does. */
const csrfFailed =
  'The form is out of date (CSRF check failed). Reload the page and try again. ' +
  `A program signed in with the session cookie sends the x-csrf-token header with each write, set to the ${csrfCookie} cookie's value, or uses an API key instead`;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    sessionToken: string | null;
    /** The caller's context, or a 401 when nobody is logged in. */
    requireContext(): RequestContext;
  }
}

/** Resolves who is calling (API key or session cookie) and enforces CSRF on cookie-authenticated writes. */
const authPlugin: FastifyPluginAsync<{ auth: AuthService }> = async (app, { auth }) => {
  // Fastify decorates with primitives only; every request gets its actor in the hook below.
  app.decorateRequest('actor', null as never);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('requireContext', function (this: FastifyRequest): RequestContext {
    if (this.actor.type === 'anonymous') throw new UnauthorizedError();
    return { actor: this.actor, requestId: String(this.id) };
  });

  app.addHook('onRequest', async (request, reply) => {
    request.actor = anonymousActor;
    const authorization = request.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) throw new UnauthorizedError('invalid_authorization', 'Send the API key as "Authorization: Bearer <key>", the word Bearer, a space, then the key.');
      const caller = await auth.actorFromApiKey(match[1]);
      if (!caller) throw new UnauthorizedError('invalid_api_key', 'The API key is not valid or has been revoked.');
      request.actor = caller.actor;
      if (caller.expiresAt) reply.header(apiKeyExpiresHeader, caller.expiresAt.toISOString());
      return;
    }
    const signed = request.cookies[sessionCookie];
    if (!signed) return;
    const unsigned = request.unsignCookie(signed);
    if (!unsigned.valid || !unsigned.value) return;
    const session = await auth.actorFromSession(unsigned.value);
    if (!session) return;
    if (!safeMethods.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (!header) throw new ForbiddenError(`${csrfFailed}: this request has no x-csrf-token header.`);
      if (typeof header !== 'string' || !sameToken(header, session.csrfToken)) {
        throw new ForbiddenError(`${csrfFailed}: this request's x-csrf-token header is not the ${csrfCookie} cookie's value of this sign-in.`);
      }
    }
    request.actor = session.actor;
    request.sessionToken = unsigned.value;
  });
};

export const authentication = fp(authPlugin, { name: 'authentication', dependencies: ['@fastify/cookie'] });

export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { token: string; csrfToken: string; maxAgeSeconds: number },
) {
  const secure = request.protocol === 'https';
  reply.setCookie(sessionCookie, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    signed: true,
    maxAge: session.maxAgeSeconds,
  });
  // Readable by the web app, which echoes it in the x-csrf-token header.
  reply.setCookie(csrfCookie, session.csrfToken, {
    path: '/',
    httpOnly: false,
    sameSite: 'lax',
    secure,
    maxAge: session.maxAgeSeconds,
  });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(sessionCookie, { path: '/' });
  reply.clearCookie(csrfCookie, { path: '/' });
}
