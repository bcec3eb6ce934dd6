import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isRefusedValue, refusedRowMessage, valueNotStored } from '../../db/database-errors.ts';
import { inSavepoint } from '../../db/savepoints.ts';
import type { DB } from '../../db/schema.ts';
import type { AuthenticatedActor, RequestContext } from '../../http/actor.ts';
import { cursorField, decodeCursor, encodeCursor, filtersOf } from '../../http/cursor.ts';
import { AppError, BadRequestError, ConflictError, NotFoundError, ValidationError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import { searchAuditEntries } from '../audit-log/audit-log.repository.ts';
import { recordAudit, recordAuditMany } from '../audit-log/audit-log.service.ts';
import type { AuditEvent } from '../audit-log/audit-log.service.ts';
import * as repository from './activities.repository.ts';
import type { ActivitySort, ProviderScope, SavedTimes } from './activities.repository.ts';
import { activityInputSchema } from './activities.schemas.ts';
import type { ActivityView, ListActivitiesQuery } from './activities.schemas.ts';
import { fieldsOf } from './activity.ts';
import type { Activity, ActivityFields, ActivityInput } from './activity.ts';
import { normalizeActivity } from './activity-rules.ts';
import { addDays, daysBetween, hubToday } from './dates.ts';
import { isActivityStatus, nextStatuses, reopenedStatus, statusProblems, ACTIVITY_STATUS_CODES } from './lifecycle.ts';
import type { ActivityStatus } from './lifecycle.ts';
import { mergePatch } from './merge-patch.ts';
import type { ActivityType, Topic } from './vocabulary.ts';

/** What a caller asks to save: the activity's fields and, optionally, the status it should have. */
export type ActivityRequest = ActivityInput & { status?: string | null };

export type SaveOutcome = 'created' | 'updated' | 'unchanged';
export type SaveResult = { activity: Activity; outcome: SaveOutcome };

/** An upsert by provider activity ID: `build` gets the activity's current values, if it exists, and returns what to save. */
export type BuiltUpsert = { providerActivityId: string; build: (current: ActivityRequest | undefined) => ActivityRequest };

/** Every field an activity request may carry, in the order a person reads them. */
const FIELD_NAMES: (keyof ActivityFields)[] = [
  'providerActivityId', 'title', 'description', 'type', 'deliveryMethod', 'startDate', 'endDate', 'location',
  'providership', 'jointProviders', 'credits', 'topics', 'specialties', 'mocRegistrations', 'rems',
  'mipsImprovementActivity', 'catalog', 'commercialSupport', 'learners', 'outcomes',
];

export function toActivityView(activity: Activity, today = hubToday()): ActivityView {
  return { ...activity, allowedStatusChanges: nextStatuses(activity.status, fieldsOf(activity), today) };
}

/** The activity as a request that would save it unchanged (the base of a partial update or a file row). */
export function requestOf(activity: Activity): ActivityRequest {
  return { ...fieldsOf(activity), status: activity.status };
}

/** Whose activities the actor may look at; the operator sees every provider's. */
/** The kind of value a page's cursor keeps for each sort, as `sortValueOf` writes it. */
const sortValueKinds = {
  startDate: cursorField.day,
  endDate: cursorField.day,
  updatedAt: cursorField.instant,
  title: cursorField.text,
  providerActivityId: cursorField.text,
} as const satisfies Record<ActivitySort, z.ZodType<string>>;

function scopeOf(actor: AuthenticatedActor): ProviderScope {
  if (actor.role === 'operator') return null;
  if (!actor.organizationId) throw new NotFoundError('activity');
  return actor.organizationId;
}

function changedFields(before: ActivityFields, after: ActivityFields): string[] {
  return FIELD_NAMES.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

/** What a save's checks found it must write: the activity's new fields and status, and what its audit entry says. */
type CheckedWrite = {
  existing: Activity | undefined;
  fields: ActivityFields;
  from: ActivityStatus | null;
  to: ActivityStatus;
  changed: string[];
};

/**
 * The checks of a save, without I/O: every problem of the request at once (ValidationError), a closed activity
 * changed (ConflictError), or what to write; `unchanged` when the activity on file already is what is asked.
 */
function checkSave(existing: Activity | undefined, request: ActivityRequest): CheckedWrite | { unchanged: Activity } {
  const problems: Problem[] = [];
  const normalized = normalizeActivity(request);
  if (!normalized.ok) problems.push(...normalized.problems);

  const requested = request.status?.trim().toLowerCase() || null;
  if (requested && !isActivityStatus(requested)) {
    problems.push({
      code: 'invalid_code',
      field: 'status',
      message: `Status "${requested}" is not one of ${ACTIVITY_STATUS_CODES.join(', ')}.`,
    });
  }
  if (!normalized.ok || problems.length) throw new ValidationError(problems);

  const fields = normalized.fields;
  const from = existing?.status ?? null;
  const to: ActivityStatus = (requested as ActivityStatus | null) ?? from ?? 'draft';
  const changed = existing ? changedFields(fieldsOf(existing), fields) : FIELD_NAMES;
  if (existing && changed.length === 0 && from === to) return { unchanged: existing };
  if (existing?.status === 'closed' && from === to) {
    throw new ConflictError('activity_closed', 'This activity is closed. Reopen it before changing it.');
  }
  const lifecycleProblems = statusProblems(from, to, fields, hubToday());
  if (lifecycleProblems.length) throw new ValidationError(lifecycleProblems);
  return { existing, fields, from, to, changed };
}

/** When the activity written was closed: kept from its first closing, now when it closes, none when it is not closed. */
function closedAtOf({ existing, to }: CheckedWrite): Date | null {
  return to === 'closed' ? (existing?.closedAt ? new Date(existing.closedAt) : new Date()) : null;
}

type AuditOptions = { action?: string; details?: Record<string, unknown> };

/** The audit entry of a write: what changed, and the status it moved from and to. */
function auditOfWrite(write: CheckedWrite, id: string, providerOrgId: string, audit: AuditOptions = {}): AuditEvent {
  const { existing, from, to, changed } = write;
  return {
    action: audit.action ?? (existing ? (to === 'closed' && from !== 'closed' ? 'activity.close' : 'activity.update') : 'activity.create'),
    entityType: 'activity',
    entityId: id,
    organizationId: providerOrgId,
    details: {
      ...(existing ? { changed } : {}),
      ...(from !== to ? { statusFrom: from, statusTo: to } : {}),
      ...audit.details,
    },
  };
}

function savedActivity(write: CheckedWrite, id: string, providerOrgId: string, saved: SavedTimes): SaveResult {
  return { activity: { ...write.fields, id, providerOrgId, status: write.to, ...saved }, outcome: write.existing ? 'updated' : 'created' };
}

export function createActivitiesService({ db }: { db: Kysely<DB> }) {
  /**
   * Checks and saves one activity inside the caller's transaction: a new one when `existing` is
   * undefined, else an update of it. Throws ValidationError (every problem at once) or ConflictError;
   * writes nothing unless it returns.
   */
  async function save(
    trx: Executor,
    context: RequestContext,
    providerOrgId: string,
    existing: Activity | undefined,
    request: ActivityRequest,
    audit: AuditOptions = {},
  ): Promise<SaveResult> {
    const checked = checkSave(existing, request);
    if ('unchanged' in checked) return { activity: checked.unchanged, outcome: 'unchanged' };
    const { fields, to } = checked;

    // A new activity's ID was looked up by the caller, who found it free; a changed one is checked here.
    if (existing && existing.providerActivityId !== fields.providerActivityId) {
      const taken = await repository.findIdByProviderActivityId(trx, providerOrgId, fields.providerActivityId);
      if (taken) throw providerActivityIdTaken(fields.providerActivityId, taken);
    }

    let id: string;
    let saved: SavedTimes;
    if (existing) {
      id = existing.id;
      saved = await repository.updateActivity(trx, providerOrgId, id, fields, to, closedAtOf(checked));
    } else {
      id = await repository.nextActivityId(trx);
      const inserted = await repository.insertActivity(trx, providerOrgId, id, fields, to);
      if (!inserted) throw new ProviderActivityIdRace(fields.providerActivityId);
      saved = inserted;
    }
    await recordAudit(trx, context, auditOfWrite(checked, id, providerOrgId, audit));
    return savedActivity(checked, id, providerOrgId, saved);
  }

  function ownOrganization(context: RequestContext): string {
    authorize(context.actor, 'activity.write', { organizationId: context.actor.organizationId });
    return context.actor.organizationId!;
  }

  /**
   * The caller's own activity, locked for a change. Looked up within the caller's organization first,
   * so that another organization's activity is simply not found.
   */
  async function lockOwn(trx: Executor, context: RequestContext, id: string, action: 'activity.write' | 'activity.reopen') {
    const providerOrgId = context.actor.organizationId;
    const existing = providerOrgId ? await repository.lockActivity(trx, providerOrgId, id) : undefined;
    if (!existing) throw new NotFoundError('activity');
    authorize(context.actor, action, { organizationId: existing.providerOrgId }, 'activity');
    return existing;
  }

  /** Creates the activity, or updates the one with the same provider activity ID. */
  async function upsert(context: RequestContext, request: ActivityRequest): Promise<{ activity: ActivityView; created: boolean }> {
    const result = await upsertBuilt(context, { providerActivityId: request.providerActivityId ?? '', build: () => request });
    return { activity: toActivityView(result.activity), created: result.outcome === 'created' };
  }

  /**
   * The upsert by provider activity ID, in the caller's transaction. `onFile`: activities locked and read already
   * by their provider activity ID (null: none on file), kept as they are saved; another is looked up.
   */
  async function upsertBuiltIn(
    trx: Executor, context: RequestContext, { providerActivityId, build }: BuiltUpsert, onFile = new Map<string, Activity | null>(),
  ): Promise<SaveResult> {
    const providerOrgId = ownOrganization(context);
    const key = providerActivityId.trim();
    if (!key) return save(trx, context, providerOrgId, undefined, build(undefined));
    const existing = onFile.has(key) ? onFile.get(key) ?? undefined : await repository.lockActivityByProviderActivityId(trx, providerOrgId, key);
    try {
      const result = await save(trx, context, providerOrgId, existing, build(existing ? requestOf(existing) : undefined));
      onFile.set(key, result.activity);
      return result;
    } catch (error) {
      // Another request created it since it was looked up: the next try looks again.
      if (error instanceof ProviderActivityIdRace) onFile.delete(key);
      throw error;
    }
  }

  /**
   * The upsert by provider activity ID in a transaction of its own (one API call).
   * `build` gets the activity's current values, if it exists, and returns what to save.
   */
  async function upsertBuilt(context: RequestContext, upsert: BuiltUpsert): Promise<SaveResult> {
    return onceMoreOnRace(() => db.transaction().execute((trx) => upsertBuiltIn(trx, context, upsert)));
  }

  /**
   * Several upserts (the rows of a file), each on its own as `upsertBuilt` saves one, a refused one changing
   * nothing, but in one transaction, their activities on file locked and read at once, then checked one by one and
   * written together (`writeTogether`): a few statements for them all rather than about seven for each. Returns each
   * one's result or the error a caller is told (4xx); any other error rolls them all back.
   */
  async function upsertEachBuilt(context: RequestContext, upserts: readonly BuiltUpsert[]): Promise<(SaveResult | AppError)[]> {
    return db.transaction().execute(async (trx) => {
      const providerOrgId = ownOrganization(context);
      const keys = upserts.map((upsert) => upsert.providerActivityId.trim());
      const onFile = await repository.lockActivitiesByProviderActivityIds(trx, providerOrgId, keys.filter(Boolean));
      // Saved in the order of their IDs: two files sharing new IDs, sent at once, then wait for each other, never in a circle.
      const order = upserts.map((_, index) => index).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
      return (await writeTogether(trx, context, providerOrgId, upserts, keys, order, onFile)) ?? saveEachInSavepoint(trx, context, upserts, order, onFile);
    });
  }

  /**
   * The upserts checked one by one as `save` checks one, those to write written together: the new activities in
   * one statement, the changed ones in two, all their audit entries in one. Undefined, with nothing written, when the
   * database refuses what is written (another request has created one of the new activities since they were looked
   * up), or when the upserts are not each an activity of its own (an ID sent twice, none, or one changed): they are
   * then saved one by one.
   */
  async function writeTogether(
    trx: Executor,
    context: RequestContext,
    providerOrgId: string,
    upserts: readonly BuiltUpsert[],
    keys: readonly string[],
    order: readonly number[],
    onFile: ReadonlyMap<string, Activity | null>,
  ): Promise<(SaveResult | AppError)[] | undefined> {
    if (keys.includes('') || new Set(keys).size < keys.length) return undefined;
    const results: (SaveResult | AppError)[] = [];
    const writes: { index: number; checked: CheckedWrite }[] = [];
    for (const index of order) {
      const existing = onFile.get(keys[index]) ?? undefined;
      let checked: ReturnType<typeof checkSave>;
      try {
        checked = checkSave(existing, upserts[index].build(existing ? requestOf(existing) : undefined));
      } catch (error) {
        results[index] = refusalOnly(error);
        continue;
      }
      if ('unchanged' in checked) results[index] = { activity: checked.unchanged, outcome: 'unchanged' };
      else if (existing && existing.providerActivityId !== checked.fields.providerActivityId) return undefined;
      else writes.push({ index, checked });
    }
    if (writes.length === 0) return results;

    const newIds = await repository.nextActivityIds(trx, writes.filter(({ checked }) => !checked.existing).length);
    const toWrite = writes.map(({ index, checked }) => ({
      index,
      checked,
      activity: { id: checked.existing?.id ?? newIds.shift()!, fields: checked.fields, status: checked.to, closedAt: closedAtOf(checked) },
    }));
    const created = toWrite.filter(({ checked }) => !checked.existing).map(({ activity }) => activity);
    const updated = toWrite.filter(({ checked }) => checked.existing).map(({ activity }) => activity);
    // Should the database refuse any of it, the rows are saved again one by one: the one it refuses is tried again or
    // refused alone, the others saved.
    const saved = await inSavepoint(trx, async () => {
      const inserted = await repository.insertActivities(trx, providerOrgId, created);
      if (inserted.size < created.length) throw new NotAllWritten();
      const changed = await repository.updateActivities(trx, providerOrgId, updated);
      if (changed.size < updated.length) throw new NotAllWritten();
      await recordAuditMany(trx, context, toWrite.map(({ checked, activity }) => auditOfWrite(checked, activity.id, providerOrgId)));
      return new Map([...inserted, ...changed]);
    }).catch(() => undefined);
    if (!saved) return undefined;
    for (const { index, checked, activity } of toWrite) results[index] = savedActivity(checked, activity.id, providerOrgId, saved.get(activity.id)!);
    return results;
  }

  /** The upserts saved one by one, each in a savepoint, in the given order; a race lost is tried once more. */
  async function saveEachInSavepoint(
    trx: Executor,
    context: RequestContext,
    upserts: readonly BuiltUpsert[],
    order: readonly number[],
    onFile: Map<string, Activity | null>,
  ): Promise<(SaveResult | AppError)[]> {
    const results: (SaveResult | AppError)[] = [];
    for (const index of order) {
      results[index] = await onceMoreOnRace(() => inSavepoint(trx, () => upsertBuiltIn(trx, context, upserts[index], onFile))).catch(refusalOnly);
    }
    return results;
  }

  async function replace(context: RequestContext, id: string, request: ActivityRequest): Promise<ActivityView> {
    return db.transaction().execute(async (trx) => {
      const existing = await lockOwn(trx, context, id, 'activity.write');
      return toActivityView((await save(trx, context, existing.providerOrgId, existing, request)).activity);
    });
  }

  async function patch(context: RequestContext, id: string, changes: Record<string, unknown>): Promise<ActivityView> {
    return db.transaction().execute(async (trx) => {
      const existing = await lockOwn(trx, context, id, 'activity.write');
      // The patch is checked once merged, so that a wrong shape is a 400 like any other request's.
      const merged = activityInputSchema.safeParse(mergePatch(requestOf(existing), changes));
      if (!merged.success) {
        throw new BadRequestError(
          'invalid_request',
          'The request does not have the expected shape. See problems for each field.',
          merged.error.issues.map((issue) => ({ code: issue.code, field: issue.path.join('.'), message: issue.message })),
        );
      }
      return toActivityView((await save(trx, context, existing.providerOrgId, existing, merged.data)).activity);
    });
  }

  async function get(context: RequestContext, id: string) {
    const activity = await repository.findActivity(db, scopeOf(context.actor), id);
    if (!activity) throw new NotFoundError('activity');
    authorize(context.actor, 'activity.read', { organizationId: activity.providerOrgId }, 'activity');
    const learnerReportCount = await repository.countLearnerReports(db, activity.providerOrgId, id);
    return { ...toActivityView(activity), learnerReportCount };
  }

  async function list(context: RequestContext, query: ListActivitiesQuery) {
    authorize(context.actor, 'activity.list');
    // A cursor goes on the order it came from: another sort's value would be compared with this sort's column. And on
    // the filters it came from: with others, its place would page a list it does not belong to.
    const listedWith = filtersOf(query, ['cursor', 'limit', 'sort', 'order']);
    const after = query.cursor
      ? decodeCursor(query.cursor, { sort: z.literal(query.sort), order: z.literal(query.order), value: sortValueKinds[query.sort], id: cursorField.text }, listedWith)
      : undefined;
    const { activities, more } = await repository.listActivities(db, scopeOf(context.actor), {
      status: query.status,
      type: query.type as ActivityType[] | undefined,
      from: query.from,
      to: query.to,
      q: query.q,
      providerActivityId: query.providerActivityId,
      topic: query.topic as Topic | undefined,
      sort: query.sort,
      order: query.order,
      after: after && { value: after.value, id: after.id },
      limit: query.limit,
    });
    const last = activities.at(-1);
    const today = hubToday();
    return {
      items: activities.map((activity) => toActivityView(activity, today)),
      nextCursor: more && last ? encodeCursor({ sort: query.sort, order: query.order, value: repository.sortValueOf(last, query.sort), id: last.id }, listedWith) : null,
    };
  }

  async function remove(context: RequestContext, id: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const existing = await lockOwn(trx, context, id, 'activity.write');
      const providerOrgId = existing.providerOrgId;
      if (await repository.hasLearnerReports(trx, providerOrgId, id)) {
        throw new ConflictError(
          'activity_has_learner_reports',
          'This activity has learner reports, so it cannot be deleted. Delete its learner reports first, or keep the activity.',
        );
      }
      await repository.deleteActivity(trx, providerOrgId, id);
      await recordAudit(trx, context, {
        action: 'activity.delete',
        entityType: 'activity',
        entityId: id,
        organizationId: providerOrgId,
        details: { providerActivityId: existing.providerActivityId, title: existing.title },
      });
    });
  }

  /** A new draft from an earlier activity, typically the same course a year later. */
  async function copy(
    context: RequestContext,
    id: string,
    body: { providerActivityId: string; title?: string | null; startDate?: string | null; endDate?: string | null },
  ): Promise<ActivityView> {
    return db.transaction().execute(async (trx) => {
      const source = await lockOwn(trx, context, id, 'activity.write');
      const providerOrgId = source.providerOrgId;
      const startDate = body.startDate?.trim() || source.startDate;
      const shift = /^\d{4}-\d{2}-\d{2}$/.test(startDate) ? daysBetween(source.startDate, startDate) : 0;
      const endDate = body.endDate?.trim() || addDays(source.endDate, shift);
      const request: ActivityRequest = {
        ...fieldsOf(source),
        providerActivityId: body.providerActivityId,
        title: body.title?.trim() || source.title,
        startDate,
        endDate,
        mocRegistrations: source.mocRegistrations.map((registration) => ({
          ...registration,
          claimDate: registration.claimDate ? addDays(registration.claimDate, shift) : null,
        })),
        // Year-end data belongs to the year that is over.
        commercialSupport: null,
        learners: null,
        outcomes: [],
        status: 'draft',
      };
      const taken = await repository.findIdByProviderActivityId(trx, providerOrgId, body.providerActivityId.trim());
      if (taken) throw providerActivityIdTaken(body.providerActivityId.trim(), taken);
      const result = await save(trx, context, providerOrgId, undefined, request, {
        action: 'activity.copy',
        details: { copiedFrom: source.id },
      });
      return toActivityView(result.activity);
    });
  }

  /** Opens a closed activity again for changes and learner reports; always audited with the reason. */
  async function reopen(context: RequestContext, id: string, reason: string): Promise<ActivityView> {
    return db.transaction().execute(async (trx) => {
      const existing = await lockOwn(trx, context, id, 'activity.reopen');
      const providerOrgId = existing.providerOrgId;
      if (existing.status !== 'closed') {
        throw new ConflictError('activity_not_closed', 'Only a closed activity can be reopened; this one is not closed.');
      }
      const to = reopenedStatus(fieldsOf(existing), hubToday());
      await repository.updateActivity(trx, providerOrgId, id, fieldsOf(existing), to, null);
      await recordAudit(trx, context, {
        action: 'activity.reopen',
        entityType: 'activity',
        entityId: id,
        organizationId: providerOrgId,
        details: { statusFrom: 'closed', statusTo: to, reason },
      });
      return toActivityView((await repository.findActivity(trx, providerOrgId, id))!);
    });
  }

  async function history(context: RequestContext, id: string) {
    const activity = await repository.findActivity(db, scopeOf(context.actor), id);
    if (!activity) throw new NotFoundError('activity');
    authorize(context.actor, 'activity.read', { organizationId: activity.providerOrgId }, 'activity');
    const entries = await searchAuditEntries(db, { entityType: 'activity', entityId: id, limit: 500 });
    return {
      items: entries.map((entry) => ({
        occurredAt: entry.occurred_at.toISOString(),
        action: entry.action,
        actorLabel: entry.actor_label,
        details: (entry.details as Record<string, unknown> | null) ?? null,
      })),
    };
  }

  return { upsert, upsertEachBuilt, authorizeWrite: ownOrganization, replace, patch, get, list, remove, copy, reopen, history };
}

/** Tries once more when another request created the activity since it was looked up: the second try finds it. */
async function onceMoreOnRace<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof ProviderActivityIdRace) return attempt();
    throw error;
  }
}

/** The error a caller is told (a 4xx), as the result of one upsert of several; any other goes on up. */
function refusalOnly(error: unknown): AppError {
  if (error instanceof AppError && error.status < 500) return error;
  // A value the database refuses, which no check foresaw, rejects its row alone: the savepoint undid what it wrote.
  if (isRefusedValue(error)) {
    return new AppError(422, valueNotStored, refusedRowMessage(error));
  }
  throw error;
}

/** Some of a chunk's activities were not written (another request created one since they were looked up): the chunk is undone. */
class NotAllWritten extends Error {}

/** Another request created an activity with this provider activity ID between our look-up and our insert. */
class ProviderActivityIdRace extends ConflictError {
  constructor(providerActivityId: string) {
    const taken = providerActivityIdTaken(providerActivityId, null);
    super(taken.code, taken.message, taken.problems);
  }
}

function providerActivityIdTaken(providerActivityId: string, otherId: string | null): ConflictError {
  return new ConflictError(
    'provider_activity_id_taken',
    `Provider activity ID "${providerActivityId}" is already used by ${otherId ? `activity ${otherId}` : 'another activity'}.`,
    [
      {
        code: 'provider_activity_id_taken',
        field: 'providerActivityId',
        message: `Provider activity ID "${providerActivityId}" is already used by ${otherId ? `activity ${otherId}` : 'another activity'}; each activity needs its own.`,
      },
    ],
  );
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;
