import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// The registry of physicians: persons (keyed by uuid, the key learner data is distributed by), their former
// names, the last-name keys matching looks them up by, licenses, board certifications, and roster loads with
// a receipt row per row of the file. A birth year is never stored.
// The tables that point at persons carry no foreign key: roster loads write a million rows at a time, a
// per-row check would double the time, and the loader always writes the person first (persons are never deleted).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('persons')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('middle_name', 'text')
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('first_key', 'text', (c) => c.notNull())
    .addColumn('last_key', 'text', (c) => c.notNull())
    .addColumn('birth_month', 'smallint', (c) => c.check(sql`birth_month between 1 and 12`))
    .addColumn('birth_day', 'smallint', (c) => c.check(sql`birth_day between 1 and 31`))
    .addColumn('npi', 'char(10)', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('persons_birth_month_and_day', sql`(birth_month is null) = (birth_day is null)`)
    .execute();

  await db.schema
    .createTable('person_names')
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('middle_name', 'text')
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('roster', 'nppes', 'certification')`))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('person_names_pk', ['person_id', 'name_key'])
    .execute();

  // Every last-name key of a person (current and former names, and each part of a compound name), with its
  // letters sorted (which a transposition leaves alone) and the birth month and day: the state-alone rule looks
  // licensees up by sorted letters and birth date together.
  await db.schema
    .createTable('person_name_keys')
    .addColumn('last_key', 'text', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('anagram_key', 'text', (c) => c.notNull())
    .addColumn('birth_month', 'smallint')
    .addColumn('birth_day', 'smallint')
    .addPrimaryKeyConstraint('person_name_keys_pk', ['last_key', 'person_id'])
    .execute();
  await db.schema.createIndex('person_name_keys_person').on('person_name_keys').column('person_id').execute();
  await db.schema.createIndex('person_name_keys_birth').on('person_name_keys').columns(['anagram_key', 'birth_month', 'birth_day']).execute();

  await db.schema
    .createTable('roster_loads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('licenses', 'certifications', 'nppes')`))
    .addColumn('full_roster', 'boolean', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'completed', 'failed')`))
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deactivated_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failure', 'text')
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('roster_loads_organization').on('roster_loads').columns(['organization_id', 'started_at']).execute();

  await db.schema
    .createTable('roster_load_rows')
    .addColumn('load_id', 'uuid', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('identifier', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('created', 'updated', 'unchanged', 'rejected')`))
    .addColumn('problems', 'jsonb')
    .addColumn('person_id', 'uuid')
    .addPrimaryKeyConstraint('roster_load_rows_pk', ['load_id', 'row_number'])
    .execute();

  await db.schema
    .createTable('licenses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('jurisdiction', 'char(2)', (c) => c.notNull())
    // Null for a license known only from NPI data, which does not say the type.
    .addColumn('license_type', 'text', (c) => c.check(sql`license_type in ('MD', 'DO')`))
    .addColumn('license_number', 'text', (c) => c.notNull())
    .addColumn('number_key', 'text', (c) => c.notNull())
    .addColumn('number_digits', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'date')
    .addColumn('expires_on', 'date')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('roster', 'nppes')`))
    .addColumn('last_load_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // By number first: the same index finds a number in any state (a license reported with the wrong state).
  await sql`create unique index licenses_number on licenses (number_key, jurisdiction, license_type) nulls not distinct`.execute(db);
  await db.schema.createIndex('licenses_digits').on('licenses').columns(['jurisdiction', 'number_digits']).execute();
  await db.schema.createIndex('licenses_person').on('licenses').columns(['person_id', 'jurisdiction']).execute();

  await db.schema
    .createTable('certifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('board_code', 'text', (c) => c.notNull())
    .addColumn('board_id', 'text', (c) => c.notNull())
    .addColumn('board_id_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'date')
    .addColumn('expires_on', 'date')
    .addColumn('last_load_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('certifications_board_id', ['board_code', 'board_id_key'])
    .execute();
  await db.schema.createIndex('certifications_person').on('certifications').column('person_id').execute();

  // Rows of a roster being loaded, between COPY and the set-based upsert; emptied after each chunk.
  await sql`
    create unlogged table roster_staging (
      load_id uuid not null,
      row_number integer not null,
      jurisdiction char(2),
      license_type text,
      board_code text,
      identifier text not null,
      identifier_key text not null,
      identifier_digits text,
      status text not null,
      issued_on date,
      expires_on date,
      first_name text not null,
      middle_name text,
      last_name text not null,
      first_key text not null,
      last_key text not null,
      last_keys text[] not null,
      last_anagrams text[] not null,
      previous_last_name text,
      previous_first_name text,
      birth_month smallint,
      birth_day smallint,
      npi char(10),
      record_id uuid,
      new_record_id uuid,
      person_id uuid,
      person_is_new boolean not null default false,
      record_is_new boolean not null default false,
      changed boolean not null default false,
      rejection jsonb,
      notice jsonb,
      primary key (load_id, row_number)
    )`.execute(db);

  // The licenses listed on the rows of an NPI file being loaded (up to 15 a row).
  await sql`
    create unlogged table nppes_license_staging (
      load_id uuid not null,
      row_number integer not null,
      jurisdiction char(2) not null,
      license_number text not null,
      number_key text not null,
      number_digits text not null
    )`.execute(db);
  await sql`create index nppes_license_staging_row on nppes_license_staging (load_id, row_number)`.execute(db);
}
