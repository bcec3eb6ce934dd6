import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { DB } from './db/schema.ts';
import { createActivitiesService } from './modules/activities/activities.service.ts';
import { createApiKeysService } from './modules/api-keys/api-keys.service.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { createOrganizationsService } from './modules/organizations/organizations.service.ts';
import { createReportsService } from './modules/reports/reports.service.ts';
import { ensureSecrets } from './modules/system/secrets.ts';
import type { HubSecrets } from './modules/system/secrets.ts';
import { createUsersService } from './modules/users/users.service.ts';

/**
 * The hub's long-lived parts, built once at start. Routes reach their area's service here; services
 * get only the dependencies they name.
 */
export type Hub = {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  secrets: HubSecrets;
  auth: ReturnType<typeof createAuthService>;
  organizations: ReturnType<typeof createOrganizationsService>;
  users: ReturnType<typeof createUsersService>;
  apiKeys: ReturnType<typeof createApiKeysService>;
  activities: ReturnType<typeof createActivitiesService>;
  reports: ReturnType<typeof createReportsService>;
};

export async function createHub(config: Config, database: Database): Promise<Hub> {
  const { db } = database;
  return {
    config,
    database,
    db,
    secrets: await ensureSecrets(db),
    auth: createAuthService({ db }),
    organizations: createOrganizationsService({ db }),
    users: createUsersService({ db }),
    apiKeys: createApiKeysService({ db }),
    activities: createActivitiesService({ db }),
    reports: createReportsService({ db }),
  };
}
