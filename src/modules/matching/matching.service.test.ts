import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers.ts';
import type { TestApp } from '../../../test/helpers.ts';
import { systemContext } from '../../http/actor.ts';
import { createRegistryService } from '../registry/registry.service.ts';
import { createMatchingService, type LearnerIdentity } from './matching.service.ts';

let t: TestApp;
const ids: Record<string, string> = {};

const roster = [
  'License number,License type,Status,First name,Middle name,Last name,Previous last name,Birth month,Birth day,NPI',
  'T12345,MD,Active,Robert,James,Smith,,3,14,1928374655',
  'G12345,MD,Active,Helen,,Park,,7,9,1245319599',
  'T20001,MD,Expired,Ann,,Walker,Smith,4,3,',
  // Namesakes: same name and birth date, both licensed in CA.
  'T30001,MD,Active,John,,Miller,,1,20,',
  'T30002,MD,Active,John,,Miller,,1,20,',
].join('\n');

// The diplomate roster names Helen Park's NPI, which links her to her California license (never the name alone).
const diplomates = ['Board ID,Status,First name,Last name,Birth month,Birth day,NPI', '998877,Certified,Helen,Park,7,9,1245319599'].join('\n');

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const registry = createRegistryService({ database: t.database });
  const boardOf = async (where: 'CA' | 'ABIM') => {
    const query = t.db.selectFrom('organizations').select('id');
    const org = await (where === 'CA' ? query.where('jurisdiction', '=', 'CA').where('board_type', '=', 'MD') : query.where('board_code', '=', 'ABIM')).executeTakeFirstOrThrow();
    return org.id;
  };
  await registry.loadRoster(systemContext(), await boardOf('CA'), { source: Readable.from([roster]), format: 'csv', fileName: null }, { fullRoster: false });
  await registry.loadRoster(systemContext(), await boardOf('ABIM'), { source: Readable.from([diplomates]), format: 'csv', fileName: null }, { fullRoster: false });
  for (const person of await t.db.selectFrom('persons').select(['id', 'first_name', 'last_name']).execute()) {
    ids[`${person.first_name} ${person.last_name}`] = person.id;
  }
});
afterAll(async () => t?.close());

const identities: LearnerIdentity[] = [
  { firstName: 'Bob', lastName: 'Smith', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 't-012345' },
  { firstName: 'Robert', lastName: 'Smith', birthMonth: '03', birthDay: '14', npi: '1928 3746 55' },
  { firstName: 'Helen', lastName: 'Park', birthMonth: 7, birthDay: 9, board: 'ABIM', boardId: '998877' },
  { firstName: 'Helen', lastName: 'Park', birthMonth: 7, birthDay: 9, state: 'CA' },
  { firstName: 'Ann', lastName: 'Smith', birthMonth: 4, birthDay: 3, state: 'CA', licenseNumber: 'T20001' },
  { firstName: 'John', lastName: 'Miller', birthMonth: 1, birthDay: 20, state: 'CA' },
  { firstName: 'Robert', lastName: 'Smith', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'T99999' },
  { firstName: 'Robert', lastName: 'Smith', birthMonth: 3, birthDay: 14, state: 'NV', licenseNumber: 'T12345' },
  { firstName: 'Robert', lastName: 'Smith', birthMonth: 3, birthDay: 14, npi: '1234567890' },
  { firstName: 'Maria', lastName: 'Lopez', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'T12345' },
];

function summarize(outcomes: Awaited<ReturnType<ReturnType<typeof createMatchingService>['matchIdentities']>>) {
  return outcomes.map((o) => [o.status, o.personId, o.rule, o.tolerances, o.problems.map((p) => p.code)]);
}

describe('matchIdentities', () => {
  const expected = () => [
    ['matched', ids['Robert Smith'], 'state_license', ['first_name_nickname'], []],
    ['matched', ids['Robert Smith'], 'npi', [], []],
    ['matched', ids['Helen Park'], 'board_id', [], []],
    ['matched', ids['Helen Park'], 'state_unique_name', [], []],
    ['matched', ids['Ann Walker'], 'state_license', ['previous_last_name'], ['license_inactive']],
    ['ambiguous', null, null, [], ['several_people_fit']],
    ['not_found', null, null, [], ['license_not_found']],
    ['not_found', null, null, [], ['license_other_state']],
    ['invalid', null, null, [], ['npi_check_digit']],
    ['not_found', null, null, [], ['name_mismatch']],
  ];

  it('answers each identity in order, with the rule, the tolerances and the problems', async () => {
    const outcomes = await createMatchingService().matchIdentities(t.db, identities);
    expect(summarize(outcomes)).toEqual(expected());
  });

  it('gives the same answers when the batch is staged in a temporary table', async () => {
    const outcomes = await createMatchingService({ stagingThreshold: 0 }).matchIdentities(t.db, identities);
    expect(summarize(outcomes)).toEqual(expected());
  });

  it('works inside the caller\'s transaction, staged or not', async () => {
    await t.db.transaction().execute(async (trx) => {
      const staged = await createMatchingService({ stagingThreshold: 0 }).matchIdentities(trx, identities);
      const inline = await createMatchingService().matchIdentities(trx, identities);
      expect(summarize(staged)).toEqual(expected());
      expect(summarize(inline)).toEqual(expected());
    });
  });

  it('answers an empty batch with nothing', async () => {
    expect(await createMatchingService().matchIdentities(t.db, [])).toEqual([]);
  });
});
