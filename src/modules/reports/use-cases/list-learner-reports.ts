import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { cursorField, decodeCursor, encodeCursor } from '../../../http/cursor.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { findReportingActivities, requestedProvider } from '../reports.dependencies.ts';
import * as repository from '../reports.repository.ts';
import type { ListLearnerReportsQuery } from '../reports.schemas.ts';

/** A provider's reports, newest first, filtered by activity, status, date and search, in pages. */
export async function listLearnerReports(executor: Executor, context: RequestContext, query: ListLearnerReportsQuery) {
  const { actor } = context;
  const providerOrgId = await requestedProvider(executor, actor, { requested: query.providerOrgId, action: 'learnerReport.read', what: 'learner reports' });
  // The activity by its hub ID or the provider's own; an ID that names none still finds the rejected reports that gave it.
  const named = query.activityId && providerOrgId ? (await findReportingActivities(executor, providerOrgId, [query.activityId])).get(query.activityId) : undefined;
  const filters = {
    providerOrgId,
    activityId: named?.id ?? query.activityId,
    status: query.status,
    since: query.since,
    search: query.search,
    late: query.late === undefined ? undefined : query.late === 'true',
    includeDeleted: query.includeDeleted === 'true',
  };
  // A cursor goes on the list it came from: with other filters, its position would page a list it does not belong to.
  const after = query.cursor ? decodeCursor(query.cursor, { reportedAt: cursorField.databaseTime, id: cursorField.id }, filters) : undefined;
  const rows = await repository.listReports(executor, { ...filters, after, limit: query.limit });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const activityIds = page.flatMap((row) => (row.activity_id ? [row.activity_id] : []));
  const activityNames = providerOrgId ? await repository.findActivityNames(executor, providerOrgId, activityIds) : new Map<string, repository.ActivityName>();
  await recordAudit(executor, context, {
    action: 'learner_report.list',
    entityType: 'learner_report',
    entityId: null,
    organizationId: providerOrgId,
    details: { count: page.length, activityId: query.activityId ?? null, status: query.status ?? null },
  });
  return {
    items: page.map((row) => ({ ...repository.toLearnerReportView(row), activity: (row.activity_id && activityNames.get(row.activity_id)) || null })),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ reportedAt: last.reported_at_text, id: last.id }, filters)
        : null,
  };
}
