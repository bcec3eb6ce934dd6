import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { invalid, responses, signedIn } from '../../http/responses.ts';
import { auditLogPageSchema, auditLogQuerySchema } from './audit-log.schemas.ts';
import { searchAuditLog } from './audit-log.service.ts';

export const auditLogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/audit-log',
    {
      schema: {
        tags: ['Audit log'],
        summary: 'Search the audit log (operator)',
        querystring: auditLogQuerySchema,
        response: responses({ 200: [auditLogPageSchema, 'A page of audit entries, newest first'], ...signedIn, ...invalid }),
      },
    },
    async (request) => searchAuditLog(app.hub.db, request.requireContext(), request.query),
  );
};
