// What learner reporting takes from the activities, matching and uploads areas, in the shapes its rules use.

import type { Executor } from '../../db/database.ts';
import { findActivitiesForReporting } from '../activities/activities.repository.ts';
import { createMatchingService } from '../matching/matching.service.ts';
import type { IdentityMatch } from './report-outcome.ts';
import type { ActivityForRules } from './report-rules.ts';
import type { ReportedLearner } from './reports.schemas.ts';

/** The provider's activities among `ids`, by id (or `byTitle`, by title too); another provider's activity is simply absent. */
export async function findReportingActivities(
  executor: Executor,
  providerOrgId: string,
  ids: string[],
  options: { byTitle?: boolean } = {},
): Promise<Map<string, ActivityForRules>> {
  const activities = await findActivitiesForReporting(executor, providerOrgId, ids, options);
  return new Map([...activities].map(([id, activity]) => [id, { ...activity, providerOrgId }]));
}

const matching = createMatchingService({});

/** Matches each learner to the registry, in one set-based call; results are in the same order. */
export async function matchReportedIdentities(executor: Executor, learners: ReportedLearner[]): Promise<IdentityMatch[]> {
  if (learners.length === 0) return [];
  const results = await matching.matchIdentities(executor, learners);
  return results.map((result) => ({
    status: result.status,
    personId: result.personId ?? null,
    rule: result.rule ?? null,
    problems: result.problems,
  }));
}

/** The provider a request is for, by its organization id or 7-digit provider ID, as for uploads. */
export { requestedProvider, requiredProvider } from '../organizations/requested-provider.ts';
