import { describe, expect, it } from 'vitest';
import type { ActivityFields } from './activity.ts';
import { closingProblems, nextStatuses, reopenedStatus, statusProblems } from './lifecycle.ts';

const today = '2026-06-15';

const finished: ActivityFields = {
  providerActivityId: 'RSS-2026',
  title: 'Tumor Board',
  description: null,
  type: 'RSS',
  deliveryMethod: 'in_person',
  startDate: '2026-01-05',
  endDate: '2026-06-01',
  location: { city: 'Boston', state: 'MA', country: 'USA' },
  providership: 'direct',
  jointProviders: [],
  credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
  topics: [],
  specialties: [],
  mocRegistrations: [],
  rems: null,
  mipsImprovementActivity: false,
  catalog: { listed: false, url: null, fee: null, registration: null },
  commercialSupport: { received: false, sources: [] },
  learners: { physicians: 40, others: 0 },
  outcomes: [{ outcome: 'learner_competence', measurements: ['subjective'] }],
};
const running: ActivityFields = { ...finished, endDate: '2026-12-31' };

const codes = (problems: { field?: string; code: string }[]) => problems.map(({ field, code }) => `${field}:${code}`);

describe('activity lifecycle', () => {
  it('activates only an activity whose end date is today or later', () => {
    expect(statusProblems('draft', 'active', running, today)).toEqual([]);
    expect(statusProblems('draft', 'active', { ...running, endDate: today }, today)).toEqual([]);
    expect(codes(statusProblems('draft', 'active', finished, today))).toEqual(['status:end_date_past']);
  });

  it('is ready to close only once the end date has passed', () => {
    expect(statusProblems('active', 'ready_to_close', finished, today)).toEqual([]);
    expect(codes(statusProblems('active', 'ready_to_close', { ...running, endDate: today }, today))).toEqual([
      'status:end_date_not_past',
    ]);
  });

  it('closes an ended activity with its year-end data, learner counts of 0 included', () => {
    expect(statusProblems('ready_to_close', 'closed', { ...finished, learners: { physicians: 0, others: 0 } }, today)).toEqual([]);
  });

  it('lists everything missing before closing', () => {
    const bare: ActivityFields = {
      ...running,
      providership: 'joint',
      commercialSupport: null,
      learners: { physicians: null, others: null },
      outcomes: [],
      mocRegistrations: [{ board: 'ABIM', points: 1, creditTypes: ['MOC_ABIM_MK'], claimDate: null }],
    };
    expect(codes(statusProblems('active', 'closed', bare, today))).toEqual([
      'status:end_date_not_past',
      'outcomes:required_to_close',
      'commercialSupport.received:required_to_close',
      'learners.physicians:required_to_close',
      'learners.others:required_to_close',
      'jointProviders:required_to_close',
      'mocRegistrations.0.claimDate:required_to_close',
    ]);
  });

  it('needs the supporters when commercial support was received', () => {
    expect(codes(closingProblems({ ...finished, commercialSupport: { received: true, sources: [] } }))).toEqual([
      'commercialSupport.sources:required_to_close',
    ]);
  });

  it('changes a closed activity only through reopening', () => {
    expect(codes(statusProblems('closed', 'active', running, today))).toEqual(['status:reopen_required']);
    expect(nextStatuses('closed', finished, today)).toEqual([]);
    expect(reopenedStatus(finished, today)).toBe('ready_to_close');
    expect(reopenedStatus(running, today)).toBe('active');
  });

  it('lets a new activity start in the status its dates allow', () => {
    expect(statusProblems(null, 'closed', finished, today)).toEqual([]);
    expect(codes(statusProblems(null, 'active', finished, today))).toEqual(['status:end_date_past']);
  });

  it('offers the moves that are allowed now', () => {
    expect(nextStatuses('draft', running, today)).toEqual(['active']);
    expect(nextStatuses('active', finished, today)).toEqual(['draft', 'ready_to_close', 'closed']);
  });
});
