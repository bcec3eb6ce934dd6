import type { Activity } from '../activities/activitiesApi.ts';

/** What an activity that needs attention is waiting for, in the coordinator's words. */
export function nextStep(activity: Activity, today: string): string | undefined {
  if (activity.status === 'draft') return 'Activate it to take learner reports';
  if (activity.status === 'closed' || activity.endDate >= today) return undefined;
  if (activity.allowedStatusChanges.includes('closed')) return 'Ended: close it';
  if (activity.status === 'active') return 'Ended: mark it ready to close';
  return 'Add its year-end data, then close it';
}
