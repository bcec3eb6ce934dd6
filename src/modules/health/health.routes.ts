import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { openToAll, responses } from '../../http/responses.ts';

const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['pglite', 'postgres']) });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['Health'],
        summary: 'Liveness and database check',
        response: responses({
          200: [healthSchema, 'The hub and its database answer'],
          503: [healthSchema, 'The database does not answer'],
          ...openToAll,
        }),
      },
    },
    async (_request, reply) => {
      const database = app.hub.database.kind;
      try {
        await sql`select 1`.execute(app.hub.db);
        return { status: 'ok' as const, database };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, database });
      }
    },
  );
};
