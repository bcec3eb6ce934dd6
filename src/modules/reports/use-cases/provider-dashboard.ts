import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { authorize } from '../../../policy/policy.ts';
import { hubToday } from '../../activities/dates.ts';
import * as repository from '../reports.repository.ts';

/**
 * A provider's reporting at a glance: what was reported in a month (per activity), what is waiting
 * to be fixed, and how promptly this year's completions were reported.
 */
export async function providerDashboard(
  executor: Executor,
  context: RequestContext,
  providerOrgId: string,
  month: string = hubToday().slice(0, 7),
) {
  authorize(context.actor, 'providerDashboard.read', { organizationId: providerOrgId }, 'provider');
  const from = `${month}-01`;
  const [year, monthNumber] = month.split('-').map(Number);
  const to = monthNumber === 12 ? `${year + 1}-01-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}-01`;
  const [perActivity, toFix, timeliness] = await Promise.all([
    repository.countReportsByActivity(executor, providerOrgId, { from, to }),
    repository.countReportsToFix(executor, providerOrgId),
    repository.reportingTimeliness(executor, providerOrgId, `${year}-01-01`),
  ]);
  const activityIds = perActivity.map((row) => row.activity_id).filter((id): id is string => id !== null);
  const nameOf = await repository.findActivityNames(executor, providerOrgId, activityIds);
  const isKnown = (row: { activity_id: string | null }) => row.activity_id !== null && nameOf.has(row.activity_id);
  const unknownActivityTitle = (activityId: string | null) => {
    if (activityId === null) return 'Rows with no activity ID';
    return nameOf.has(activityId) ? null : `Not an activity of yours: "${activityId}"`;
  };
  const thisMonth = { accepted: 0, pending: 0, rejected: 0, late: 0, total: 0 };
  for (const row of perActivity) {
    thisMonth.accepted += row.accepted;
    thisMonth.pending += row.pending;
    thisMonth.rejected += row.rejected;
    thisMonth.late += row.late;
    thisMonth.total += row.total;
  }
  return {
    month,
    thisMonth,
    toFix,
    timeliness: {
      reported: timeliness.reported,
      onTime: timeliness.reported - timeliness.late,
      late: timeliness.late,
      onTimeShare: timeliness.reported > 0 ? (timeliness.reported - timeliness.late) / timeliness.reported : null,
      medianDaysToReport: timeliness.median_days === null ? null : Number(timeliness.median_days),
    },
    // Rows naming no activity of the provider (rejected for it) come last, titled as what they are.
    activities: [...perActivity.filter((row) => isKnown(row)), ...perActivity.filter((row) => !isKnown(row))].map((row) => ({
      activityId: row.activity_id ?? '',
      title: unknownActivityTitle(row.activity_id) ?? nameOf.get(row.activity_id as string)?.title ?? null,
      accepted: row.accepted,
      pending: row.pending,
      rejected: row.rejected,
      late: row.late,
      total: row.total,
      lastReportedAt: row.last_reported_at ? new Date(row.last_reported_at).toISOString() : null,
    })),
  };
}
