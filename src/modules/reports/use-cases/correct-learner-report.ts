import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { inWords } from '../../../words.ts';
import { hubToday } from '../../activities/dates.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { identityMatchKey, personMatchKey } from '../identity-key.ts';
import { findNamedActivities, matchReportedIdentities } from '../reports.dependencies.ts';
import { decideOutcome } from '../report-outcome.ts';
import type { IdentityMatch } from '../report-outcome.ts';
import { activityNotFound, checkReportRules, isLate, sessionDateFor } from '../report-rules.ts';
import { changedFields, snapshotOf } from '../report-snapshot.ts';
import * as repository from '../reports.repository.ts';
import type { LearnerReportCorrection } from '../reports.schemas.ts';

/**
 * Corrects a report in place (credits, completion date, identity, consent, credit ID; the activity only of a report
 * whose activity could not be read). The corrected report passes the same rules as a new one: a rejected report can
 * become accepted or pending; a correction that would reject a report on file (accepted or pending) is refused, and the
 * report left as it was. The change is kept in the report's history with who made it and why: an accepted report's
 * correction must say why.
 */
export async function correctLearnerReport(
  executor: Executor,
  context: RequestContext,
  id: string,
  correction: LearnerReportCorrection,
) {
  const { actor } = context;
  const [row] = await repository.findReportsForUpdate(executor, null, [id]);
  if (!row) throw new NotFoundError('learner report');
  authorize(actor, 'learnerReport.correct', { organizationId: row.provider_org_id }, 'learner report');
  if (row.deleted_at) {
    throw new ConflictError('report_deleted', 'This report was deleted; report the learner again instead.');
  }
  // An accepted report's credit is on the physician's record, which boards read: its history keeps why it changed.
  if (row.status === 'accepted' && !correction.reason) {
    throw new ValidationError([{ code: 'reason_required', field: 'reason', message: correctionReasonMessage }], correctionReasonMessage);
  }
  const learner = correction.learner ?? repository.reportedLearnerOf(row);
  const missing = [
    ...(row.activity_id || correction.activityId ? [] : ['activityId']),
    ...(learner ? [] : ['learner']),
    ...(correction.completionDate ?? row.completion_date ? [] : ['completionDate']),
  ];
  if (!learner || missing.length > 0) {
    throw new ConflictError(
      'report_unreadable',
      `This report could not be read when it was sent: give its ${inWords(missing)} in the correction, as it holds ${missing.length === 1 ? 'none' : 'none of them'}.`,
    );
  }
  // The activity a report names is kept; one that names none of the provider's (an ID mistyped, or none read) is corrected.
  const activities = await findNamedActivities(executor, row.provider_org_id, [row.activity_id, correction.activityId].filter((id) => id != null));
  const stored = row.activity_id ? activities.named(row.activity_id, null) : undefined;
  const corrected = correction.activityId ? activities.named(correction.activityId, null) : undefined;
  if (correction.activityId && !corrected) throw new ValidationError([activityNotFound(correction.activityId, activities.misspelt(correction.activityId))]);
  if (stored && corrected && corrected.id !== stored.id) {
    throw new ConflictError(
      'activity_not_corrected',
      `This report is for activity ${stored.id}, which a correction does not change: delete the report and report the learner for the other activity.`,
    );
  }
  const activity = stored ?? corrected;
  const activityId = corrected?.id ?? row.activity_id!;
  const report = {
    activityId,
    completionDate: correction.completionDate ?? (row.completion_date as string),
    credits: correction.credits ?? row.credits.map((credit) => ({ type: credit.type, amount: Number(credit.amount) })),
    consent: correction.consent ?? row.consent,
    creditId: correction.creditId !== undefined ? correction.creditId : row.credit_id,
  };

  const ruleProblems = checkReportRules(report, activity, row.provider_org_id, hubToday());
  const keepsMatch = correction.learner === undefined && row.status === 'accepted' && row.person_id !== null;
  const match: IdentityMatch = keepsMatch
    ? { status: 'matched', personId: row.person_id, rule: row.match_rule, problems: [] }
    : (await matchReportedIdentities(executor, [learner]))[0];
  const outcome = decideOutcome(ruleProblems, match);
  // A typo in a correction would otherwise take a physician's credit away: taking it away is a deletion, said as one.
  if (row.status !== 'rejected' && outcome.status === 'rejected') {
    throw new ValidationError(
      outcome.problems,
      `The correction was not made: the report would be rejected, and is left as it was, ${row.status}. Correct what the problems say; to take the credit away, delete the report.`,
    );
  }
  const sessionDate = activity ? sessionDateFor(activity.type, report.completionDate) : null;
  const matchKey =
    outcome.status === 'accepted' && outcome.personId
      ? personMatchKey(outcome.personId)
      : outcome.status === 'pending'
        ? identityMatchKey(learner)
        : null;

  if (matchKey) {
    const clash = (
      await repository.findLiveReportsByKeys(executor, row.provider_org_id, [{ activityId, matchKey, sessionDate }])
    ).find((other) => other.id !== row.id);
    if (clash) throw alreadyReported(activityId, sessionDate, clash.id);
  }

  const updated = await repository
    .updateReport(executor, row.id, {
    ...(activityId !== row.activity_id ? { activity_id: activityId } : {}),
    status: outcome.status,
    person_id: outcome.personId,
    match_rule: outcome.matchRule,
    problems: outcome.problems,
    match_key: matchKey,
    session_date: sessionDate,
    completion_date: report.completionDate,
    credits: report.credits,
    consent: report.consent,
    credit_id: report.creditId ?? null,
    late: isLate(report.completionDate, hubToday(new Date(row.reported_at))),
    first_name: learner.firstName,
    last_name: learner.lastName,
    birth_month: learner.birthMonth,
    birth_day: learner.birthDay,
    state: learner.state ?? null,
    license_number: learner.licenseNumber ?? null,
    npi: learner.npi ?? null,
    board: learner.board ?? null,
    board_id: learner.boardId ?? null,
    })
    .catch((error: unknown) => {
      if (repository.isUniqueViolation(error)) throw alreadyReported(activityId, sessionDate);
      throw error;
    });

  await repository.deleteCreditLines(executor, [row.id]);
  if (updated.status === 'accepted' && updated.person_id) {
    await repository.insertCreditLines(
      executor,
      report.credits.map((credit) => ({
        personId: updated.person_id as string,
        reportId: updated.id,
        creditType: credit.type,
        amount: credit.amount,
        providerOrgId: updated.provider_org_id,
        activityId,
        completionDate: report.completionDate,
        reportedAt: new Date(updated.reported_at),
      })),
    );
  }
  const { before, after } = changedFields(snapshotOf(row), snapshotOf(updated));
  // The same correction sent again changes nothing and leaves no trace.
  if (Object.keys(after).length === 0) return repository.toLearnerReportView(updated);
  await repository.insertHistory(executor, [
    {
      reportId: row.id,
      providerOrgId: row.provider_org_id,
      action: 'corrected',
      actor: actor.label,
      reason: correction.reason ?? null,
      before,
      after,
    },
  ]);
  await recordAudit(executor, context, {
    action: 'learner_report.correct',
    entityType: 'learner_report',
    entityId: row.id,
    organizationId: row.provider_org_id,
    details: { fields: Object.keys(after), status: updated.status },
  });
  return repository.toLearnerReportView(updated);
}

const correctionReasonMessage =
  'Give a reason for the correction (reason): the report is accepted, its credit on the physician\'s record, where their boards see it, and its history keeps who changed what, when and why. A rejected or pending report is corrected without one.';

function alreadyReported(activityId: string, sessionDate: string | null, otherId?: string): ConflictError {
  return new ConflictError(
    'already_reported',
    `${otherId ? `Report ${otherId}` : 'Another report'} already records this learner for activity ${activityId}${sessionDate ? ` on ${sessionDate}` : ''}. Correct or delete that one instead.`,
  );
}
