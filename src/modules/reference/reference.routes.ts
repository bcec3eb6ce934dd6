import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { openToAll, responses } from '../../http/responses.ts';
import { certifyingBoards } from './certifying-boards.ts';
import { jurisdictions } from './jurisdictions.ts';

const codeListSchema = z.object({ items: z.array(z.object({ code: z.string(), name: z.string() })) });
const toItems = (list: readonly (readonly [string, string])[]) => ({
  items: list.map(([code, name]) => ({ code, name })),
});

/** Public lists the forms and clients need. */
export const referenceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/reference/jurisdictions',
    { schema: { tags: ['Reference'], summary: 'US states, DC and territories', response: responses({ 200: [codeListSchema, 'Each jurisdiction\'s code and name'], ...openToAll }) } },
    async () => toItems(jurisdictions),
  );
  app.get(
    '/api/v1/reference/certifying-boards',
    { schema: { tags: ['Reference'], summary: 'Certifying boards', response: responses({ 200: [codeListSchema, 'Each certifying board\'s code and name'], ...openToAll }) } },
    async () => toItems(certifyingBoards),
  );
};
