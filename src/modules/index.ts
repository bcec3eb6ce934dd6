import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { activitiesRoutes } from './activities/activities.routes.ts';
import { apiKeysRoutes } from './api-keys/api-keys.routes.ts';
import { auditLogRoutes } from './audit-log/audit-log.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { meRoutes } from './auth/me.routes.ts';
import { healthRoutes } from './health/health.routes.ts';
import { organizationsRoutes } from './organizations/organizations.routes.ts';
import { referenceRoutes } from './reference/reference.routes.ts';
import { reportsRoutes } from './reports/reports.routes.ts';
import { usersRoutes } from './users/users.routes.ts';
import { registryRoutes } from './registry/registry.routes.ts';
import { learnerValidationRoutes } from './learner-validation/learner-validation.routes.ts';
import { uploadsRoutes } from './uploads/uploads.routes.ts';

/** Every area's routes. Add an area here, one line. */
export const moduleRoutes: FastifyPluginAsyncZod[] = [
  healthRoutes,
  authRoutes,
  meRoutes,
  organizationsRoutes,
  usersRoutes,
  apiKeysRoutes,
  auditLogRoutes,
  referenceRoutes,
  activitiesRoutes,
  reportsRoutes,
  registryRoutes,
  learnerValidationRoutes,
  uploadsRoutes,
];
