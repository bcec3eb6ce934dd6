import { describe, expect, it } from 'vitest';
import type { AuthenticatedActor } from '../../http/actor.ts';
import { NotFoundError } from '../../http/errors.ts';
import { authorize, can } from '../../policy/policy.ts';
import type { Action } from '../../policy/policy.ts';

const actor = (role: AuthenticatedActor['role'], organizationId: string | null, personId: string | null = null): AuthenticatedActor => ({
  type: 'user',
  id: 'u1',
  label: 'someone',
  role,
  organizationId,
  organizationKind: role.startsWith('provider') ? 'provider' : role.startsWith('board') ? 'licensing_board' : role === 'operator' ? 'operator' : null,
  personId,
});

const providerActions: Action[] = ['learnerReport.create', 'learnerReport.read', 'learnerReport.correct', 'learnerReport.delete', 'providerDashboard.read'];

describe('who may do what with learner reports', () => {
  it('lets provider staff act on their own organization’s reports and hides other organizations’ as not found', () => {
    for (const role of ['provider_admin', 'provider_staff'] as const) {
      for (const action of providerActions) {
        expect(can(actor(role, 'p1'), action, { organizationId: 'p1' }), `${role} ${action}`).toBe(true);
        expect(() => authorize(actor(role, 'p1'), action, { organizationId: 'p2' }), `${role} ${action}`).toThrow(NotFoundError);
      }
    }
  });

  it('gives boards and physicians no access to providers’ reports', () => {
    for (const role of ['board_admin', 'board_staff', 'physician'] as const) {
      for (const action of providerActions) {
        expect(can(actor(role, role === 'physician' ? null : 'b1', 'person-1'), action, { organizationId: 'p1' }), `${role} ${action}`).toBe(false);
      }
    }
  });

  it('lets a board read its own licensees’ credits only', () => {
    expect(can(actor('board_staff', 'b1'), 'licenseeCredits.read', { organizationId: 'b1' })).toBe(true);
    expect(() => authorize(actor('board_staff', 'b1'), 'licenseeCredits.read', { organizationId: 'b2' })).toThrow(NotFoundError);
    expect(can(actor('provider_admin', 'p1'), 'licenseeCredits.read', { organizationId: 'p1' })).toBe(false);
  });

  it('lets only a physician linked to a person read their own credits, and only the operator purge', () => {
    expect(can(actor('physician', null, 'person-1'), 'ownCredits.read')).toBe(true);
    expect(can(actor('physician', null, null), 'ownCredits.read')).toBe(false);
    expect(can(actor('provider_admin', 'p1'), 'ownCredits.read')).toBe(false);
    expect(can(actor('operator', 'o1'), 'learnerReport.purge')).toBe(true);
    expect(can(actor('provider_admin', 'p1'), 'learnerReport.purge')).toBe(false);
  });
});
