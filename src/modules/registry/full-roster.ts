import type { Executor } from '../../db/database.ts';
import * as repository from './registry.repository.ts';
import type { BoardScope } from './registry.repository.ts';

/** What a full roster did of the board's practising licenses it left out: made inactive, or held for the board's word. */
export type AbsentFromLoad = { deactivated: number; absentHeld: number | null };

export const noneAbsent: AbsentFromLoad = { deactivated: 0, absentHeld: null };

/**
 * A full roster leaving out more than a tenth of the board's practising licenses, and more than 25 of them, is more
 * often an export cut short or a filter left on than the whole roster; a board deciding who may practise would
 * find thousands of licensees inactive. Those licenses are left as they were until the board confirms.
 */
export const absentHeldAbove = { share: 0.1, licenses: 25 };

/** Makes inactive the practising licenses a full roster left out, unless they are too many to without the board's word. */
export async function leftOutOfFullRoster(executor: Executor, loadId: string, scope: BoardScope): Promise<AbsentFromLoad> {
  const { absent, practising } = await repository.countAbsentFromLoad(executor, loadId, scope);
  if (absent > absentHeldAbove.licenses && absent > practising * absentHeldAbove.share) return { deactivated: 0, absentHeld: absent };
  return { deactivated: await repository.deactivateAbsent(executor, loadId, scope), absentHeld: null };
}
