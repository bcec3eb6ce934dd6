import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { NotFoundError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { boardCoversPerson, findBoardScope, personsCoveredBy } from '../../registry/registry.repository.ts';
import * as repository from '../reports.repository.ts';
import { creditPage, creditRange } from './credit-pages.ts';
import type { CreditQuery } from './credit-pages.ts';

/**
 * Report once, seen everywhere: a licensing board sees every accepted credit of the people it
 * licenses, whichever state the provider named; a certifying board sees the lines of its MOC credit
 * types. A person the licensing board does not license is not found.
 */
export async function boardLicenseeCredits(
  executor: Executor,
  context: RequestContext,
  boardOrgId: string,
  query: CreditQuery & { personId?: string },
) {
  authorize(context.actor, 'licenseeCredits.read', { organizationId: boardOrgId }, 'board');
  const board = await findBoardScope(executor, boardOrgId);
  if (!board) throw new NotFoundError('board');
  if (board.kind === 'licensing_board' && query.personId && !(await boardCoversPerson(executor, board, query.personId))) {
    throw new NotFoundError('licensee');
  }
  const rows = await repository.findBoardCreditLines(
    executor,
    board.kind === 'licensing_board' ? { personIds: personsCoveredBy(executor, board) } : { mocBoardCode: board.boardCode },
    { ...creditRange(query), personId: query.personId },
  );
  const page = creditPage(rows, query.limit);
  await recordAudit(executor, context, {
    action: 'licensee_credits.read',
    entityType: query.personId ? 'person' : 'board',
    entityId: query.personId ?? boardOrgId,
    organizationId: boardOrgId,
    details: { lines: page.items.length, people: new Set(page.items.map((item) => item.personId)).size },
  });
  return page;
}
