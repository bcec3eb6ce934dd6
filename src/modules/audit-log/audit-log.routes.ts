import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/problem.ts';
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
        response: { 200: auditLogPageSchema, ...errorResponses },
      },
    },
    async (request) => searchAuditLog(app.hub.db, request.requireContext(), request.query),
  );
};
