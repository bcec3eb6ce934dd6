import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Activities are tenant data of their provider (provider_org_id). The hub activity ID is 8 digits
// from activity_id_seq plus a check digit (src/modules/activities/hub-activity-id.ts); a sequence
// never hands a value out twice, so an ID is never reused, even after a delete.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence activity_id_seq as integer minvalue 10000000 maxvalue 99999999 start 10000000 no cycle`.execute(db);

  await db.schema
    .createTable('activities')
    .addColumn('id', 'char(9)', (c) => c.primaryKey())
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('provider_activity_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('C', 'RSS', 'IL', 'EM', 'IEM', 'JN', 'MR', 'TIW', 'CML', 'PI', 'ISL', 'LFT', 'OTHER')`),
    )
    .addColumn('delivery_method', 'text', (c) =>
      c.check(sql`delivery_method in ('in_person', 'live_streamed', 'online', 'print_other')`),
    )
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date', (c) => c.notNull())
    .addColumn('location_city', 'text')
    .addColumn('location_state', 'text')
    .addColumn('location_country', 'char(3)')
    .addColumn('providership', 'text', (c) => c.notNull().defaultTo('direct').check(sql`providership in ('direct', 'joint')`))
    .addColumn('joint_providers', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('specialties', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('rems_program', 'text', (c) => c.check(sql`rems_program in ('opioid_analgesic', 'mycophenolate')`))
    .addColumn('rems_identifier', 'text')
    .addColumn('mips_improvement_activity', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('catalog_listed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('catalog_url', 'text')
    .addColumn('catalog_fee', 'text', (c) => c.check(sql`catalog_fee in ('yes', 'free', 'variable')`))
    .addColumn('catalog_registration', 'text', (c) => c.check(sql`catalog_registration in ('open', 'limited')`))
    // Year-end data. Null means "not given yet"; closing needs it (src/modules/activities/lifecycle.ts).
    .addColumn('commercial_support', 'jsonb')
    .addColumn('physician_learners', 'integer', (c) => c.check(sql`physician_learners >= 0`))
    .addColumn('other_learners', 'integer', (c) => c.check(sql`other_learners >= 0`))
    .addColumn('outcomes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'active', 'ready_to_close', 'closed')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .addUniqueConstraint('activities_provider_activity_id', ['provider_org_id', 'provider_activity_id'])
    .addCheckConstraint('activities_dates', sql`end_date >= start_date`)
    .execute();
  await db.schema
    .createIndex('activities_provider_start')
    .on('activities')
    .columns(['provider_org_id', 'start_date', 'id'])
    .execute();
  await db.schema
    .createIndex('activities_provider_status')
    .on('activities')
    .columns(['provider_org_id', 'status'])
    .execute();
  await db.schema
    .createIndex('activities_catalog')
    .on('activities')
    .columns(['start_date', 'id'])
    .where(sql.ref('catalog_listed'), '=', true)
    .execute();

  // Every credit type the activity designates, MOC included (one row per board credit type, with the
  // board's points), so learner reporting checks a credit line against one table.
  await db.schema
    .createTable('activity_credits')
    .addColumn('activity_id', 'char(9)', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('credit_type', 'text', (c) => c.notNull())
    .addColumn('amount', 'numeric(6, 2)', (c) => c.notNull().check(sql`amount > 0`))
    .addPrimaryKeyConstraint('activity_credits_pk', ['activity_id', 'credit_type'])
    .execute();

  await db.schema
    .createTable('activity_moc_registrations')
    .addColumn('activity_id', 'char(9)', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('board', 'text', (c) => c.notNull())
    .addColumn('points', 'numeric(6, 2)', (c) => c.notNull().check(sql`points > 0`))
    .addColumn('credit_types', 'jsonb', (c) => c.notNull())
    .addColumn('claim_date', 'date')
    .addPrimaryKeyConstraint('activity_moc_registrations_pk', ['activity_id', 'board'])
    .execute();
  await db.schema
    .createIndex('activity_moc_registrations_board')
    .on('activity_moc_registrations')
    .columns(['board', 'activity_id'])
    .execute();

  await db.schema
    .createTable('activity_topics')
    .addColumn('activity_id', 'char(9)', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_topics_pk', ['activity_id', 'topic'])
    .execute();
  await db.schema.createIndex('activity_topics_topic').on('activity_topics').columns(['topic', 'activity_id']).execute();
}
