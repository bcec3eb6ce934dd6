import { describe, expect, it } from 'vitest';
import { decideOutcome } from './report-outcome.ts';
import { identityMatchKey } from './identity-key.ts';
import { checkReportRules, completionDayOfActivity, isLate, reportingWindowStart, sessionDateFor } from './report-rules.ts';
import type { ActivityForRules } from './report-rules.ts';

const provider = 'provider-1';
const course: ActivityForRules = {
  id: '100000001',
  providerActivityId: 'GR-2026-09',
  providerOrgId: provider,
  type: 'C',
  startDate: '2026-09-10',
  endDate: '2026-09-14',
  status: 'active',
  credits: [
    { type: 'AMA_PRA_CAT1', amount: 1.75 },
    { type: 'MOC_ABIM_MK', amount: 1 },
  ],
};
const report = { activityId: course.id, completionDate: '2026-09-14', credits: [{ type: 'AMA_PRA_CAT1', amount: 1.75 }], consent: 'written' };
const codesOf = (problems: { code: string }[]) => problems.map((problem) => problem.code);

describe('learner report rules', () => {
  it('passes a report within the activity’s dates and designated credits', () => {
    expect(checkReportRules(report, course, provider, '2026-11-22')).toEqual([]);
  });

  it('dates a completion written without its year by its activity: the one such day it takes this year or last', () => {
    expect(completionDayOfActivity({ month: 9, day: 12 }, () => course, '2026-11-22')).toEqual({ day: '2026-09-12' });
    // A day of last year for an activity held again this January, whose day of this year is yet to come.
    const january = { ...course, startDate: '2025-01-05', endDate: '2027-01-31', type: 'EM' };
    expect(completionDayOfActivity({ month: 12, day: 20 }, () => january, '2026-11-22')).toEqual({ day: '2025-12-20' });
    // Looked up for each day, the one activity is one, however many times it is read.
    expect(completionDayOfActivity({ month: 3, day: 1 }, () => ({ ...january }), '2026-11-22')).toEqual({
      because: 'and its activity takes it in both 2025 and 2026 (available 2025-01-05 to 2027-01-31)',
    });
    expect(completionDayOfActivity({ month: 10, day: 1 }, () => course, '2026-11-22')).toEqual({
      because: 'and neither 2025-10-01 nor 2026-10-01 is a day its activity takes (its dates are 2026-09-10 to 2026-09-14)',
    });
    // A day of the activity's yet to come is said apart: no one has completed it.
    const december = { ...course, startDate: '2026-12-01', endDate: '2026-12-31' };
    expect(completionDayOfActivity({ month: 12, day: 20 }, () => december, '2026-11-22')).toEqual({
      because: 'and neither 2025-12-20 nor 2026-12-20 is a day its activity takes (its dates are 2026-12-01 to 2026-12-31; 2026-12-20 is yet to come)',
    });
    // February 29 is a day of 2024 and 2028 only: in 2025 and 2026, of neither year, and no activity's to tell.
    expect(completionDayOfActivity({ month: 2, day: 29 }, () => january, '2026-11-22')).toBeNull();
    expect(completionDayOfActivity({ month: 2, day: 29 }, () => ({ ...january, startDate: '2027-01-01', endDate: '2028-12-31' }), '2028-11-22')).toEqual({ day: '2028-02-29' });
    // A title two sessions share names the one held on each day: last year's session takes last year's day only.
    const lastYears = { ...course, id: '100000002', startDate: '2025-09-12', endDate: '2025-09-12' };
    expect(completionDayOfActivity({ month: 9, day: 12 }, (day) => (day.startsWith('2025') ? lastYears : course), '2026-11-22')).toEqual({
      because: 'and of your activities with its title, one takes it in 2025 (its dates are 2025-09-12 to 2025-09-12) and another in 2026 (its dates are 2026-09-10 to 2026-09-14)',
    });
    expect(completionDayOfActivity({ month: 9, day: 12 }, (day) => (day.startsWith('2025') ? undefined : course), '2026-11-22')).toEqual({ day: '2026-09-12' });
    expect(completionDayOfActivity({ month: 9, day: 12 }, () => undefined, '2026-11-22')).toBeNull();
  });

  it('treats another provider’s activity as unknown', () => {
    expect(codesOf(checkReportRules(report, course, 'provider-2', '2026-11-22'))).toEqual(['activity_not_found']);
  });

  it('checks the credit lines: positive quarter steps, designated types, within the maximum, one line per type', () => {
    const problems = checkReportRules(
      {
        ...report,
        credits: [
          { type: 'AMA_PRA_CAT1', amount: 2 },
          { type: 'MOC_ABIM_MK', amount: 0.1 },
          { type: 'MOC_ABP_LA', amount: 1 },
          { type: 'AMA_PRA_CAT1', amount: 1 },
        ],
      },
      course,
      provider,
      '2026-11-22',
    );
    expect(problems.map((problem) => `${problem.field}:${problem.code}`)).toEqual([
      'credits.1.amount:credit_amount_invalid',
      'credits.3.type:credit_type_repeated',
      'credits.0.amount:credits_exceed_designated',
      'credits.2.type:credit_type_not_designated',
    ]);
  });

  it('says why an amount is not one, and the amounts near it that could be meant', () => {
    const messageOf = (amount: number) =>
      checkReportRules({ ...report, credits: [{ type: 'AMA_PRA_CAT1', amount }] }, course, provider, '2026-11-22').map((problem) => problem.message);
    expect(messageOf(1.3)).toEqual(['The amount 1.3 is not valid: credits are in steps of 0.25: 1.25 or 1.5.']);
    expect(messageOf(0.1)).toEqual(['The amount 0.1 is not valid: credits are in steps of 0.25, the least 0.25.']);
    expect(messageOf(0)).toEqual(['The amount 0 is not valid: credits are more than 0, such as 0.25 or 1.5.']);
    expect(messageOf(-2)).toEqual(['The amount -2 is not valid: credits are more than 0, such as 0.25 or 1.5.']);
    expect(messageOf(10_000)).toEqual(['The amount 10000 is not valid: credits are at most 9999.75.', expect.stringMatching(/designates at most/)]);
  });

  it('refuses an amount so near 0 that it would be stored as 0', () => {
    for (const amount of [1e-300, 0.0000000001]) {
      const problems = checkReportRules({ ...report, credits: [{ type: 'AMA_PRA_CAT1', amount }] }, course, provider, '2026-11-22');
      expect(problems.map((problem) => `${problem.field}:${problem.code}`), String(amount)).toEqual(['credits.0.amount:credit_amount_invalid']);
    }
  });

  it('keeps completion dates within the activity, the past and the reporting window', () => {
    expect(codesOf(checkReportRules({ ...report, completionDate: '2026-09-09' }, course, provider, '2026-11-22'))).toEqual([
      'completion_date_outside_activity',
    ]);
    expect(codesOf(checkReportRules(report, course, provider, '2026-09-13'))).toEqual(['completion_date_in_future']);
    expect(codesOf(checkReportRules(report, course, provider, '2028-01-02'))).toEqual(['completion_date_outside_reporting_window']);
    expect(reportingWindowStart('2026-11-22')).toBe('2025-01-01');
  });

  it('words the date problem for enduring material as the period it was available', () => {
    const [problem] = checkReportRules({ ...report, completionDate: '2026-01-01' }, { ...course, type: 'EM' }, provider, '2026-11-22');
    expect(problem.message).toContain('available');
  });

  it('names the activity and the credit type as the coordinator knows them', () => {
    const tooMuch = checkReportRules({ ...report, credits: [{ type: 'AMA_PRA_CAT1', amount: 5 }, { type: 'MOC_ABP_QI', amount: 1 }] }, course, provider, '2026-11-22');
    expect(tooMuch.map((problem) => problem.message)).toEqual([
      'Activity GR-2026-09 (hub ID 100000001) designates at most 1.75 AMA PRA Category 1 Credit™; 5 were reported.',
      'Activity GR-2026-09 (hub ID 100000001) is not designated for ABP: Quality improvement (Part 4) (MOC_ABP_QI).',
    ]);
  });

  it('refuses a report without consent and one for a closed or draft activity', () => {
    expect(codesOf(checkReportRules({ ...report, consent: null }, course, provider, '2026-11-22'))).toEqual(['consent_missing']);
    expect(codesOf(checkReportRules(report, { ...course, status: 'closed' }, provider, '2026-11-22'))).toEqual(['activity_closed']);
    expect(codesOf(checkReportRules(report, { ...course, status: 'draft' }, provider, '2026-11-22'))).toEqual(['activity_not_active']);
    expect(checkReportRules(report, { ...course, status: 'ready_to_close' }, provider, '2026-11-22')).toEqual([]);
  });

  it('is late past 30 days after completion', () => {
    expect(isLate('2026-09-14', '2026-10-14')).toBe(false);
    expect(isLate('2026-09-14', '2026-10-15')).toBe(true);
  });

  it('keys a regular series by session date and any other activity once per physician', () => {
    expect(sessionDateFor('RSS', '2026-09-14')).toBe('2026-09-14');
    expect(sessionDateFor('C', '2026-09-14')).toBeNull();
  });
});

describe('identity key of a pending report', () => {
  it('is the same for the same learner written differently', () => {
    const a = identityMatchKey({ firstName: 'José', lastName: "O'Brien", birthMonth: 3, birthDay: 4, state: 'ca', licenseNumber: 'A-012345' });
    const b = identityMatchKey({ firstName: 'jose', lastName: 'OBrien', birthMonth: 3, birthDay: 4, state: 'CA', licenseNumber: 'A12345' });
    expect(a).toBe(b);
    expect(identityMatchKey({ firstName: 'Jose', lastName: 'OBrien', birthMonth: 3, birthDay: 5, state: 'CA', licenseNumber: 'A12345' })).not.toBe(a);
  });
});

describe('report outcome', () => {
  const matched = { status: 'matched' as const, personId: 'p1', rule: 'npi', problems: [] };
  it('accepts a matched learner, keeps an unmatched one pending and rejects on any rule problem', () => {
    expect(decideOutcome([], matched)).toMatchObject({ status: 'accepted', personId: 'p1' });
    expect(decideOutcome([], { status: 'not_found', personId: null, rule: null, problems: [] })).toMatchObject({
      status: 'pending',
      problems: [expect.objectContaining({ code: 'identity_not_found' })],
    });
    expect(decideOutcome([{ code: 'consent_missing', field: 'consent', message: 'x' }], matched).status).toBe('rejected');
    expect(
      decideOutcome([], { status: 'invalid', personId: null, rule: null, problems: [{ code: 'npi_check_digit', field: 'npi', message: 'x' }] }),
    ).toMatchObject({ status: 'rejected', problems: [{ code: 'npi_check_digit', field: 'learner.npi' }] });
  });
});
