import { sql } from 'kysely';
import type { RawBuilder, Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { executePrepared } from '../../db/prepared-statements.ts';
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
  const { rows } = await sql<{ value: number }>`select nextval('activity_id_seq')::integer as value`.execute(executor);
  return hubActivityIdFromSequence(Number(rows[0].value));
}

function activityColumns(fields: ActivityFields, status: ActivityStatus) {
  return {
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
    joint_providers: JSON.stringify(fields.jointProviders),
    specialties: JSON.stringify(fields.specialties),
    rems_program: fields.rems?.program ?? null,
    rems_identifier: fields.rems?.identifier ?? null,
    mips_improvement_activity: fields.mipsImprovementActivity,
    catalog_listed: fields.catalog.listed,
    catalog_url: fields.catalog.url,
    catalog_fee: fields.catalog.fee,
    catalog_registration: fields.catalog.registration,
    commercial_support: fields.commercialSupport ? JSON.stringify(fields.commercialSupport) : null,
    physician_learners: fields.learners.physicians,
    other_learners: fields.learners.others,
    outcomes: JSON.stringify(fields.outcomes),
    status,
  };
}

export async function insertActivity(
  executor: Executor,
  providerOrgId: string,
  id: string,
  fields: ActivityFields,
  status: ActivityStatus,
): Promise<{ createdAt: string; updatedAt: string; closedAt: string | null } | undefined> {
  const inserted = await executor
    .insertInto('activities')
    .values({
      id,
      provider_org_id: providerOrgId,
      ...activityColumns(fields, status),
      updated_at: new Date(),
      closed_at: status === 'closed' ? new Date() : null,
    })
    .onConflict((conflict) => conflict.columns(['provider_org_id', 'provider_activity_id']).doNothing())
    .returning(['created_at', 'updated_at', 'closed_at'])
    .executeTakeFirst();
  if (!inserted) return undefined;
  await insertChildren(executor, id, fields);
  return timestamps(inserted);
}

/** The hub's timestamps of a saved row, as the API shows them. */
function timestamps(row: { created_at: Date; updated_at: Date; closed_at: Date | null }) {
  return {
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
  };
}

export async function updateActivity(
  executor: Executor,
  providerOrgId: string,
  id: string,
  fields: ActivityFields,
  status: ActivityStatus,
  closedAt: Date | null,
): Promise<{ createdAt: string; updatedAt: string; closedAt: string | null }> {
  const updated = await executor
    .updateTable('activities')
    .set({ ...activityColumns(fields, status), updated_at: new Date(), closed_at: closedAt })
    .where('provider_org_id', '=', providerOrgId)
    .where('id', '=', id)
    .returning(['created_at', 'updated_at', 'closed_at'])
    .executeTakeFirstOrThrow();
  await executor.deleteFrom('activity_credits').where('activity_id', '=', id).execute();
  await executor.deleteFrom('activity_moc_registrations').where('activity_id', '=', id).execute();
  await executor.deleteFrom('activity_topics').where('activity_id', '=', id).execute();
  await insertChildren(executor, id, fields);
  return timestamps(updated);
}

async function insertChildren(executor: Executor, activityId: string, fields: ActivityFields): Promise<void> {
  const credits = [
    ...fields.credits.map((credit) => ({ activity_id: activityId, credit_type: credit.type, amount: credit.amount })),
    ...fields.mocRegistrations.flatMap((registration) =>
      registration.creditTypes.map((creditType) => ({
        activity_id: activityId,
        credit_type: creditType,
        amount: registration.points,
      })),
    ),
  ];
  if (credits.length) await executor.insertInto('activity_credits').values(credits).execute();
  if (fields.mocRegistrations.length) {
    await executor
      .insertInto('activity_moc_registrations')
      .values(
        fields.mocRegistrations.map((registration) => ({
          activity_id: activityId,
          board: registration.board,
          points: registration.points,
          credit_types: JSON.stringify(registration.creditTypes),
          claim_date: registration.claimDate,
        })),
      )
      .execute();
  }
  if (fields.topics.length) {
    await executor
      .insertInto('activity_topics')
      .values(fields.topics.map((topic) => ({ activity_id: activityId, topic })))
      .execute();
  }
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
 * only one activity has it so (a hand-typed "gr-1" for "GR-1"). A reference that is both one activity's hub ID
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
  const query = sql<{
    id: string;
    provider_activity_id: string;
    type: ActivityType;
    start_date: string;
    end_date: string;
    status: ActivityStatus;
    credits: DesignatedCredit[];
  }>`
    select a.id, a.provider_activity_id, a.type, a.start_date, a.end_date, a.status,
      ${designatedCredits(sql.ref('a.id'))} as credits
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
  return found;
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
    select a.id, a.provider_activity_id, a.title, a.type, a.start_date, a.end_date, a.status,
      ${designatedCredits(sql.ref('a.id'))} as credits
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
