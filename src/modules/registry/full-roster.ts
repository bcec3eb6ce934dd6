import type { Executor } from '../../db/database.ts';
import { count } from '../uploads/upload-lines.ts';
import * as repository from './registry.repository.ts';
import type { BoardScope } from './registry.repository.ts';

/**
 * What a full roster did of the board's practising licenses it did not load: those it left out made inactive, or held
 * for the board's word; those a rejected row of it names left as they were (`keptForRejectedRows`).
 */
export type AbsentFromLoad = { deactivated: number; absentHeld: number | null; keptForRejectedRows: number };

export const noneAbsent: AbsentFromLoad = { deactivated: 0, absentHeld: null, keptForRejectedRows: 0 };

/** What a full roster says of the licenses (or certifications) its rejected rows name, in the receipt and the command's summary. */
export function keptForRejectedRowsWords(kept: number, kind: 'licenses' | 'certifications'): string {
  return kept === 1
    ? `1 ${kind.slice(0, -1)} named by a row that was rejected was left as it was, not made inactive: correct that row and load the file again`
    : `${count(kept)} ${kind} named by rows that were rejected were left as they were, not made inactive: correct those rows and load the file again`;
}

/**
 * A full roster leaving out more than a tenth of the board's practising licenses, and more than 25 of them, is more
 * often an export cut short or a filter left on than the whole roster; a board deciding who may practise would
 * find thousands of licensees inactive. Those licenses are left as they were until the board confirms.
 */
export const absentHeldAbove = { share: 0.1, licenses: 25 };

/** Makes inactive the practising licenses a full roster left out, unless they are too many to without the board's word. */
export async function leftOutOfFullRoster(executor: Executor, loadId: string, scope: BoardScope): Promise<AbsentFromLoad> {
  const { absent, practising, keptForRejectedRows } = await repository.countAbsentFromLoad(executor, loadId, scope);
  if (absent > absentHeldAbove.licenses && absent > practising * absentHeldAbove.share) return { deactivated: 0, absentHeld: absent, keptForRejectedRows };
  return { deactivated: await repository.deactivateAbsent(executor, loadId, scope), absentHeld: null, keptForRejectedRows };
}
