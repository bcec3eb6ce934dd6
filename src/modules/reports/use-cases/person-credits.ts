import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import * as repository from '../reports.repository.ts';
import { creditPage, creditRange } from './credit-pages.ts';
import type { CreditQuery } from './credit-pages.ts';

/** The physician's own passport: every accepted credit reported for them, by any provider. */
export async function ownCredits(executor: Executor, context: RequestContext, query: CreditQuery) {
  authorize(context.actor, 'ownCredits.read');
  const personId = context.actor.personId as string;
  const rows = await repository.findPersonCreditLines(executor, personId, creditRange(query, personId));
  await recordAudit(executor, context, {
    action: 'person_credits.read',
    entityType: 'person',
    entityId: personId,
    organizationId: null,
    details: { count: Math.min(rows.length, query.limit) },
  });
  return creditPage(rows, query, personId);
}
