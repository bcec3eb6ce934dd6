import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A withdrawal is asked for in a request and carried out by the upload worker, page by page, so that a
// year-end file of a million reports does not hold a request for minutes. The withdrawal records who asked
// (the job acts for them), how far the job got and, once done, when. Withdrawals recorded before were done
// in their request: they are marked done as they were.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update uploads set withdrawal = withdrawal || jsonb_build_object(
      'requestedAt', withdrawal->'at',
      'requestedBy', jsonb_build_object('type', 'system', 'id', null, 'label', withdrawal->'by', 'role', 'operator', 'organizationId', null, 'organizationKind', null),
      'afterRow', 0)
    where withdrawal is not null`.execute(db);
  // The worker looks for withdrawals not yet done every few seconds: they are few among all uploads.
  await sql`create index uploads_withdrawal_not_done on uploads ((withdrawal->>'requestedAt')) where withdrawal is not null and withdrawal->>'at' is null`.execute(db);
}
