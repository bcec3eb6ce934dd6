import type { Kysely } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { ConflictError, NotFoundError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { normalizeName } from '../../matching/names.ts';
import { personMatchKey } from '../identity-key.ts';
import * as repository from '../reports.repository.ts';

/**
 * Pending reports a physician may claim: reported under the physician's name and birth month and
 * day, but not matched because an identifier was missing or mistyped. A completion already in the
 * physician's passport from another report is not offered: its claim would be refused. Each report
 * shows what the provider identified the learner by (name, license, NPI, board ID as sent, never a
 * birth date), for the physician to tell it is theirs before claiming it.
 */
export async function listClaimableReports(executor: Executor, context: RequestContext) {
  authorize(context.actor, 'ownCredits.read');
  const rows = await claimableRows(executor, context.actor.personId as string);
  await recordAudit(executor, context, {
    action: 'learner_report.claimable.read',
    entityType: 'person',
    entityId: context.actor.personId,
    organizationId: null,
    details: { count: rows.length },
  });
  return {
    items: rows.map((row) => ({
      id: row.id,
      activityId: row.activity_id as string,
      activityTitle: row.activity_title,
      providerName: row.provider_name,
      completionDate: row.completion_date as string,
      credits: row.credits.map((credit) => ({ type: credit.type, amount: Number(credit.amount) })),
      reportedAs: {
        firstName: row.first_name,
        lastName: row.last_name,
        state: row.state,
        licenseNumber: lastCharacters(row.license_number),
        npi: lastCharacters(row.npi),
        board: row.board,
        boardId: lastCharacters(row.board_id),
      },
    })),
  };
}

/** The physician says a pending report is theirs: it is accepted and its credit delivered. */
export async function claimPendingReport(db: Kysely<DB>, context: RequestContext, reportId: string) {
  authorize(context.actor, 'ownCredits.read');
  const personId = context.actor.personId as string;
  return db.transaction().execute(async (trx) => {
    const row = (await claimableRows(trx, personId)).find((candidate) => candidate.id === reportId);
    if (!row) throw new NotFoundError('claimable report');
    const matchKey = personMatchKey(personId);
    const [taken] = await repository.findLiveReportsByKeys(trx, row.provider_org_id, [
      { activityId: row.activity_id as string, matchKey, sessionDate: row.session_date },
    ]);
    if (taken) throw alreadyInPassport();
    const [claimed] = await repository
      .applyMatchUpdates(trx, [{ id: row.id, status: 'accepted', personId, matchKey, matchRule: 'claimed', problems: [] }])
      .catch((error: unknown) => {
        if (repository.isUniqueViolation(error)) throw alreadyInPassport();
        throw error;
      });
    if (!claimed) throw new NotFoundError('claimable report');
    await repository.insertCreditLines(
      trx,
      claimed.credits.map((credit) => ({
        personId,
        reportId: claimed.id,
        creditType: credit.type,
        amount: Number(credit.amount),
        providerOrgId: claimed.provider_org_id,
        activityId: claimed.activity_id as string,
        completionDate: claimed.completion_date as string,
        reportedAt: new Date(claimed.reported_at),
      })),
    );
    await repository.insertHistory(trx, [
      {
        reportId: claimed.id,
        providerOrgId: claimed.provider_org_id,
        action: 'matched',
        actor: context.actor.label,
        reason: 'Claimed by the physician',
        before: { status: 'pending', personId: null },
        after: { status: 'accepted', personId },
      },
    ]);
    await recordAudit(trx, context, {
      action: 'learner_report.claim',
      entityType: 'learner_report',
      entityId: claimed.id,
      organizationId: claimed.provider_org_id,
    });
    return repository.toLearnerReportView(claimed);
  });
}

function alreadyInPassport(): ConflictError {
  return new ConflictError('already_reported', 'This completion is already in your passport from another report.');
}

async function claimableRows(executor: Executor, personId: string) {
  const person = await repository.findPersonIdentity(executor, personId);
  if (!person || person.birth_month === null || person.birth_day === null) return [];
  const candidates = await repository.findPendingByBirthDate(executor, person.birth_month, person.birth_day, personMatchKey(personId));
  return candidates.filter(
    (row) =>
      normalizeName(row.last_name).key === person.last_key && normalizeName(row.first_name).key === person.first_key,
  );
}

/**
 * A number as a physician checks it is theirs without reading another's whole: its last three characters
 * ("•••345"). The list of reports to claim is found by name and birthday alone, which another physician may share.
 */
function lastCharacters(number: string | null): string | null {
  return number === null ? null : `•••${number.slice(-3)}`;
}
