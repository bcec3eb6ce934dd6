import type { ActivitiesTables } from '../modules/activities/activities.tables.ts';
import type { FoundationTables } from './foundation.tables.ts';
import type { ReportsTables } from '../modules/reports/reports.tables.ts';
import type { RegistryTables } from '../modules/registry/registry.tables.ts';
import type { UploadsTables } from '../modules/uploads/uploads.tables.ts';

/** Every table the hub has, as Kysely sees it. Each area declares its own in `<area>.tables.ts`. */
export type DB = FoundationTables & ActivitiesTables & ReportsTables & RegistryTables & UploadsTables;
