import { sql } from 'kysely';
import type { RawBuilder, Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { executePrepared } from '../../db/prepared-statements.ts';
import { closestSpelling, lettersOffAllowed } from '../../words.ts';
import { inCodeOrder } from './activity.ts';
import type { Activity, ActivityFields, MocRegistration } from './activity.ts';
import type { ActivitiesTables } from './activities.tables.ts';
import { isMocCreditType } from './credit-types.ts';
import { hubActivityIdFromSequence } from './hub-activity-id.ts';
import type { ActivityStatus } from './lifecycle.ts';
import type {
  ActivityType,
  CatalogFee,
  CatalogRegistration,
  DeliveryMethod,
  Providership,
  RemsProgram,
  Topic,
} from './vocabulary.ts';

type ActivityRow = Selectable<ActivitiesTables['activities']>;

/** Which provider's activities a query may see; null only for the hub operator, who sees all. */
export type ProviderScope = string | null;

export async function nextActivityId(executor: Executor): Promise<string> {
  const [id] = await nextActivityIds(executor, 1);
  return id;
}

/** Hub activity IDs for `count` new activities, in the order the sequence hands them out. */
export async function nextActivityIds(executor: Executor, count: number): Promise<string[]> {
  if (count === 0) return [];
  const { rows } = await executePrepared(
    executor,
    sql<{ value: number }>`select value from (select nextval('activity_id_seq')::integer as value from generate_series(1, ${count}::integer)) handed_out order by value`,
  );
  return rows.map((row) => hubActivityIdFromSequence(Number(row.value)));
}

/** When a save wrote an activity, as the API shows it. */
export type SavedTimes = { createdAt: string; updatedAt: string; closedAt: string | null };

/** An activity to write: its hub activity ID, fields, status and when it was closed (null unless it is). */
export type ActivityToWrite = { id: string; fields: ActivityFields; status: ActivityStatus; closedAt: Date | null };

/**
 * One JSON document of the activities' rows, each with its credit lines (MOC credit types included, at their
 * board's points), MOC registrations and topics, in the order given (`place`): one parameter however many.
 */
function activitiesDocument(activities: readonly ActivityToWrite[]): string {
  const savedAt = new Date();
  return JSON.stringify(
    activities.map(({ id, fields, status, closedAt }, place) => ({
      place,
      id,
      provider_activity_id: fields.providerActivityId,
      title: fields.title,
      description: fields.description,
      type: fields.type,
      delivery_method: fields.deliveryMethod,
      start_date: fields.startDate,
      end_date: fields.endDate,
      location_city: fields.location?.city ?? null,
      location_state: fields.location?.state ?? null,
      location_country: fields.location?.country ?? null,
      providership: fields.providership,
      joint_providers: fields.jointProviders,
      specialties: fields.specialties,
      rems_program: fields.rems?.program ?? null,
      rems_identifier: fields.rems?.identifier ?? null,
      mips_improvement_activity: fields.mipsImprovementActivity,
      catalog_listed: fields.catalog.listed,
      catalog_url: fields.catalog.url,
      catalog_fee: fields.catalog.fee,
      catalog_registration: fields.catalog.registration,
      commercial_support: fields.commercialSupport,
      physician_learners: fields.learners.physicians,
      other_learners: fields.learners.others,
      outcomes: fields.outcomes,
      status,
      updated_at: savedAt,
      closed_at: closedAt,
      credit_lines: [
        ...fields.credits,
        ...fields.mocRegistrations.flatMap((registration) => registration.creditTypes.map((type) => ({ type, amount: registration.points }))),
      ],
      moc_registrations: fields.mocRegistrations,
      topics: fields.topics,
    })),
  );
}

const activityRecords = (document: string) => sql`json_to_recordset(${document}::json) as r(
      place integer, id char(9), provider_activity_id text, title text, description text, type text, delivery_method text,
      start_date date, end_date date, location_city text, location_state text, location_country text, providership text,
      joint_providers jsonb, specialties jsonb, rems_program text, rems_identifier text, mips_improvement_activity boolean,
      catalog_listed boolean, catalog_url text, catalog_fee text, catalog_registration text, commercial_support jsonb,
      physician_learners integer, other_learners integer, outcomes jsonb, status text, updated_at timestamptz,
      closed_at timestamptz, credit_lines jsonb, moc_registrations jsonb, topics jsonb)`;

/** The credit lines, MOC registrations and topics of the activities `saved` wrote, from their records `r`. */
const childrenOfSaved = sql`credits as (
      insert into activity_credits (activity_id, credit_type, amount)
      select r.id, line->>'type', (line->>'amount')::numeric from r join saved on saved.id = r.id cross join jsonb_array_elements(r.credit_lines) line),
    registrations as (
      insert into activity_moc_registrations (activity_id, board, points, credit_types, claim_date)
      select r.id, registration->>'board', (registration->>'points')::numeric, registration->'creditTypes', (registration->>'claimDate')::date
      from r join saved on saved.id = r.id cross join jsonb_array_elements(r.moc_registrations) registration),
    topics as (
      insert into activity_topics (activity_id, topic)
      select r.id, topic from r join saved on saved.id = r.id cross join jsonb_array_elements_text(r.topics) topic)`;

type SavedRow = { id: string; created_at: Date; updated_at: Date; closed_at: Date | null };

function savedTimesById(rows: readonly SavedRow[]): Map<string, SavedTimes> {
  return new Map(rows.map((row) => [row.id, timestamps(row)]));
}

/**
 * Inserts new activities with their credit lines, MOC registrations and topics in one statement, in the order
 * given. One whose provider activity ID another activity has taken since it was looked up is left out: the result
 * holds the times of those inserted only.
 */
export async function insertActivities(executor: Executor, providerOrgId: string, activities: readonly ActivityToWrite[]): Promise<Map<string, SavedTimes>> {
  if (activities.length === 0) return new Map();
  const document = activitiesDocument(activities);
  const { rows } = await executePrepared(
    executor,
    sql<SavedRow>`with r as (select * from ${activityRecords(document)}),
    saved as (
      insert into activities (id, provider_org_id, provider_activity_id, title, description, type, delivery_method, start_date,
        end_date, location_city, location_state, location_country, providership, joint_providers, specialties, rems_program,
        rems_identifier, mips_improvement_activity, catalog_listed, catalog_url, catalog_fee, catalog_registration,
        commercial_support, physician_learners, other_learners, outcomes, status, updated_at, closed_at)
      select r.id, ${providerOrgId}::uuid, r.provider_activity_id, r.title, r.description, r.type, r.delivery_method, r.start_date,
        r.end_date, r.location_city, r.location_state, r.location_country, r.providership, r.joint_providers, r.specialties,
        r.rems_program, r.rems_identifier, r.mips_improvement_activity, r.catalog_listed, r.catalog_url, r.catalog_fee,
        r.catalog_registration, r.commercial_support, r.physician_learners, r.other_learners, r.outcomes, r.status,
        r.updated_at, r.closed_at
      from r order by r.place
      on conflict (provider_org_id, provider_activity_id) do nothing
      returning id, created_at, updated_at, closed_at),
    ${childrenOfSaved}
    select id, created_at, updated_at, closed_at from saved`,
  );
  return savedTimesById(rows);
}

export async function insertActivity(
  executor: Executor,
  providerOrgId: string,
  id: string,
  fields: ActivityFields,
  status: ActivityStatus,
): Promise<SavedTimes | undefined> {
  return (await insertActivities(executor, providerOrgId, [{ id, fields, status, closedAt: status === 'closed' ? new Date() : null }])).get(id);
}

/** The hub's timestamps of a saved row, as the API shows them. */
function timestamps(row: { created_at: Date; updated_at: Date; closed_at: Date | null }): SavedTimes {
  return {
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
  };
}

/**
 * Writes the activities' new values, their credit lines, MOC registrations and topics replaced, in two statements
 * whatever their number. The result holds the times of each activity written.
 */
export async function updateActivities(executor: Executor, providerOrgId: string, activities: readonly ActivityToWrite[]): Promise<Map<string, SavedTimes>> {
  if (activities.length === 0) return new Map();
  const ids = activities.map((activity) => activity.id);
  // Deleted before the statement that inserts them again: one statement's parts would not see each other's rows.
  await executePrepared(
    executor,
    sql`with credits as (delete from activity_credits where activity_id = any(${ids}::bpchar[])),
      registrations as (delete from activity_moc_registrations where activity_id = any(${ids}::bpchar[]))
    delete from activity_topics where activity_id = any(${ids}::bpchar[])`,
  );
  const document = activitiesDocument(activities);
  const { rows } = await executePrepared(
    executor,
    sql<SavedRow>`with r as (select * from ${activityRecords(document)}),
    saved as (
      update activities a set provider_activity_id = r.provider_activity_id, title = r.title, description = r.description,
        type = r.type, delivery_method = r.delivery_method, start_date = r.start_date, end_date = r.end_date,
        location_city = r.location_city, location_state = r.location_state, location_country = r.location_country,
        providership = r.providership, joint_providers = r.joint_providers, specialties = r.specialties,
        rems_program = r.rems_program, rems_identifier = r.rems_identifier, mips_improvement_activity = r.mips_improvement_activity,
        catalog_listed = r.catalog_listed, catalog_url = r.catalog_url, catalog_fee = r.catalog_fee,
        catalog_registration = r.catalog_registration, commercial_support = r.commercial_support,
        physician_learners = r.physician_learners, other_learners = r.other_learners, outcomes = r.outcomes, status = r.status,
        updated_at = r.updated_at, closed_at = r.closed_at
      from r
      where a.provider_org_id = ${providerOrgId}::uuid and a.id = r.id
      returning a.id, a.created_at, a.updated_at, a.closed_at),
    ${childrenOfSaved}
    select id, created_at, updated_at, closed_at from saved`,
  );
  return savedTimesById(rows);
}

export async function updateActivity(
  executor: Executor,
  providerOrgId: string,
  id: string,
  fields: ActivityFields,
  status: ActivityStatus,
  closedAt: Date | null,
): Promise<SavedTimes> {
  const saved = (await updateActivities(executor, providerOrgId, [{ id, fields, status, closedAt }])).get(id);
  if (!saved) throw new Error(`Activity ${id} to update is not on file.`);
  return saved;
}

export async function deleteActivity(executor: Executor, providerOrgId: string, id: string): Promise<void> {
  await executor.deleteFrom('activities').where('provider_org_id', '=', providerOrgId).where('id', '=', id).execute();
}

export async function findActivity(executor: Executor, scope: ProviderScope, id: string) {
  let query = executor.selectFrom('activities').selectAll().where('id', '=', id);
  if (scope !== null) query = query.where('provider_org_id', '=', scope);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const [activity] = await withChildren(executor, [row]);
  return activity;
}

/** For an update: the row is locked until the transaction ends, so two updates of one activity queue. */
export async function lockActivity(executor: Executor, providerOrgId: string, id: string) {
  const row = await executor
    .selectFrom('activities')
    .selectAll()
    .where('provider_org_id', '=', providerOrgId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  const [activity] = await withChildren(executor, [row]);
  return activity;
}

export async function lockActivityByProviderActivityId(executor: Executor, providerOrgId: string, providerActivityId: string) {
  const row = await executor
    .selectFrom('activities')
    .selectAll()
    .where('provider_org_id', '=', providerOrgId)
    .where('provider_activity_id', '=', providerActivityId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  const [activity] = await withChildren(executor, [row]);
  return activity;
}

/**
 * The provider's activities with these provider activity IDs, locked as `lockActivityByProviderActivityId` locks
 * one, read in four statements whatever their number: each ID with its activity, null for one not on file.
 */
export async function lockActivitiesByProviderActivityIds(executor: Executor, providerOrgId: string, providerActivityIds: readonly string[]) {
  const found = new Map<string, Activity | null>(providerActivityIds.map((id) => [id, null]));
  if (providerActivityIds.length === 0) return found;
  const rows = await executor
    .selectFrom('activities')
    .selectAll()
    .where('provider_org_id', '=', providerOrgId)
    .where('provider_activity_id', 'in', providerActivityIds)
    .orderBy('id')
    .forUpdate()
    .execute();
  for (const activity of await withChildren(executor, rows)) found.set(activity.providerActivityId, activity);
  return found;
}

export async function findIdByProviderActivityId(executor: Executor, providerOrgId: string, providerActivityId: string) {
  const row = await executor
    .selectFrom('activities')
    .select('id')
    .where('provider_org_id', '=', providerOrgId)
    .where('provider_activity_id', '=', providerActivityId)
    .executeTakeFirst();
  return row?.id;
}

export type ActivitySort = 'startDate' | 'endDate' | 'title' | 'updatedAt' | 'providerActivityId';
const sortColumns = {
  startDate: 'start_date',
  endDate: 'end_date',
  title: 'title',
  updatedAt: 'updated_at',
  providerActivityId: 'provider_activity_id',
} as const satisfies Record<ActivitySort, keyof ActivityRow>;

export type ActivityFilter = {
  status?: ActivityStatus[];
  type?: ActivityType[];
  /** Activities running on any day from `from` to `to`. */
  from?: string;
  to?: string;
  q?: string;
  providerActivityId?: string;
  topic?: Topic;
  sort: ActivitySort;
  order: 'asc' | 'desc';
  /** The sort value and id of the last row of the previous page. */
  after?: { value: string; id: string };
  limit: number;
};

export async function listActivities(executor: Executor, scope: ProviderScope, filter: ActivityFilter) {
  const column = sortColumns[filter.sort];
  const direction = filter.order;
  let query = executor
    .selectFrom('activities')
    .selectAll()
    .orderBy(column, direction)
    .orderBy('id', direction)
    .limit(filter.limit + 1);
  if (scope !== null) query = query.where('provider_org_id', '=', scope);
  if (filter.status?.length) query = query.where('status', 'in', filter.status);
  if (filter.type?.length) query = query.where('type', 'in', filter.type);
  if (filter.from) query = query.where('end_date', '>=', filter.from);
  if (filter.to) query = query.where('start_date', '<=', filter.to);
  if (filter.providerActivityId) query = query.where('provider_activity_id', '=', filter.providerActivityId);
  if (filter.topic) {
    const topic = filter.topic;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('activity_topics')
          .select('activity_topics.activity_id')
          .whereRef('activity_topics.activity_id', '=', 'activities.id')
          .where('activity_topics.topic', '=', topic),
      ),
    );
  }
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('title', 'ilike', pattern), eb('provider_activity_id', 'ilike', pattern), eb('id', '=', filter.q!)]),
    );
  }
  if (filter.after) {
    const { value, id } = filter.after;
    const sortValue = column === 'updated_at' ? new Date(value) : value;
    const beyond = direction === 'asc' ? '>' : '<';
    query = query.where((eb) =>
      eb.or([eb(column, beyond, sortValue), eb.and([eb(column, '=', sortValue), eb('id', beyond, id)])]),
    );
  }
  const rows = await query.execute();
  return { activities: await withChildren(executor, rows.slice(0, filter.limit)), more: rows.length > filter.limit };
}

/** The value a cursor keeps for the row, so the next page starts right after it. */
export function sortValueOf(activity: Activity, sort: ActivitySort): string {
  return activity[sort];
}

type DesignatedCredit = { type: string; amount: number };

/** The credits an activity designates, by type, as one JSON array for each activity a query returns. */
function designatedCredits(activityId: RawBuilder<unknown>) {
  return sql<DesignatedCredit[]>`coalesce((select json_agg(json_build_object('type', c.credit_type, 'amount', c.amount) order by c.credit_type)
    from activity_credits c where c.activity_id = ${activityId}), '[]')`;
}

/** Each amount as a number, however the database driver gave back the JSON numeric. */
function numericAmounts(credits: readonly DesignatedCredit[]): DesignatedCredit[] {
  return credits.map((credit) => ({ type: credit.type, amount: Number(credit.amount) }));
}

export type ReportingActivity = {
  id: string;
  providerActivityId: string;
  type: ActivityType;
  startDate: string;
  endDate: string;
  status: ActivityStatus;
  /** Every credit type the activity designates with its maximum amount, MOC credit types included. */
  credits: { type: string; amount: number }[];
};

/**
 * The activities of one provider that learner reports name, with what reporting checks against, by the
 * reference as written: the 9-digit hub activity ID, or the provider's own activity ID, in any case when
 * only one activity has it so (a hand-typed "gr-1" for "GR-1"), and an own ID of digits without its leading
 * zeros when only one activity has it so (`byDigits`). A reference that is both one activity's hub ID
 * and another's own ID means the hub's. Other providers' activities, and unknown references, are simply
 * absent from the result.
 */
export async function findActivitiesForReporting(executor: Executor, providerOrgId: string, references: readonly string[]): Promise<Map<string, ReportingActivity>> {
  const found = new Map<string, ReportingActivity>();
  const wanted = [...new Set(references)];
  if (wanted.length === 0) return found;
  const hubIds = wanted.filter((reference) => /^\d{9}$/.test(reference));
  const foldedIds = [...new Set(wanted.map((reference) => reference.toLowerCase()))];
  // One prepared statement: every learner report asks it.
  const query = sql<ReportingActivityRow>`
    select ${reportingActivityColumns()}
    from activities a
    where a.provider_org_id = ${providerOrgId} and (a.id = any(${hubIds}::bpchar[]) or lower(a.provider_activity_id) = any(${foldedIds}::text[]))`;
  const rows = (await executePrepared(executor, query)).rows;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const byOwnId = new Map(rows.map((row) => [row.provider_activity_id, row]));
  const byFoldedId = Map.groupBy(rows, (row) => row.provider_activity_id.toLowerCase());
  for (const reference of wanted) {
    const folded = byFoldedId.get(reference.toLowerCase()) ?? [];
    const row = byId.get(reference) ?? byOwnId.get(reference) ?? (folded.length === 1 ? folded[0] : undefined);
    if (row) found.set(reference, reportingActivityOf(row));
  }
  const digitsOnly = wanted.filter((reference) => !found.has(reference) && /^\d{1,200}$/.test(reference));
  if (digitsOnly.length > 0) for (const [reference, activity] of await byDigits(executor, providerOrgId, digitsOnly)) found.set(reference, activity);
  return found;
}

/**
 * The activities whose own ID is the digits of a reference, leading zeros aside, each when only one is: Excel
 * drops the leading zeros of a number, so an own ID "00042" comes back as "42" from a file opened and saved in it.
 * Asked only for references of digits that name no activity as written.
 */
async function byDigits(executor: Executor, providerOrgId: string, references: readonly string[]): Promise<Map<string, ReportingActivity>> {
  const significant = (digits: string) => digits.replace(/^0+/, '');
  const rows = (
    await sql<ReportingActivityRow>`
      select ${reportingActivityColumns()}
      from activities a
      where a.provider_org_id = ${providerOrgId} and a.provider_activity_id ~ '^[0-9]+$'
        and ltrim(a.provider_activity_id, '0') = any(${[...new Set(references.map(significant))]}::text[])`.execute(executor)
  ).rows;
  const bySignificant = Map.groupBy(rows, (row) => significant(row.provider_activity_id));
  return new Map(
    references.flatMap((reference) => {
      const matching = bySignificant.get(significant(reference)) ?? [];
      return matching.length === 1 ? [[reference, reportingActivityOf(matching[0])]] : [];
    }),
  );
}

/**
 * The activities a file's rows name, by ID as `findActivitiesForReporting` finds them or, failing an ID, by
 * title, as a sheet filled in by hand names them: `titled` holds, for each reference that is no ID, the
 * activities with that title (in any case and spacing), several when a title is used again (each year's
 * "Weekly Grand Rounds"), which the completion date may tell apart (`activityOnDay`).
 */
export async function findActivitiesNamedInRows(
  executor: Executor,
  providerOrgId: string,
  references: readonly string[],
): Promise<{ found: Map<string, ReportingActivity>; titled: Map<string, ReportingActivity[]> }> {
  const found = await findActivitiesForReporting(executor, providerOrgId, references);
  // A hub activity ID not found is no title either; files naming activities by ID never pay for titles.
  const untold = [...new Set(references)].filter((reference) => !found.has(reference) && !/^\d{9}$/.test(reference));
  return { found, titled: untold.length > 0 ? await findActivitiesByTitle(executor, providerOrgId, untold) : new Map() };
}

/**
 * An activity of the provider's, named by its own ID and its title, as a message names it; `by`: which of the two a
 * reference with a typo was meant to be.
 */
export type ActivityNamed = { id: string; providerActivityId: string; title: string; by: 'id' | 'title' };

/**
 * For each reference that names no activity, the provider's activity whose own ID it is with a letter or two
 * wrong ("DEMO-GERIATRCS"), when one is closest (`closestSpelling`, in any case): what a row with a typo was
 * probably meant to name. Only references of four characters or more, and at most a letter off for those under
 * eight, as a short ID is soon another's. Asked for `titles` too (a sheet's rows name activities by title), a
 * reference no ID is near is looked for among the titles, its punctuation aside ("Grand Rounds - Sepsis Updte" for
 * "Grand Rounds: Sepsis Update"), a letter off for every ten, two at least.
 */
export async function activitiesMisspelt(
  executor: Executor,
  providerOrgId: string,
  references: readonly string[],
  { titles = false }: { titles?: boolean } = {},
): Promise<Map<string, ActivityNamed>> {
  const wanted = [...new Set(references)].filter((reference) => lettersOffAllowed(reference) > 0 && reference.length <= 200);
  if (wanted.length === 0) return new Map();
  const lengths = wanted.map((reference) => reference.length);
  const activities = await executor
    .selectFrom('activities')
    .select(['id', 'provider_activity_id', 'title'])
    .where('provider_org_id', '=', providerOrgId)
    .where((eb) => {
      const near = (column: 'provider_activity_id' | 'title', slack: number) =>
        eb.and([eb(sql<number>`length(${sql.ref(column)})`, '>=', Math.min(...lengths) - slack), eb(sql<number>`length(${sql.ref(column)})`, '<=', Math.max(...lengths) + slack)]);
      return titles ? eb.or([near('provider_activity_id', 2), near('title', Math.ceil(Math.max(...lengths) / 5))]) : near('provider_activity_id', 2);
    })
    .execute();
  const named = (activity: (typeof activities)[number], by: ActivityNamed['by']) => ({ id: activity.id, providerActivityId: activity.provider_activity_id, title: activity.title, by });
  const idSpellings = activities.map((activity) => [activity.provider_activity_id.toLowerCase(), named(activity, 'id')] as const);
  const titleSpellings = titles ? activities.map((activity) => [titleLetters(activity.title), named(activity, 'title')] as const) : [];
  const closest = new Map<string, ActivityNamed>();
  for (const reference of wanted) {
    // The same ID in another case was looked up already: if it names nothing, two activities have it.
    const meant =
      closestSpelling(reference.toLowerCase(), idSpellings, { exactExcluded: true }) ??
      // A hub activity ID (nine digits) is no title: it was looked up as an ID.
      (/^\d{9}$/.test(reference.trim()) ? null : closestSpelling(titleLetters(reference), titleSpellings, { allowed: (title) => Math.max(2, Math.floor(title.length / 10)) }));
    if (meant) closest.set(reference, meant);
  }
  return closest;
}

/** A title's letters and digits, in lower case, each run of anything else one space: "grand rounds sepsis update". */
const titleLetters = (title: string) => title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Of the activities that share a title, the one that ran on `day` (a completion's date), when only one did. */
export function activityOnDay(titled: readonly ReportingActivity[], day: string | null | undefined): ReportingActivity | undefined {
  if (titled.length === 1) return titled[0];
  const running = day ? titled.filter((activity) => activity.startDate <= day && day <= activity.endDate) : [];
  return running.length === 1 ? running[0] : undefined;
}

type ReportingActivityRow = Omit<ReportingActivity, 'providerActivityId' | 'startDate' | 'endDate' | 'credits'> & {
  provider_activity_id: string;
  start_date: string;
  end_date: string;
  credits: DesignatedCredit[];
};

/** The columns of a `ReportingActivityRow`, of the activities aliased `a`. */
function reportingActivityColumns() {
  return sql`a.id, a.provider_activity_id, a.type, a.start_date, a.end_date, a.status, ${designatedCredits(sql.ref('a.id'))} as credits`;
}

function reportingActivityOf(row: ReportingActivityRow): ReportingActivity {
  return {
    id: row.id,
    providerActivityId: row.provider_activity_id,
    type: row.type,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    credits: numericAmounts(row.credits),
  };
}

/** A title as people type it again: case and runs of spaces do not matter. */
const foldedTitle = (title: string) => title.replace(/\s+/g, ' ').trim().toLowerCase();

/** The provider's activities with the title each reference is (in any case and spacing), oldest first. */
async function findActivitiesByTitle(executor: Executor, providerOrgId: string, references: readonly string[]): Promise<Map<string, ReportingActivity[]>> {
  const titles = [...new Set(references.map(foldedTitle))];
  const { rows } = await sql<ReportingActivityRow & { title: string }>`
    select ${reportingActivityColumns()}, a.title
    from activities a
    where a.provider_org_id = ${providerOrgId} and lower(btrim(regexp_replace(a.title, '\\s+', ' ', 'g'))) = any(${titles}::text[])
    order by a.start_date, a.id`.execute(executor);
  const byTitle = Map.groupBy(rows, (row) => foldedTitle(row.title));
  const found = new Map<string, ReportingActivity[]>();
  for (const reference of references) {
    const titled = byTitle.get(foldedTitle(reference));
    if (titled) found.set(reference, titled.map(reportingActivityOf));
  }
  return found;
}

/**
 * A provider's activities that take learner reports now (active, or ready to close), most recent first, with
 * the credits each designates: what a coordinator filling in a learner file picks from.
 */
export async function listReportableActivities(executor: Executor, providerOrgId: string, limit: number) {
  const rows = await executor
    .selectFrom('activities')
    .select(['id', 'provider_activity_id', 'title', 'start_date', 'end_date'])
    .select(designatedCredits(sql.ref('activities.id')).as('credits'))
    .where('provider_org_id', '=', providerOrgId)
    .where('status', 'in', ['active', 'ready_to_close'])
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    providerActivityId: row.provider_activity_id,
    title: row.title,
    startDate: row.start_date,
    endDate: row.end_date,
    credits: numericAmounts(row.credits),
  }));
}

/** Whether any learner report (rejected ones included; deleted ones not) names the activity. */
export async function hasLearnerReports(executor: Executor, providerOrgId: string, activityId: string): Promise<boolean> {
  return (await countLearnerReports(executor, providerOrgId, activityId)) > 0;
}

export async function countLearnerReports(executor: Executor, providerOrgId: string, activityId: string): Promise<number> {
  const row = await executor
    .selectFrom('learner_reports')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('provider_org_id', '=', providerOrgId)
    .where('activity_id', '=', activityId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

async function withChildren(executor: Executor, rows: ActivityRow[]): Promise<Activity[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [credits, registrations, topics] = await Promise.all([
    executor
      .selectFrom('activity_credits')
      .select(['activity_id', 'credit_type', 'amount'])
      .where('activity_id', 'in', ids)
      .orderBy('activity_id')
      .orderBy('credit_type')
      .execute(),
    executor
      .selectFrom('activity_moc_registrations')
      .selectAll()
      .where('activity_id', 'in', ids)
      .orderBy('activity_id')
      .orderBy('board')
      .execute(),
    executor
      .selectFrom('activity_topics')
      .select(['activity_id', 'topic'])
      .where('activity_id', 'in', ids)
      .orderBy('activity_id')
      .orderBy('topic')
      .execute(),
  ]);
  return rows.map((row) =>
    toActivity(
      row,
      credits.filter((credit) => credit.activity_id === row.id && !isMocCreditType(credit.credit_type)),
      registrations.filter((registration) => registration.activity_id === row.id),
      topics.filter((topic) => topic.activity_id === row.id).map((topic) => topic.topic as Topic),
    ),
  );
}

function toActivity(
  row: ActivityRow,
  credits: { credit_type: string; amount: number }[],
  registrations: Selectable<ActivitiesTables['activity_moc_registrations']>[],
  topics: Topic[],
): Activity {
  const hasLocation = row.location_city !== null || row.location_state !== null || row.location_country !== null;
  return inCodeOrder({
    id: row.id,
    providerOrgId: row.provider_org_id,
    providerActivityId: row.provider_activity_id,
    title: row.title,
    description: row.description,
    type: row.type as ActivityType,
    deliveryMethod: row.delivery_method as DeliveryMethod | null,
    startDate: row.start_date,
    endDate: row.end_date,
    location: hasLocation
      ? { city: row.location_city, state: row.location_state, country: row.location_country }
      : null,
    providership: row.providership as Providership,
    jointProviders: row.joint_providers,
    credits: credits.map((credit) => ({ type: credit.credit_type, amount: Number(credit.amount) })),
    topics,
    specialties: row.specialties,
    mocRegistrations: registrations.map(
      (registration): MocRegistration => ({
        board: registration.board as MocRegistration['board'],
        points: Number(registration.points),
        creditTypes: registration.credit_types,
        claimDate: registration.claim_date,
      }),
    ),
    rems: row.rems_program ? { program: row.rems_program as RemsProgram, identifier: row.rems_identifier } : null,
    mipsImprovementActivity: row.mips_improvement_activity,
    catalog: {
      listed: row.catalog_listed,
      url: row.catalog_url,
      fee: row.catalog_fee as CatalogFee | null,
      registration: row.catalog_registration as CatalogRegistration | null,
    },
    commercialSupport: row.commercial_support,
    learners: { physicians: row.physician_learners, others: row.other_learners },
    outcomes: row.outcomes,
    status: row.status as ActivityStatus,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
  });
}
