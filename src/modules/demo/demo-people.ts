import { Readable } from 'node:stream';
import type { Hub } from '../../hub.ts';
import { systemContext } from '../../http/actor.ts';
import { createRegistryService } from '../registry/registry.service.ts';
import { linkUserToPersonByNpi } from '../users/users.repository.ts';
import { demoLogins } from './demo-logins.ts';
import type { DemoOrganizations } from './demo-seeders.ts';

const rosterHeader = 'License number,License type,Status,First name,Middle name,Last name,Birth month,Birth day,NPI,Issue date,Expiry date';

/** Dr. Maria Lopez (the demo physician) holds licenses in California and Washington. */
const mariaNpi = '1234567893';
const californiaRoster = [
  rosterHeader,
  `A12345,MD,active,Maria,Elena,Lopez,3,14,${mariaNpi},2012-07-01,2027-03-31`,
  'A23456,MD,active,James,,Okafor,11,2,1987654328,2015-01-15,2026-12-31',
  'A34567,MD,active,Priya,,Natarajan,6,30,,2018-09-01,2027-06-30',
  'A45678,MD,active,Robert,T,Chen,1,9,1456789019,2009-05-20,2027-01-31',
].join('\n');
const washingtonRoster = [
  rosterHeader,
  `MD60012345,MD,active,Maria,E,Lopez,3,14,${mariaNpi},2019-02-01,2027-03-14`,
  'MD60023456,MD,active,Hannah,,Berg,8,21,1765432103,2016-10-10,2026-08-21',
].join('\n');

/**
 * Registry people from two board rosters, the demo physician's account linked to her registry record,
 * and learner reports on the demo provider's activities: accepted (one reported under her California
 * license, seen by the Washington board too), late, pending and rejected.
 */
export async function seedDemoPeopleAndReports(hub: Hub, organizations: DemoOrganizations): Promise<void> {
  const context = systemContext('demo data');
  const registry = createRegistryService({ database: hub.database });
  const board = (jurisdiction: string) => organizations.licensingBoards.find((org) => org.jurisdiction === jurisdiction)!;
  for (const [jurisdiction, csv] of [['CA', californiaRoster], ['WA', washingtonRoster]] as const) {
    await registry.loadRoster(
      context,
      board(jurisdiction).id,
      { source: Readable.from([Buffer.from(csv)]), format: 'csv', fileName: `demo-${jurisdiction.toLowerCase()}-roster.csv` },
      { fullRoster: false },
    );
  }
  await linkUserToPersonByNpi(hub.db, demoLogins.physician, mariaNpi);

  const provider = organizations.providers[0];
  const { items: activities } = await hub.activities.list(context, {
    status: ['active', 'ready_to_close'],
    q: 'DEMO-',
    sort: 'startDate',
    order: 'asc',
    limit: 50,
  } as never);
  const today = new Date().toISOString().slice(0, 10);
  const started = activities.filter((activity) => activity.startDate < today);
  if (started.length === 0) return;
  const [series, ...others] = started;
  const recent = others.at(-1) ?? series;
  const maria = { firstName: 'Maria', lastName: 'Lopez', birthMonth: 3, birthDay: 14 };
  const reports = [
    { activityId: recent.id, completionDate: recent.startDate, learner: { ...maria, state: 'CA', licenseNumber: 'A-12345' } },
    { activityId: series.id, completionDate: series.startDate, learner: { ...maria, npi: mariaNpi } },
    { activityId: recent.id, completionDate: recent.startDate, learner: { firstName: 'Jim', lastName: 'Okafor', birthMonth: 11, birthDay: 2, state: 'CA', licenseNumber: 'A23456' } },
    { activityId: recent.id, completionDate: recent.startDate, learner: { firstName: 'Alex', lastName: 'Newcomer', birthMonth: 5, birthDay: 5, state: 'CA', licenseNumber: 'A99999' } },
    { activityId: recent.id, completionDate: recent.startDate, learner: { firstName: 'Robert', lastName: 'Chen', birthMonth: 1, birthDay: 9, npi: '1456789012' } },
  ].map((report) => ({ ...report, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], consent: 'written' as const }));
  await hub.reports.submit(context, { providerOrgId: provider.id, contentType: 'json', wantsXml: false, body: reports });
}
