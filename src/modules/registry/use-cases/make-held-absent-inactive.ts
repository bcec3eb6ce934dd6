import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { ConflictError, NotFoundError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import * as repository from '../registry.repository.ts';

/**
 * The board confirms that its full roster, which left out too many licenses to make them inactive unasked, lists
 * every licensee: those licenses become inactive now. Only while the load is the board's latest: a later load has
 * listed licenses this file did not, which would be made inactive wrongly.
 */
export async function makeHeldAbsentInactive(db: Kysely<DB>, context: RequestContext, organizationId: string, loadId: string) {
  authorize(context.actor, 'roster.load', { organizationId }, 'board');
  const scope = await repository.findBoardScope(db, organizationId);
  if (!scope) throw new NotFoundError('board');
  return db.transaction().execute(async (trx) => {
    const load = await repository.lockLoad(trx, loadId);
    if (!load || load.organization_id !== organizationId) throw new NotFoundError('roster load');
    const licenses = load.kind === 'certifications' ? 'certifications' : 'licenses';
    if (load.absent_held === null) {
      throw new ConflictError(
        'nothing_held',
        load.full_roster && load.status === 'completed'
          ? `This load has no ${licenses} left as they were to make inactive: ${load.deactivated_count.toLocaleString('en-US')} were made inactive when it ended.`
          : `Only a full roster that left out many ${licenses} holds them for your word; this load did not.`,
      );
    }
    const latest = await repository.latestLoadOf(trx, organizationId);
    if (latest && latest.id !== load.id) {
      throw new ConflictError(
        'later_load',
        `A later roster load (${latest.file_name ?? 'a file'}, started ${new Date(latest.started_at).toISOString().slice(0, 16).replace('T', ' ')} UTC) has changed the registry since this one: ${licenses} it listed are not in this file, and would be made inactive wrongly. Load the full roster again, as the latest.`,
      );
    }
    const deactivated = await repository.deactivateAbsent(trx, loadId, scope);
    const recorded = await repository.recordAbsentMadeInactive(trx, loadId, deactivated);
    await recordAudit(trx, context, {
      action: `registry.${licenses}.absent_inactive`,
      entityType: 'roster_load',
      entityId: loadId,
      organizationId,
      details: { held: load.absent_held, deactivated },
    });
    return recorded;
  });
}
