import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { authorize } from '../../../policy/policy.ts';
import { hubToday } from '../../activities/dates.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import * as repository from '../reports.repository.ts';

/** Reports are kept at least this long after their activity ended. */
export const RETENTION_YEARS = 6;

export type PurgeResult = {
  cutoffDate: string;
  purged: number;
  traces: { providerOrgId: string; activityId: string | null; reportCount: number }[];
};

/**
 * The operator's retention job: removes reports (with their credit lines and history) of activities
 * that ended more than six years ago, and leaves per activity an aggregate trace of what was removed:
 * how many reports in which status and how much credit of each type, with no personal data.
 */
export async function purgeOldReports(
  db: Kysely<DB>,
  context: RequestContext,
  options: { today?: string; retentionYears?: number } = {},
): Promise<PurgeResult> {
  authorize(context.actor, 'learnerReport.purge');
  const retentionYears = Math.max(options.retentionYears ?? RETENTION_YEARS, RETENTION_YEARS);
  const today = options.today ?? hubToday();
  const cutoffDate = `${Number(today.slice(0, 4)) - retentionYears}${today.slice(4)}`.replace(/-02-29$/, '-02-28');
  return db.transaction().execute(async (trx) => {
    const groups = await repository.summarizeExpiredReports(trx, cutoffDate);
    if (groups.length === 0) return { cutoffDate, purged: 0, traces: [] };
    await repository.insertPurgeTraces(
      trx,
      groups.map((group) => ({ ...group, purged_by: context.actor.label, cutoff_date: cutoffDate })),
    );
    const purged = await repository.deleteExpiredReports(trx, cutoffDate);
    await recordAudit(trx, context, {
      action: 'learner_report.purge',
      entityType: 'learner_report_batch',
      entityId: null,
      details: { cutoffDate, purged, activities: groups.length },
    });
    return {
      cutoffDate,
      purged,
      traces: groups.map((group) => ({
        providerOrgId: group.provider_org_id,
        activityId: group.activity_id,
        reportCount: group.report_count,
      })),
    };
  });
}
