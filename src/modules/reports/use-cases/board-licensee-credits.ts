import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { BadRequestError, NotFoundError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit, recordAuditMany } from '../../audit-log/audit-log.service.ts';
import { readLicenseeSearch } from '../../registry/licensee-search.ts';
import { findBoardScope, findCoveredPersons, personsCoveredBy } from '../../registry/registry.repository.ts';
import type { BoardScope, CoveredPerson } from '../../registry/registry.repository.ts';
import * as repository from '../reports.repository.ts';
import { creditPage, creditRange } from './credit-pages.ts';
import type { CreditQuery } from './credit-pages.ts';

export type BoardCreditQuery = CreditQuery & { personId?: string; q?: string };

/** The most physicians a search lists, and whose credits it shows; more found are said to be there. */
export const LICENSEES_FOUND_MAX = 20;

/**
 * Report once, seen everywhere: a licensing board sees every accepted credit of the people it
 * licenses, whichever state the provider named; a certifying board sees the lines of its MOC credit
 * types. A person the board does not cover (nor, for a certifying board, was reported MOC credit of) is not found.
 *
 * The list is narrowed to one physician by id (`personId`, as links give it), or to those a search finds
 * among the board's own people (`q`: a name, license number, board ID or NPI), listed beside the credits.
 */
export async function boardLicenseeCredits(executor: Executor, context: RequestContext, boardOrgId: string, query: BoardCreditQuery) {
  authorize(context.actor, 'licenseeCredits.read', { organizationId: boardOrgId }, 'board');
  const board = await findBoardScope(executor, boardOrgId);
  if (!board) throw new NotFoundError('board');
  refuseReversedDates(query);
  const search = query.q?.trim() || undefined;
  if (search && query.personId) {
    throw new BadRequestError('physician_named_twice', 'Name the physician by personId or find them with q, not both.', [
      { code: 'physician_named_twice', field: 'q', message: 'Give either a physician’s ID (personId) or a search (q), not both.' },
    ]);
  }
  // A physician named by id is one the board covers, or is not found: whoever else it is stays unsaid, and unread.
  const named = query.personId ? await findCoveredPersons(executor, board, { personId: query.personId }, 1, reportedToBoard(executor, board)) : null;
  if (named?.length === 0) throw new NotFoundError('licensee');
  if (search) return searchedCredits(executor, context, boardOrgId, board, query, search);

  const rows = await repository.findBoardCreditLines(executor, creditScope(executor, board), { ...creditRange(query, boardOrgId), personId: query.personId });
  const page = creditPage(rows, query, boardOrgId);
  await recordAudit(executor, context, {
    action: 'licensee_credits.read',
    entityType: query.personId ? 'person' : 'board',
    entityId: query.personId ?? boardOrgId,
    organizationId: boardOrgId,
    details: { lines: page.items.length, people: new Set(page.items.map((item) => item.personId)).size },
  });
  return named ? { ...page, licensees: named } : page;
}

/** The credits of the board's own physicians whom the search finds, and who they are. */
async function searchedCredits(
  executor: Executor,
  context: RequestContext,
  boardOrgId: string,
  board: BoardScope,
  query: BoardCreditQuery,
  search: string,
) {
  const found = await findCoveredPersons(
    executor,
    board,
    readLicenseeSearch(search, board.kind === 'licensing_board' ? board.jurisdiction : null),
    LICENSEES_FOUND_MAX + 1,
    reportedToBoard(executor, board),
  );
  const licensees: CoveredPerson[] = found.slice(0, LICENSEES_FOUND_MAX);
  const moreLicensees = found.length > LICENSEES_FOUND_MAX;
  if (licensees.length === 0) {
    // No one's record was read; what was searched for stays out of the log, as names and numbers do.
    await recordAudit(executor, context, {
      action: 'licensee_credits.read',
      entityType: 'board',
      entityId: boardOrgId,
      organizationId: boardOrgId,
      details: { search: true, found: 0, lines: 0 },
    });
    return { items: [], nextCursor: null, licensees, moreLicensees };
  }
  const rows = await repository.findBoardCreditLines(executor, creditScope(executor, board), {
    ...creditRange(query, boardOrgId),
    amongPersons: licensees.map((licensee) => licensee.personId),
  });
  const page = creditPage(rows, query, boardOrgId);
  // Each physician the search found had their record read, credits or none.
  await recordAuditMany(
    executor,
    context,
    licensees.map((licensee) => ({
      action: 'licensee_credits.read',
      entityType: 'person',
      entityId: licensee.personId,
      organizationId: boardOrgId,
      details: { search: true, found: licensees.length, lines: page.items.filter((item) => item.personId === licensee.personId).length },
    })),
  );
  return { ...page, licensees, moreLicensees };
}

/**
 * The physicians a certifying board sees credit of though its roster may not list them: those reported MOC credit of
 * its own, which its list of credits shows, and so its search finds.
 */
function reportedToBoard(executor: Executor, board: BoardScope) {
  return board.kind === 'certifying_board' ? repository.personsWithMocCreditOf(executor, board.boardCode) : undefined;
}

function creditScope(executor: Executor, board: BoardScope) {
  return board.kind === 'licensing_board' ? { personIds: personsCoveredBy(executor, board) } : { mocBoardCode: board.boardCode };
}

/** A range whose start is after its end lists nothing: it is said, rather than shown as a board without credits. */
function refuseReversedDates(query: BoardCreditQuery): void {
  if (query.since && query.until && query.since > query.until) {
    const message = `The start date ${query.since} (since) is after the end date ${query.until} (until).`;
    throw new BadRequestError('dates_reversed', message, [{ code: 'dates_reversed', field: 'since', message }]);
  }
}
