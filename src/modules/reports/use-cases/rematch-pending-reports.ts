import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { personMatchKey } from '../identity-key.ts';
import { decideOutcome } from '../report-outcome.ts';
import { snapshotOf } from '../report-snapshot.ts';
import { matchReportedIdentities } from '../reports.dependencies.ts';
import * as repository from '../reports.repository.ts';
import type { CreditLineRow, HistoryEntry, LearnerReportRow, MatchUpdate } from '../reports.repository.ts';
import type { ReportedLearner } from '../reports.schemas.ts';

export type RematchScope = {
  /** Only this provider's pending reports (a provider asking for a new try). */
  providerOrgId?: string;
  /** A state's roster was loaded: only reports naming a license of that state, or no license at all. */
  jurisdiction?: string;
  /** A certifying board's roster was loaded: only reports naming that board, or no board at all. */
  boardCode?: string;
  /** Only these reports (a physician claiming one). */
  reportIds?: string[];
  batchSize?: number;
};

export type RematchResult = { examined: number; accepted: number; duplicates: number; stillPending: number };

const DUPLICATE_PROBLEM = {
  code: 'duplicate_report',
  field: 'learner',
  message: 'Once matched, this learner turned out to be reported already for this activity; this copy carries no credit.',
};

/**
 * Matches pending reports again, after a roster or the registry changed. Reports that now match one
 * person are accepted and their credit is delivered; a report that turns out to repeat one already on
 * file is refused as a duplicate. One transaction per batch, so a long run never holds a lock for long.
 */
export async function rematchPendingReports(
  db: Kysely<DB>,
  context: RequestContext,
  scope: RematchScope = {},
): Promise<RematchResult> {
  const result: RematchResult = { examined: 0, accepted: 0, duplicates: 0, stillPending: 0 };
  const batchSize = scope.batchSize ?? 2000;
  let afterId: string | undefined;
  for (;;) {
    const page = await db.transaction().execute(async (trx) => {
      const pending = await repository.findPendingReports(trx, {
        providerOrgId: scope.providerOrgId,
        jurisdiction: scope.jurisdiction,
        boardCode: scope.boardCode,
        reportIds: scope.reportIds,
        afterId,
        limit: batchSize,
      });
      if (pending.length === 0) return pending;
      const matches = await matchReportedIdentities(trx, pending.map(learnerOf));
      const matched: { row: LearnerReportRow; personId: string; rule: string | null }[] = [];
      pending.forEach((row, index) => {
        const outcome = decideOutcome([], matches[index]);
        if (outcome.status === 'accepted' && outcome.personId) {
          matched.push({ row, personId: outcome.personId, rule: outcome.matchRule });
        }
      });
      const taken = await repository.findLiveReportsByKeys(
        trx,
        null,
        matched.map(({ row, personId }) => ({
          activityId: row.activity_id as string,
          matchKey: personMatchKey(personId),
          sessionDate: row.session_date,
        })),
      );
      const takenKeys = new Set(taken.map((row) => keyOf(row.activity_id, row.match_key, row.session_date)));
      // Of two pending reports that turn out to be the same, the one reported first is kept.
      matched.sort(
        (a, b) =>
          new Date(a.row.reported_at).getTime() - new Date(b.row.reported_at).getTime() ||
          (a.row.row_number ?? 0) - (b.row.row_number ?? 0),
      );
      const updates: MatchUpdate[] = [];
      for (const { row, personId, rule } of matched) {
        const key = keyOf(row.activity_id, personMatchKey(personId), row.session_date);
        const duplicate = takenKeys.has(key);
        takenKeys.add(key);
        updates.push(
          duplicate
            ? { id: row.id, status: 'rejected', personId: null, matchKey: null, matchRule: null, problems: [DUPLICATE_PROBLEM] }
            : { id: row.id, status: 'accepted', personId, matchKey: personMatchKey(personId), matchRule: rule, problems: [] },
        );
      }
      const updated = await repository.applyMatchUpdates(trx, updates);
      const before = new Map(pending.map((row) => [row.id, row]));
      const accepted = updated.filter((row) => row.status === 'accepted');
      await repository.insertCreditLines(trx, accepted.flatMap(creditLinesOf));
      await repository.insertHistory(
        trx,
        updated.map(
          (row): HistoryEntry => ({
            reportId: row.id,
            providerOrgId: row.provider_org_id,
            action: row.status === 'accepted' ? 'matched' : 'rejected_as_duplicate',
            actor: context.actor.label,
            reason: row.status === 'accepted' ? 'Matched again after a registry change' : DUPLICATE_PROBLEM.message,
            before: pick(snapshotOf(before.get(row.id) ?? row)),
            after: pick(snapshotOf(row)),
          }),
        ),
      );
      if (updated.length > 0) {
        await recordAudit(trx, context, {
          action: 'learner_report.rematch',
          entityType: 'learner_report_batch',
          entityId: null,
          details: { examined: pending.length, accepted: accepted.length, duplicates: updated.length - accepted.length },
        });
      }
      result.examined += pending.length;
      result.accepted += accepted.length;
      result.duplicates += updated.length - accepted.length;
      result.stillPending += pending.length - updated.length;
      return pending;
    });
    if (page.length < batchSize) return result;
    afterId = page[page.length - 1].id;
  }
}

function keyOf(activityId: string | null, matchKey: string | null, sessionDate: string | null): string {
  return `${activityId}|${matchKey}|${sessionDate ?? ''}`;
}

function pick(snapshot: Record<string, unknown>) {
  return { status: snapshot.status, personId: snapshot.personId };
}

/** A report is pending only when its learner was reported whole but not found in the registry. */
function learnerOf(row: LearnerReportRow): ReportedLearner {
  const learner = repository.reportedLearnerOf(row);
  if (!learner) throw new Error(`Pending report ${row.id} has no reported learner`);
  return learner;
}

function creditLinesOf(row: LearnerReportRow): CreditLineRow[] {
  return row.credits.map((credit) => ({
    personId: row.person_id as string,
    reportId: row.id,
    creditType: credit.type,
    amount: Number(credit.amount),
    providerOrgId: row.provider_org_id,
    activityId: row.activity_id as string,
    completionDate: row.completion_date as string,
    reportedAt: new Date(row.reported_at),
  }));
}
