import { describe, expect, it } from 'vitest';
import { acceptedReportInput } from './report-input.ts';
import type { ReportCandidate } from './report-input.ts';
import { learnerReportInputSchema } from './reports.schemas.ts';

describe('checking a row without zod', () => {
  const valid: ReportCandidate = {
    activityId: '100000017',
    completionDate: '2025-06-30',
    learner: { firstName: 'Ann', lastName: 'Lee', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'A12345', npi: null, board: null, boardId: null },
    credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }],
    consent: 'written',
    creditId: null,
  };
  type Learner = ReportCandidate['learner'];
  const learner = (changes: Partial<Learner>): Partial<ReportCandidate> => ({ learner: { ...valid.learner, ...changes } });
  const variants: Partial<ReportCandidate>[] = [
    {},
    { activityId: ' 100000017 ' },
    { activityId: '10000001' },
    { activityId: '1000000170' },
    { activityId: '１００００００１７' },
    { activityId: '' },
    { completionDate: '2024-02-29' },
    { completionDate: '2025-02-29' },
    { completionDate: '2025-04-31' },
    { completionDate: '2025-6-30' },
    { completionDate: ' 2025-06-30' },
    { completionDate: '' },
    learner({ firstName: '  Ann ' }),
    learner({ firstName: '   ' }),
    learner({ firstName: 'A'.repeat(100) }),
    learner({ firstName: 'A'.repeat(101) }),
    learner({ lastName: '' }),
    learner({ lastName: ` ${'L'.repeat(100)} ` }),
    learner({ firstName: '=SUM(1)' }),
    learner({ lastName: '12345' }),
    learner({ lastName: "'t Hooft" }),
    learner({ lastName: 'Nguyễn 2' }),
    learner({ birthMonth: undefined }),
    learner({ birthMonth: 0 }),
    learner({ birthMonth: 12, birthDay: 31 }),
    learner({ birthMonth: 13 }),
    learner({ birthMonth: 2.5 }),
    learner({ birthMonth: Number.NaN }),
    learner({ birthMonth: 2, birthDay: 29 }),
    learner({ birthMonth: 2, birthDay: 30 }),
    learner({ birthMonth: 4, birthDay: 31 }),
    learner({ birthDay: 0 }),
    learner({ birthDay: undefined }),
    learner({ state: 'ca' }),
    learner({ state: ' ca ' }),
    learner({ state: 'C' }),
    learner({ state: 'CAL' }),
    learner({ state: 'C1' }),
    learner({ state: 'ß' }),
    learner({ state: null }),
    learner({ state: null, licenseNumber: null }),
    learner({ state: null, licenseNumber: null, npi: '1234567893' }),
    learner({ npi: ' 1234567893 ' }),
    learner({ npi: '123456789' }),
    learner({ npi: '12345678901' }),
    learner({ npi: '123456789X' }),
    learner({ npi: '' }),
    learner({ licenseNumber: ' a-12 345 ' }),
    learner({ licenseNumber: 'A'.repeat(30) }),
    learner({ licenseNumber: 'A'.repeat(31) }),
    learner({ licenseNumber: '   ' }),
    learner({ licenseNumber: null }),
    learner({ state: null, licenseNumber: null, board: 'abim', boardId: ' 123456 ' }),
    learner({ board: 'ABIM', boardId: null }),
    learner({ board: null, boardId: '123456' }),
    learner({ board: 'A'.repeat(11), boardId: '1' }),
    learner({ board: 'ABIM', boardId: '1'.repeat(31) }),
    { credits: [] },
    { credits: [{ type: ' moc_abim_mk ', amount: 2 }] },
    { credits: [{ type: 'AMA_PRA_CAT1', amount: Number.NaN }] },
    { credits: [{ type: 'AMA_PRA_CAT1', amount: Number.POSITIVE_INFINITY }] },
    { credits: [{ type: '', amount: 1 }] },
    { credits: [{ type: 'X'.repeat(41), amount: 1 }] },
    { credits: Array.from({ length: 40 }, () => ({ type: 'AMA_PRA_CAT1', amount: 0.25 })) },
    { credits: Array.from({ length: 41 }, () => ({ type: 'AMA_PRA_CAT1', amount: 0.25 })) },
    { consent: null },
    { consent: 'implied' },
    { creditId: 'ccid:1234567:A-100' },
    { creditId: ' ccid:1234567:A-100 ' },
    { creditId: 'ccid:1234567' },
    { creditId: `ccid:1:${'x'.repeat(300)}` },
    { creditId: '' },
  ];

  it('accepts what the report schema accepts, with the same result, and nothing it refuses', () => {
    for (const variant of variants) {
      const candidate = { ...valid, ...variant };
      const parsed = learnerReportInputSchema.safeParse(candidate);
      const accepted = acceptedReportInput(candidate);
      if (!parsed.success) expect(accepted, JSON.stringify(variant)).toBeNull();
      // Same values in the same order, as stored and as shown on the receipt.
      else if (accepted) expect(JSON.stringify(accepted), JSON.stringify(variant)).toBe(JSON.stringify(parsed.data));
    }
  });

  it('leaves to the schema none of the rows it accepts', () => {
    const leftToSchema = variants.filter((variant) => {
      const candidate = { ...valid, ...variant };
      return learnerReportInputSchema.safeParse(candidate).success && acceptedReportInput(candidate) === null;
    });
    expect(leftToSchema).toEqual([]);
  });
});

describe('what the report schema says of a date', () => {
  const completionMessages = (completionDate: string) =>
    (learnerReportInputSchema.safeParse({ activityId: '100000017', completionDate, learner: {}, credits: [], consent: 'written' }).error?.issues ?? [])
      .filter((issue) => issue.path[0] === 'completionDate')
      .map((issue) => issue.message);

  it('says a date written as it should be that the calendar has no such day, and otherwise how to write it', () => {
    expect(completionMessages('2026-02-30')).toEqual(['2026-02-30 is no date: February 2026 has 28 days']);
    expect(completionMessages('2028-02-30')).toEqual(['2028-02-30 is no date: February 2028 has 29 days']);
    expect(completionMessages('2026-11-31')).toEqual(['2026-11-31 is no date: November has 30 days']);
    expect(completionMessages('2026-11-00')).toEqual(['2026-11-00 is no date: there is no day 0']);
    expect(completionMessages('2028-02-29')).toEqual([]);
    expect(completionMessages('2026-13-01')).toEqual(['2026-13-01 is no date: there is no month 13']);
    expect(completionMessages('soon')).toEqual(['Dates are written YYYY-MM-DD']);
    expect(completionMessages('2026-02-28')).toEqual([]);
  });
});

describe('what the report schema says of a learner', () => {
  const learnerMessages = (changes: Record<string, unknown>) =>
    (
      learnerReportInputSchema.safeParse({
        activityId: '100000017',
        completionDate: '2025-06-30',
        learner: { firstName: 'Ann', lastName: 'Lee', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'A12345', ...changes },
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
        consent: 'written',
      }).error?.issues ?? []
    ).map((issue) => issue.message);

  it('quotes the value sent, so that it can be found in the file, and says what to write instead', () => {
    expect(learnerMessages({ birthMonth: 13 })).toEqual(['Birth month 13 is not a month (1 to 12)']);
    expect(learnerMessages({ birthDay: 0 })).toEqual(['Birth day 0 is not a day (1 to 31)']);
    // Said once: a day past the 31st is no day of any month.
    expect(learnerMessages({ birthMonth: 4, birthDay: 40 })).toEqual(['Birth day 40 is not a day (1 to 31)']);
    expect(learnerMessages({ birthMonth: 4, birthDay: 31 })).toEqual(['April has no day 31']);
    // A birthday has no year: February 29 is one.
    expect(learnerMessages({ birthMonth: 2, birthDay: 29 })).toEqual([]);
    expect(learnerMessages({ birthMonth: 2, birthDay: 30 })).toEqual(['February has no day 30']);
    expect(learnerMessages({ state: 'Calif.' })).toEqual(['State "Calif." is not a state\'s 2-letter code: write the code of the state that issued the license, such as CA']);
    expect(learnerMessages({ state: ' ca ' })).toEqual([]);
  });
});
