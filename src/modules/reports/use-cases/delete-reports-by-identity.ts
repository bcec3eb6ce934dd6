import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import type { Problem } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { identityMatchKey, personMatchKey } from '../identity-key.ts';
import { findReportingActivities, matchReportedIdentities } from '../reports.dependencies.ts';
import { sessionDateFor } from '../report-rules.ts';
import * as repository from '../reports.repository.ts';
import type { NaturalKey } from '../reports.repository.ts';
import type { ReportedLearner } from '../reports.schemas.ts';
import { deleteLearnerReports } from './delete-learner-reports.ts';
import type { ReportReceipt } from './ingest-learner-reports.ts';

/**
 * The receipt of a row that deleted the report it names (MedBiquitous LearnerRecordAction "delete"): its
 * status says so, so that it is not read as a report taken in.
 */
export type DeletionReceipt = { id: string; status: 'deleted'; duplicate: false; late: boolean; deleted: true; problems: Problem[] };

export type ReportToDelete = {
  rowNumber?: number;
  input: { activityId: string; completionDate: string; learner: ReportedLearner } | null;
  parseProblems: Problem[];
};

/**
 * Deletes reports named by what they report (activity, completion and learner) rather than by id,
 * as a MedBiquitous document does with LearnerRecordAction "delete". Each row gets a receipt: the
 * deleted report's, or a rejection when no report on file fits.
 */
export async function deleteReportsByIdentity(
  executor: Executor,
  context: RequestContext,
  providerOrgId: string,
  rows: ReportToDelete[],
  reason: string,
): Promise<(DeletionReceipt | ReportReceipt)[]> {
  authorize(context.actor, 'learnerReport.delete', { organizationId: providerOrgId }, 'provider');
  const readable = rows.filter((row) => row.input !== null && row.parseProblems.length === 0);
  const activities = await findReportingActivities(executor, providerOrgId, [...new Set(readable.map((row) => row.input!.activityId))]);
  const matches = await matchReportedIdentities(
    executor,
    readable.map((row) => row.input!.learner),
  );
  const keysOf = new Map<ReportToDelete, NaturalKey[]>();
  readable.forEach((row, index) => {
    const input = row.input!;
    const activity = activities.get(input.activityId);
    const activityId = activity?.id ?? input.activityId;
    const sessionDate = activity ? sessionDateFor(activity.type, input.completionDate) : null;
    const personId = matches[index].status === 'matched' ? matches[index].personId : null;
    keysOf.set(row, [
      ...(personId ? [{ activityId, matchKey: personMatchKey(personId), sessionDate }] : []),
      { activityId, matchKey: identityMatchKey(input.learner), sessionDate },
    ]);
  });
  const onFile = await repository.findLiveReportsByKeys(executor, providerOrgId, [...keysOf.values()].flat());
  const byKey = new Map(onFile.map((report) => [`${report.activity_id}|${report.match_key}|${report.session_date ?? ''}`, report]));
  const found = rows.map((row) =>
    (keysOf.get(row) ?? [])
      .map((key) => byKey.get(`${key.activityId}|${key.matchKey}|${key.sessionDate ?? ''}`))
      .find((report) => report !== undefined),
  );
  await deleteLearnerReports(
    executor,
    context,
    found.filter((report) => report !== undefined).map((report) => report.id),
    reason,
  );
  return rows.map((row, index): DeletionReceipt | ReportReceipt => {
    const report = found[index];
    const withRow = (problems: Problem[]) => problems.map((problem) => ({ ...problem, ...(row.rowNumber ? { row: row.rowNumber } : {}) }));
    if (report) {
      return { id: report.id, status: 'deleted', duplicate: false, late: report.late, deleted: true, problems: [] };
    }
    return {
      id: null,
      status: 'rejected' as const,
      duplicate: false,
      late: false,
      problems: withRow(
        row.parseProblems.length > 0
          ? row.parseProblems
          : [
              {
                code: 'report_not_found',
                field: 'learner',
                message: 'No report on file fits this learner, activity and completion date, so there is nothing to delete.',
              },
            ],
      ),
    };
  });
}
