import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Learner reports are tenant data of the provider (keyed by provider_org_id); the credit lines of
// accepted reports are copied, with the person's key, to learner_report_credits, the table that
// passport and board reads use and that can be distributed by person.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('learner_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull())
    // As reported; null only when the row could not be read at all (kept, rejected, to be fixed).
    .addColumn('activity_id', 'text')
    .addColumn('person_id', 'uuid')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('accepted', 'pending', 'rejected')`))
    // 'person:<id>' once matched, 'identity:<normalized identity>' while pending; null when rejected.
    .addColumn('match_key', 'text')
    // The completion date for a regular series (one report per session), null for any other activity.
    .addColumn('session_date', 'date')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('birth_month', 'smallint', (c) => c.check(sql`birth_month between 1 and 12`))
    .addColumn('birth_day', 'smallint', (c) => c.check(sql`birth_day between 1 and 31`))
    .addColumn('state', 'text')
    .addColumn('license_number', 'text')
    .addColumn('npi', 'text')
    .addColumn('board', 'text')
    .addColumn('board_id', 'text')
    .addColumn('completion_date', 'date')
    .addColumn('consent', 'text', (c) => c.check(sql`consent in ('written', 'implied')`))
    .addColumn('credit_id', 'text')
    .addColumn('credits', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('problems', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('match_rule', 'text')
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('upload_id', 'uuid')
    .addColumn('row_number', 'integer')
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'text')
    .addColumn('delete_reason', 'text')
    .addCheckConstraint('learner_report_match', sql`status <> 'accepted' or person_id is not null`)
    .addCheckConstraint('learner_report_key', sql`status = 'rejected' or match_key is not null`)
    .execute();

  // The natural key: one physician, one activity, one session (regular series) is one report.
  // Pending reports take part with their identity as reported, so a pending report sent again is
  // recognised too. Deleted and rejected reports are kept but free the key.
  await sql`
    create unique index learner_reports_natural_key
      on learner_reports (provider_org_id, activity_id, match_key, session_date) nulls not distinct
      where deleted_at is null and status <> 'rejected'`.execute(db);
  await db.schema
    .createIndex('learner_reports_activity')
    .on('learner_reports')
    .columns(['provider_org_id', 'activity_id', 'id'])
    .execute();
  await db.schema
    .createIndex('learner_reports_provider')
    .on('learner_reports')
    .columns(['provider_org_id', 'reported_at'])
    .execute();
  await db.schema
    .createIndex('learner_reports_pending')
    .on('learner_reports')
    .columns(['provider_org_id', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('learner_reports_upload').on('learner_reports').column('upload_id').execute();

  await db.schema
    .createTable('learner_report_credits')
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('report_id', 'uuid', (c) => c.notNull())
    .addColumn('credit_type', 'text', (c) => c.notNull())
    .addColumn('amount', 'numeric(6, 2)', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('completion_date', 'date', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('learner_report_credits_pk', ['person_id', 'report_id', 'credit_type'])
    .execute();
  await db.schema
    .createIndex('learner_report_credits_person_date')
    .on('learner_report_credits')
    .columns(['person_id', 'completion_date'])
    .execute();
  await db.schema
    .createIndex('learner_report_credits_report')
    .on('learner_report_credits')
    .column('report_id')
    .execute();
  await db.schema
    .createIndex('learner_report_credits_type')
    .on('learner_report_credits')
    .columns(['credit_type', 'person_id'])
    .execute();

  await db.schema
    .createTable('learner_report_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('report_id', 'uuid', (c) => c.notNull())
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('corrected', 'deleted', 'matched', 'rejected_as_duplicate')`),
    )
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('reason', 'text')
    .addColumn('before', 'jsonb', (c) => c.notNull())
    .addColumn('after', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('learner_report_history_report')
    .on('learner_report_history')
    .columns(['report_id', 'id'])
    .execute();

  await db.schema
    .createTable('report_purge_traces')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('purged_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('purged_by', 'text', (c) => c.notNull())
    .addColumn('cutoff_date', 'date', (c) => c.notNull())
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull())
    .addColumn('activity_id', 'text')
    .addColumn('report_count', 'integer', (c) => c.notNull())
    .addColumn('status_counts', 'jsonb', (c) => c.notNull())
    .addColumn('credit_totals', 'jsonb', (c) => c.notNull())
    .execute();
}
