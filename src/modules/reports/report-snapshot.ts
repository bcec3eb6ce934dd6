// The parts of a report that a correction can change, as recorded in its history. Pure.

import type { LearnerReportRow } from './reports.repository.ts';

export type ReportSnapshot = Record<string, unknown>;

/** The learner's fields of a stored report as they were sent, each null when it was not. */
export function learnerFieldsOf(row: LearnerReportRow) {
  return {
    firstName: row.first_name,
    lastName: row.last_name,
    birthMonth: row.birth_month,
    birthDay: row.birth_day,
    state: row.state,
    licenseNumber: row.license_number,
    npi: row.npi,
    board: row.board,
    boardId: row.board_id,
  };
}

export function snapshotOf(row: LearnerReportRow): ReportSnapshot {
  return {
    activityId: row.activity_id,
    status: row.status,
    personId: row.person_id,
    completionDate: row.completion_date,
    credits: row.credits.map((credit) => ({ type: credit.type, amount: Number(credit.amount) })),
    consent: row.consent,
    creditId: row.credit_id,
    ...learnerFieldsOf(row),
    late: row.late,
  };
}

/** Only what changed, before and after. */
export function changedFields(before: ReportSnapshot, after: ReportSnapshot): { before: ReportSnapshot; after: ReportSnapshot } {
  const changed = Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key]])),
    after: Object.fromEntries(changed.map((key) => [key, after[key]])),
  };
}
