import type { Hub } from '../../hub.ts';
import { systemContext } from '../../http/actor.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import type { DemoOrganizations } from '../demo/demo-seeders.ts';
import * as repository from './activities.repository.ts';
import type { ActivityInput } from './activity.ts';
import { normalizeActivity } from './activity-rules.ts';
import { addDays, hubToday } from './dates.ts';
import type { ActivityStatus } from './lifecycle.ts';
import { statusProblems } from './lifecycle.ts';

type DemoActivity = ActivityInput & { status: ActivityStatus };

/** A year of a provider's activities around today: finished, running, upcoming and one still in draft. */
function demoActivities(today: string): DemoActivity[] {
  const day = (offset: number) => addDays(today, offset);
  const yearEnd = {
    commercialSupport: { received: false },
    outcomes: [{ outcome: 'learner_competence', measurements: ['objective', 'subjective'] }],
  };
  return [
    {
      providerActivityId: 'DEMO-OPIOIDS',
      title: 'Safer Opioid Prescribing and Pain Management',
      description: 'Case-based course on opioid risk assessment, tapering and non-opioid pain management.',
      type: 'C',
      deliveryMethod: 'in_person',
      startDate: day(-90),
      endDate: day(-89),
      location: { city: 'Chicago', state: 'IL', country: 'USA' },
      credits: [{ type: 'AMA_PRA_CAT1', amount: 6 }],
      topics: ['opioid_prescribing', 'pain_management', 'controlled_substances'],
      rems: { program: 'opioid_analgesic', identifier: null },
      learners: { physicians: 118, others: 22 },
      ...yearEnd,
      status: 'closed',
    },
    {
      providerActivityId: 'DEMO-EOL',
      title: 'End-of-Life Conversations',
      type: 'C',
      deliveryMethod: 'in_person',
      startDate: day(-20),
      endDate: day(-20),
      location: { city: 'Evanston', state: 'IL', country: 'USA' },
      credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }],
      topics: ['end_of_life_care', 'pain_management_end_of_life'],
      providership: 'joint',
      jointProviders: ['North Shore Hospice Association'],
      status: 'ready_to_close',
    },
    {
      providerActivityId: 'DEMO-TUMOR-BOARD',
      title: 'Weekly Multidisciplinary Tumor Board',
      type: 'RSS',
      deliveryMethod: 'in_person',
      startDate: day(-150),
      endDate: day(210),
      location: { city: 'Chicago', state: 'IL', country: 'USA' },
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
      mocRegistrations: [{ board: 'ABIM', points: 1, creditTypes: ['MK'], claimDate: day(240) }],
      specialties: ['Oncology', 'Radiology', 'Pathology'],
      status: 'active',
    },
    {
      providerActivityId: 'DEMO-MATE',
      title: 'Treating Opioid Use Disorder: the MATE Act 8 Hours',
      type: 'IEM',
      deliveryMethod: 'online',
      startDate: day(-60),
      endDate: day(300),
      credits: [{ type: 'AMA_PRA_CAT1', amount: 8 }],
      topics: ['substance_use_disorder', 'opioid_prescribing'],
      catalog: { listed: true, url: 'https://demo-academy.example.org/mate', fee: 'free', registration: 'open' },
      status: 'active',
    },
    {
      providerActivityId: 'DEMO-BIAS',
      title: 'Implicit Bias in Clinical Care',
      type: 'IL',
      deliveryMethod: 'live_streamed',
      startDate: day(14),
      endDate: day(14),
      credits: [
        { type: 'AMA_PRA_CAT1', amount: 1.5 },
        { type: 'NURSING', amount: 1.5 },
      ],
      topics: ['implicit_bias', 'health_equity', 'cultural_competency'],
      catalog: { listed: true, url: 'https://demo-academy.example.org/bias', fee: 'yes', registration: 'open' },
      status: 'active',
    },
    {
      providerActivityId: 'DEMO-GERIATRICS',
      title: 'Geriatrics Update: Falls, Delirium and Dementia',
      type: 'EM',
      deliveryMethod: 'online',
      startDate: day(-30),
      endDate: day(335),
      credits: [{ type: 'AMA_PRA_CAT1', amount: 3 }],
      topics: ['geriatrics', 'dementia'],
      mocRegistrations: [{ board: 'ABIM', points: 3, creditTypes: ['MK'], claimDate: day(365) }],
      status: 'active',
    },
    {
      providerActivityId: 'DEMO-ASTHMA-QI',
      title: 'Pediatric Asthma Quality Improvement',
      type: 'PI',
      startDate: day(-100),
      endDate: day(180),
      credits: [{ type: 'AMA_PRA_CAT1', amount: 20 }],
      mocRegistrations: [{ board: 'ABP', points: 20, creditTypes: ['QI'], claimDate: day(200) }],
      mipsImprovementActivity: true,
      status: 'active',
    },
    {
      providerActivityId: 'DEMO-ETHICS',
      title: 'Ethics Grand Rounds (planning)',
      type: 'C',
      deliveryMethod: 'in_person',
      startDate: day(60),
      endDate: day(60),
      location: { city: 'Chicago', state: 'IL', country: 'USA' },
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
      topics: ['ethics'],
      status: 'draft',
    },
  ];
}

/** The demo provider's activities, checked by the same rules as any other. */
export async function seedDemoActivities(hub: Hub, organizations: DemoOrganizations): Promise<void> {
  const provider = organizations.providers[0];
  const today = hubToday();
  const context = systemContext('demo data');
  await hub.db.transaction().execute(async (trx) => {
    for (const activity of demoActivities(today)) {
      const normalized = normalizeActivity(activity);
      if (!normalized.ok) throw new Error(`Demo activity ${activity.providerActivityId}: ${normalized.problems[0].message}`);
      const problems = statusProblems(null, activity.status, normalized.fields, today);
      if (problems.length) throw new Error(`Demo activity ${activity.providerActivityId}: ${problems[0].message}`);
      const id = await repository.nextActivityId(trx);
      await repository.insertActivity(trx, provider.id, id, normalized.fields, activity.status);
      await recordAudit(trx, context, {
        action: 'activity.create',
        entityType: 'activity',
        entityId: id,
        organizationId: provider.id,
        details: { statusFrom: null, statusTo: activity.status },
      });
    }
  });
}
