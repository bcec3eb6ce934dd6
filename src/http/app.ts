import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Hub } from '../hub.ts';
import { authentication } from '../modules/auth/auth.plugin.ts';
import { apiKeyPrefix } from '../modules/auth/tokens.ts';
import { moduleRoutes } from '../modules/index.ts';
import { answerClientError } from './client-errors.ts';
import { loggerOptions, OneLinePerRequest, standardOutputLog } from './logging.ts';
import { openapiTransform, openapiTransformObject } from './openapi.ts';
import { handleError, sendProblem } from './problem.ts';
import { makeTextStorable, refuseEncodedBodies, refuseOptionsWhereNoneTaken, refuseTypesNotJson } from './request-checks.ts';

declare module 'fastify' {
  interface FastifyInstance {
    hub: Hub;
  }
}

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
/** The built scripts and styles, each named by its content (`index-BaVx8oRA.css`). */
const webAssetsDir = path.join(webDistDir, 'assets') + path.sep;

/** `logStream`: where request logs go (standard output by default). */
export async function buildApp(hub: Hub, options: { logStream?: DestinationStream } = {}): Promise<FastifyInstance> {
  const logStream = options.logStream ?? standardOutputLog();
  const app = Fastify({
    logger: loggerOptions(hub.config.logLevel, logStream),
    logController: new OneLinePerRequest(),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    trustProxy: hub.config.trustProxy,
    bodyLimit: 10 * 1024 * 1024,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('hub', hub);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onRoute', refuseOptionsWhereNoneTaken);
  app.addHook('preParsing', refuseEncodedBodies);
  app.addHook('preParsing', refuseTypesNotJson);
  app.addHook('preValidation', makeTextStorable);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  app.addHook('onClose', async () => {
    if ('flushSync' in logStream && typeof logStream.flushSync === 'function') logStream.flushSync();
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: hub.config.publicUrl?.startsWith('https:') ? undefined : false,
  });
  await app.register(fastifyCookie, { secret: hub.secrets.cookieSecret });
  await app.register(fastifyRateLimit, {
    global: true,
    max: (request) => (request.headers.authorization ? hub.config.apiKeyRateLimitPerMinute : hub.config.addressRateLimitPerMinute),
    timeWindow: '1 minute',
    // One bucket per API key; browsers and anonymous callers are counted by address.
    keyGenerator: (request) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const prefix = bearer ? apiKeyPrefix(bearer) : null;
      return prefix ? `key:${prefix}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Rate limit reached; retry in ${Math.ceil(context.ttl / 1000)} seconds.`,
    }),
  });
  await app.register(authentication, { auth: hub.auth });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CME Hub API',
        version: '1.0.0',
        description:
          'The hub for continuing medical education credit. Authenticate with `Authorization: Bearer <API key>`, ' +
          'or with the session cookie from `POST /api/v1/auth/login` (writes then need the `x-csrf-token` header, set to the `cmehub_csrf` cookie\'s value). ' +
          'Errors are `application/problem+json` with a stable `code`, the `requestId` and `problems` (each field to fix; an empty list when there is none).',
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An organization API key. Every answer to a key that expires has the header `CMEHub-API-Key-Expires`: when (an ISO date-time).',
          },
          session: { type: 'apiKey', in: 'cookie', name: 'cmehub_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: openapiTransform,
    transformObject: openapiTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of moduleRoutes) {
    await app.register(routes);
  }

  await registerWebApp(app);
  return app;
}

/** Serves the built web app; any other path that is not the API gets index.html (client-side routes). */
async function registerWebApp(app: FastifyInstance) {
  const hasWebApp = fs.existsSync(path.join(webDistDir, 'index.html'));
  if (hasWebApp) {
    await app.register(fastifyStatic, {
      root: webDistDir,
      wildcard: false,
      index: false,
      // A built file's name changes with its content: a browser keeps it for good. The page naming them is asked for
      // again each time, so that a new release of the hub is seen at once.
      setHeaders(reply, filePath) {
        reply.header('cache-control', filePath.startsWith(webAssetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url === '/openapi.json' || request.url.startsWith('/docs');
    if (!isApi && hasWebApp && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.type('text/html').sendFile('index.html');
    }
    const address = request.url.split('?')[0];
    const allowed = methodsServing(app, address);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, request, 405, 'method_not_allowed', `${address} does not take ${request.method}; it takes ${allowed.join(', ')}.`);
    }
    return sendProblem(reply, request, 404, 'not_found', `There is no ${request.method} ${address}.`);
  });
}

const routeMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The methods a concrete address answers to, so that a client using the wrong one is told which (405 and Allow). */
function methodsServing(app: FastifyInstance, address: string): string[] {
  return routeMethods.filter((method) => app.findRoute({ method, url: address }) !== null);
}
