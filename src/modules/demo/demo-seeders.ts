import type { Selectable } from 'kysely';
import type { FoundationTables } from '../../db/foundation.tables.ts';
import type { Hub } from '../../hub.ts';
import { seedDemoPeopleAndReports } from './demo-people.ts';
import { seedDemoActivities } from '../activities/activities.demo.ts';

type OrganizationRow = Selectable<FoundationTables['organizations']>;

export type DemoOrganizations = {
  operator: OrganizationRow;
  /** The first is the demo coordinator's provider. */
  providers: OrganizationRow[];
  licensingBoards: OrganizationRow[];
  certifyingBoards: OrganizationRow[];
};

export type DemoSeeder = (hub: Hub, organizations: DemoOrganizations) => Promise<void>;

/** Each area's demo records, loaded in this order after the demo organizations and logins. */
export const demoSeeders: DemoSeeder[] = [seedDemoActivities, seedDemoPeopleAndReports];
