import { describe, expect, it } from 'vitest';
import type { ActivityInput } from './activity.ts';
import { normalizeActivity } from './activity-rules.ts';

const course: ActivityInput = {
  providerActivityId: 'GR-2026-01',
  title: 'Grand Rounds: Safer Opioid Prescribing',
  type: 'C',
  deliveryMethod: 'in_person',
  startDate: '2026-03-10',
  endDate: '2026-03-10',
  location: { city: 'Chicago', state: 'IL', country: 'USA' },
  credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }],
};

function problemsOf(input: ActivityInput) {
  const result = normalizeActivity(input);
  if (result.ok) return [];
  return result.problems.map(({ field, code }) => `${field}:${code}`);
}

function messagesOf(input: ActivityInput) {
  const result = normalizeActivity(input);
  return result.ok ? [] : result.problems.map((problem) => problem.message);
}

describe('activity field rules', () => {
  it('accepts a complete in-person course and fills the defaults', () => {
    const result = normalizeActivity(course);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fields).toMatchObject({
      providership: 'direct',
      jointProviders: [],
      mipsImprovementActivity: false,
      catalog: { listed: false, url: null },
      commercialSupport: null,
      learners: { physicians: null, others: null },
    });
  });

  it('reports every problem at once, each on its field', () => {
    expect(
      problemsOf({
        providerActivityId: ' ',
        title: '',
        type: 'WEBINAR',
        startDate: '2026-05-02',
        endDate: '2026-05-01',
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1.3 }],
        location: { country: 'Atlantis' },
      }),
    ).toEqual([
      'providerActivityId:required',
      'title:required',
      'type:invalid_code',
      'endDate:end_before_start',
      'location.country:invalid_country',
      'credits.0.amount:not_quarter_step',
    ]);
  });

  it('speaks to a coordinator', () => {
    const messages = messagesOf({ ...course, endDate: '2026-03-01', location: { city: 'Lyon', country: 'FR' } });
    expect(messages).toContain('End date is before start date.');
    expect(messages).toContain('Country must be a 3-letter code: "FR" is the 2-letter code of France, whose 3-letter code is FRA.');
    expect(messagesOf({ ...course, location: { city: 'Ottawa', state: 'ON', country: 'CA' } })).toContain(
      'Country must be a 3-letter code: "CA" is the 2-letter code of Canada, whose 3-letter code is CAN (CA is also a US state\'s code: a state goes in the State field).',
    );
    expect(messagesOf({ ...course, location: { city: 'Atlantis', country: 'ATL' } })).toContain('Country must be a 3-letter code such as USA.');
  });

  it('takes a country written by its name, or the US and UK as commonly written, as its code', () => {
    for (const [written, code] of [['Canada', 'CAN'], ['united states', 'USA'], ['U.S.A.', 'USA'], ['US', 'USA'], ['UK', 'GBR'], ['United  Kingdom', 'GBR'], ['fra', 'FRA']]) {
      const result = normalizeActivity({ ...course, location: { city: 'Somewhere', state: code === 'USA' ? 'MA' : null, country: written } });
      expect(result.ok ? result.fields.location?.country : result.problems, written).toBe(code);
    }
  });

  it('needs a location for an in-person course or series, not for other types', () => {
    const inPerson = { ...course, location: null };
    expect(problemsOf(inPerson)).toEqual(['location.city:required', 'location.country:required']);
    expect(problemsOf({ ...inPerson, type: 'RSS' })).toEqual(['location.city:required', 'location.country:required']);
    expect(problemsOf({ ...inPerson, deliveryMethod: 'online' })).toEqual([]);
    expect(problemsOf({ ...inPerson, type: 'EM', deliveryMethod: null })).toEqual([]);
  });

  it('needs a US state for a US location and checks it', () => {
    expect(problemsOf({ ...course, location: { city: 'Chicago', country: 'USA' } })).toEqual(['location.state:required']);
    expect(problemsOf({ ...course, location: { city: 'Chicago', state: 'XX', country: 'USA' } })).toEqual([
      'location.state:invalid_state',
    ]);
    expect(problemsOf({ ...course, location: { city: 'Toronto', state: 'ON', country: 'CAN' } })).toEqual([]);
  });

  it('needs a delivery method for a course', () => {
    expect(problemsOf({ ...course, deliveryMethod: undefined })).toEqual(['deliveryMethod:required']);
  });

  it('reads codes and labels in any case', () => {
    const result = normalizeActivity({
      ...course,
      type: 'regularly scheduled series',
      deliveryMethod: 'In-Person',
      location: { city: 'Chicago', state: 'il', country: 'usa' },
      topics: ['Opioid prescribing', 'IMPLICIT_BIAS', 'opioid_prescribing'],
    });
    expect(result.ok && result.fields).toMatchObject({
      type: 'RSS',
      deliveryMethod: 'in_person',
      location: { state: 'IL', country: 'USA' },
      topics: ['implicit_bias', 'opioid_prescribing'],
    });
  });

  it('limits the description to 2,500 characters', () => {
    expect(problemsOf({ ...course, description: 'x'.repeat(2500) })).toEqual([]);
    expect(messagesOf({ ...course, description: 'x'.repeat(2501) })).toEqual([
      'Description is 2,501 characters; the most allowed is 2,500.',
    ]);
  });

  it('rejects impossible and mistyped dates', () => {
    expect(problemsOf({ ...course, startDate: '2026-02-30' })).toEqual(['startDate:invalid_date']);
    expect(problemsOf({ ...course, startDate: '03/10/2026' })).toEqual(['startDate:invalid_date']);
    expect(problemsOf({ ...course, startDate: '0206-03-10' })).toEqual(['startDate:date_out_of_range']);
  });

  describe('credits', () => {
    it('requires AMA PRA Category 1 above 0 in quarter steps', () => {
      expect(problemsOf({ ...course, credits: [] })).toEqual(['credits:ama_credit_required']);
      expect(problemsOf({ ...course, credits: [{ type: 'AMA_PRA_CAT1', amount: 0 }] })).toEqual([
        'credits.0.amount:not_positive',
      ]);
      expect(problemsOf({ ...course, credits: [{ type: 'AMA_PRA_CAT1', amount: 0.25 }] })).toEqual([]);
      // A sliver above 0 is no quarter step: stored to two decimals, it would be 0.
      expect(problemsOf({ ...course, credits: [{ type: 'AMA_PRA_CAT1', amount: 1e-10 }] })).toEqual(['credits.0.amount:not_quarter_step']);
      // A step computed in floating point is one.
      expect(problemsOf({ ...course, credits: [{ type: 'AMA_PRA_CAT1', amount: 1.7499999999999998 }] })).toEqual([]);
    });

    it('takes other credit types once each and sends MOC to its registration', () => {
      expect(
        problemsOf({
          ...course,
          credits: [
            { type: 'AMA_PRA_CAT1', amount: 1.5 },
            { type: 'nursing', amount: 1.5 },
            { type: 'NURSING', amount: 1 },
            { type: 'MOC_ABIM_MK', amount: 1.5 },
            { type: 'CAT2', amount: 1 },
          ],
        }),
      ).toEqual(['credits.2.type:duplicate', 'credits.3.type:moc_in_credits', 'credits.4.type:invalid_credit_type']);
    });
  });

  describe('MOC registrations', () => {
    it('keeps full credit type codes whether written as kind or code', () => {
      const result = normalizeActivity({
        ...course,
        mocRegistrations: [{ board: 'abim', points: 1.5, creditTypes: ['mk', 'MOC_ABIM_PR'], claimDate: '2026-12-31' }],
      });
      expect(result.ok && result.fields.mocRegistrations).toEqual([
        { board: 'ABIM', points: 1.5, creditTypes: ['MOC_ABIM_MK', 'MOC_ABIM_PR'], claimDate: '2026-12-31' },
      ]);
    });

    it('checks board, kinds, points and claim date', () => {
      expect(
        problemsOf({
          ...course,
          mocRegistrations: [
            { board: 'ABIM', points: 2, creditTypes: ['LA'], claimDate: '2026-01-01' },
            { board: 'ABXY', points: 1, creditTypes: ['MK'] },
            { board: 'ABP', points: 1, creditTypes: [] },
            { board: 'ABP', points: 1, creditTypes: ['LA'] },
          ],
        }),
      ).toEqual([
        'mocRegistrations.0.points:moc_points_above_credit',
        'mocRegistrations.0.creditTypes:invalid_credit_type',
        'mocRegistrations.0.claimDate:claim_before_start',
        'mocRegistrations.1.board:invalid_board',
        'mocRegistrations.2.creditTypes:required',
        'mocRegistrations.3.board:duplicate',
      ]);
    });
  });

  it('names joint providers only for a joint activity', () => {
    expect(problemsOf({ ...course, jointProviders: ['County Medical Society'] })).toEqual([
      'jointProviders:joint_providers_for_direct',
    ]);
    expect(problemsOf({ ...course, providership: 'joint', jointProviders: ['County Medical Society'] })).toEqual([]);
  });

  it('needs URL, fee and registration to list an activity in the catalog', () => {
    expect(problemsOf({ ...course, catalog: { listed: true } })).toEqual([
      'catalog.url:required',
      'catalog.fee:required',
      'catalog.registration:required',
    ]);
    expect(problemsOf({ ...course, catalog: { listed: true, url: 'javascript:alert(1)', fee: 'free', registration: 'open' } })).toEqual([
      'catalog.url:invalid_url',
    ]);
    expect(
      problemsOf({ ...course, catalog: { listed: true, url: 'https://cme.example.org/gr', fee: 'Variable', registration: 'Open to all' } }),
    ).toEqual([]);
  });

  it('needs an amount or in-kind for each commercial supporter', () => {
    expect(
      problemsOf({
        ...course,
        commercialSupport: { received: true, sources: [{ name: 'Acme Pharma' }, { name: 'Beta Devices', inKind: true }, { name: 'Gamma', amount: 12.5 }] },
      }),
    ).toEqual(['commercialSupport.sources.0.amount:support_detail_required', 'commercialSupport.sources.2.amount:invalid_amount']);
    expect(problemsOf({ ...course, commercialSupport: { received: false, sources: [{ name: 'Acme', amount: 100 }] } })).toEqual([
      'commercialSupport.sources:sources_without_support',
    ]);
  });

  it('counts learners in whole numbers from 0', () => {
    expect(problemsOf({ ...course, learners: { physicians: 0, others: 0 } })).toEqual([]);
    expect(problemsOf({ ...course, learners: { physicians: -1, others: 2.5 } })).toEqual([
      'learners.physicians:invalid_count',
      'learners.others:invalid_count',
    ]);
  });

  it('needs to know how each outcome was measured', () => {
    expect(problemsOf({ ...course, outcomes: [{ outcome: 'learner_competence', measurements: ['objective'] }] })).toEqual([]);
    expect(
      problemsOf({ ...course, outcomes: [{ outcome: 'Patient health', measurements: [] }, { outcome: 'patient_health', measurements: ['subjective'] }] }),
    ).toEqual(['outcomes.0.measurements:required', 'outcomes.1.outcome:duplicate']);
  });

  it('refuses control characters and line breaks in single-line text', () => {
    expect(problemsOf({ ...course, title: 'Grand\nRounds' })).toEqual(['title:invalid_characters']);
    expect(problemsOf({ ...course, description: 'Line one\nLine two' })).toEqual([]);
  });
});
