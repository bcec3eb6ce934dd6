import type { Hub } from '../../hub.ts';
import { systemContext } from '../../http/actor.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { insertOrganization } from '../organizations/organizations.repository.ts';
import { certifyingBoards } from '../reference/certifying-boards.ts';
import { jurisdictionName } from '../reference/jurisdictions.ts';
import { insertUser } from '../users/users.repository.ts';
import { demoLogins, demoPassword } from './demo-logins.ts';
import { demoSeeders } from './demo-seeders.ts';
import type { DemoOrganizations } from './demo-seeders.ts';

export { demoLogins, demoPassword } from './demo-logins.ts';

/** The state boards in the state medical board collaboration today; Maine has separate MD and DO boards. */
const collaborationBoards: { jurisdiction: string; boardType: 'MD' | 'DO' | 'combined'; name: string }[] = [
  ...['AL', 'AK', 'DC', 'ID', 'MD', 'MS', 'NJ', 'NC', 'ND', 'OR', 'VI', 'WA', 'WY'].map((code) => ({
    jurisdiction: code,
    boardType: (code === 'WA' ? 'MD' : 'combined') as 'MD' | 'combined',
    name: `${jurisdictionName.get(code)} Medical Board`,
  })),
  { jurisdiction: 'CA', boardType: 'MD', name: 'Medical Board of California' },
  { jurisdiction: 'ME', boardType: 'MD', name: 'Maine Board of Licensure in Medicine' },
  { jurisdiction: 'ME', boardType: 'DO', name: 'Maine Board of Osteopathic Licensure' },
];

const demoProviders = [
  { providerId: '1234567', name: 'Demo Academy of Medicine' },
  { providerId: '2345678', name: 'Northside Hospital CME Office' },
  { providerId: '3456789', name: 'Online CME Institute' },
];

export async function isDemoLoaded(hub: Hub): Promise<boolean> {
  const row = await hub.db.selectFrom('users').select('id').where('email', '=', demoLogins.operator).executeTakeFirst();
  return row !== undefined;
}

/** Loads the demo data set: organizations, one login per role, and each area's demo records. */
export async function loadDemoData(hub: Hub): Promise<void> {
  if (await isDemoLoaded(hub)) return;
  const passwordHash = await hashPassword(demoPassword);
  const context = systemContext('demo data');
  const organizations = await hub.db.transaction().execute(async (trx) => {
    const operator = await insertOrganization(trx, { kind: 'operator', name: 'CME Hub operations' });
    const providers = [];
    for (const provider of demoProviders) {
      providers.push(
        await insertOrganization(trx, { kind: 'provider', ...provider, accreditationStatus: 'accredited' }),
      );
    }
    const licensingBoards = [];
    for (const board of collaborationBoards) {
      licensingBoards.push(
        await insertOrganization(trx, {
          kind: 'licensing_board',
          name: board.name,
          jurisdiction: board.jurisdiction as never,
          boardType: board.boardType,
        }),
      );
    }
    const certifying = [];
    for (const [code, name] of certifyingBoards) {
      certifying.push(await insertOrganization(trx, { kind: 'certifying_board', name, boardCode: code }));
    }
    const california = licensingBoards.find((board) => board.jurisdiction === 'CA')!;
    const abim = certifying.find((board) => board.board_code === 'ABIM')!;
    const accounts = [
      { email: demoLogins.operator, displayName: 'Olivia Operator', role: 'operator', organizationId: operator.id },
      { email: demoLogins.providerAdmin, displayName: 'Carla Coordinator', role: 'provider_admin', organizationId: providers[0].id },
      { email: demoLogins.providerStaff, displayName: 'Sam Staff', role: 'provider_staff', organizationId: providers[0].id },
      { email: demoLogins.boardAdmin, displayName: 'Brenda Board', role: 'board_admin', organizationId: california.id },
      { email: demoLogins.boardStaff, displayName: 'Ben Board', role: 'board_staff', organizationId: california.id },
      { email: demoLogins.certifyingBoardAdmin, displayName: 'Dana Diplomate', role: 'board_admin', organizationId: abim.id },
      { email: demoLogins.physician, displayName: 'Dr. Maria Lopez', role: 'physician', organizationId: null },
    ] as const;
    for (const account of accounts) {
      await insertUser(trx, { ...account, passwordHash });
    }
    await recordAudit(trx, context, { action: 'demo.load', entityType: 'hub', entityId: null });
    return { operator, providers, licensingBoards, certifyingBoards: certifying } satisfies DemoOrganizations;
  });
  for (const seed of demoSeeders) {
    await seed(hub, organizations);
  }
}
