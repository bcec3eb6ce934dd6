// What learner reporting takes from the activities, matching and uploads areas, in the shapes its rules use.

import type { Executor } from '../../db/database.ts';
import { sheetRowAt } from '../../files/row-place.ts';
import { activitiesMisspelt, activityOnDay, findActivitiesForReporting, findActivitiesNamedInRows } from '../activities/activities.repository.ts';
import type { ActivityNamed, ReportingActivity } from '../activities/activities.repository.ts';
import { createMatchingService } from '../matching/matching.service.ts';
import { writtenLearnerColumns } from '../uploads/learner-columns.ts';
import { findUploadFile } from '../uploads/uploads.repository.ts';
import type { IdentityMatch } from './report-outcome.ts';
import type { ActivityForRules } from './report-rules.ts';
import type { ReportedLearner } from './reports.schemas.ts';

/** The provider's activities among `ids`, by id; another provider's activity is simply absent. */
export async function findReportingActivities(executor: Executor, providerOrgId: string, ids: string[]): Promise<Map<string, ActivityForRules>> {
  const activities = await findActivitiesForReporting(executor, providerOrgId, ids);
  return new Map([...activities].map(([id, activity]) => [id, { ...activity, providerOrgId }]));
}

/** The activities reports name, each for a completion on a day (a title used again names the one that ran that day). */
export type NamedActivities = {
  named(reference: string, completionDate: string | null | undefined): ActivityForRules | undefined;
  /** How many activities have the title `reference` is, when it names none of them on that day (0 for any other reference). */
  sharingTitle(reference: string): number;
  /** The activity a reference that names none probably meant, its own ID (or, asked `byTitle`, its title) misspelt. */
  misspelt(reference: string): ActivityNamed | undefined;
};

/**
 * The provider's activities that reports name by ID or, asked `byTitle` (a sheet's rows), by title too; another
 * provider's activity is simply absent. `misspelt`: whether to look for the activities the others meant (not for the
 * many lines of a sheet's title block, which mostly name no activity).
 */
export async function findNamedActivities(
  executor: Executor,
  providerOrgId: string,
  references: string[],
  { byTitle = false, misspelt: lookForMisspelt = true }: { byTitle?: boolean; misspelt?: boolean } = {},
): Promise<NamedActivities> {
  const misspeltAmong = async (named: (reference: string) => boolean) => {
    if (!lookForMisspelt) return () => undefined;
    const misspelt = await activitiesMisspelt(executor, providerOrgId, references.filter((reference) => !named(reference)), { titles: byTitle });
    return (reference: string) => misspelt.get(reference);
  };
  if (!byTitle) {
    const found = await findReportingActivities(executor, providerOrgId, references);
    return { named: (reference) => found.get(reference), sharingTitle: () => 0, misspelt: await misspeltAmong((reference) => found.has(reference)) };
  }
  const { found, titled } = await findActivitiesNamedInRows(executor, providerOrgId, references);
  const forRules = (activity: ReportingActivity | undefined) => activity && { ...activity, providerOrgId };
  return {
    misspelt: await misspeltAmong((reference) => found.has(reference) || titled.has(reference)),
    named: (reference, completionDate) => forRules(found.get(reference) ?? activityOnDay(titled.get(reference) ?? [], completionDate)),
    sharingTitle: (reference) => {
      const sharing = titled.get(reference)?.length ?? 0;
      return sharing > 1 ? sharing : 0;
    },
  };
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

/**
 * The file a report was sent in, and its row there as its sender sees it: on its sheet, in a workbook read from several.
 * `valuesAsSent`: a rejected row's values as the file gave them, by column, while the file is kept (they go with it).
 */
export type SentIn = { uploadId: string; fileName: string | null; rowNumber: number | null; sheet: string | null; valuesAsSent: ValueAsSent[] | null };

/** `field`: the learner file's column (`firstName`, `cmeCredits`); `column`: its heading in the template. */
export type ValueAsSent = { field: string; column: string; value: string };

export async function sentInUpload(executor: Executor, uploadId: string, rowNumber: number | null, { rejected }: { rejected: boolean }): Promise<SentIn> {
  const upload = await findUploadFile(executor, uploadId, rejected ? rowNumber : null);
  const row = rowNumber === null ? { rowNumber: null, sheet: null } : sheetRowAt(rowNumber, upload?.sheets ?? null);
  const sent = upload?.sent_values ?? null;
  // By the columns of a learner file, in the template's order, as the rows to fix name them.
  const valuesAsSent = sent
    ? writtenLearnerColumns.map((column) => ({ field: column.name, column: column.label, value: sent[column.name] ?? '' })).filter(({ value }) => value !== '')
    : null;
  return { uploadId, fileName: upload?.file_name ?? null, ...row, valuesAsSent };
}

/** The provider a request is for, by its organization id or 7-digit provider ID, as for uploads. */
export { requestedProvider, requiredProvider } from '../organizations/requested-provider.ts';
export { findProviderOrganization } from '../organizations/organizations.repository.ts';
