import { api } from '../../api/client.ts';
import { readAllPages } from '../../api/pages.ts';
import type { Page } from '../../api/types.ts';
import type { PersonCredit } from '../reports/reportsApi.ts';

export type OwnCreditQuery = { since?: string; until?: string; limit?: number; cursor?: string };

/** The hub's most per page of credits. */
const MAX_PAGE = 1000;

export const passportApi = {
  credits: (query: OwnCreditQuery, signal?: AbortSignal) => api.get<Page<PersonCredit>>('/api/v1/me/credits', query, signal),

  /** Every credit completed in the period (a physician has at most a few hundred a year). */
  allCredits: (query: Omit<OwnCreditQuery, 'limit' | 'cursor'>, signal?: AbortSignal) =>
    readAllPages((cursor) => passportApi.credits({ ...query, limit: MAX_PAGE, cursor }, signal)),
};
