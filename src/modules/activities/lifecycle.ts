// The activity lifecycle: Draft -> Active -> Ready to close -> Closed. A status is reached when its
// rules hold; a closed activity changes only by being reopened.

import type { Problem } from '../../http/errors.ts';
import type { ActivityFields } from './activity.ts';
import { PROVIDERSHIPS } from './vocabulary.ts';

export const ACTIVITY_STATUSES = {
  draft: 'Draft',
  active: 'Active',
  ready_to_close: 'Ready to close',
  closed: 'Closed',
} as const;
export type ActivityStatus = keyof typeof ACTIVITY_STATUSES;
export const ACTIVITY_STATUS_CODES = Object.keys(ACTIVITY_STATUSES) as ActivityStatus[];

export function isActivityStatus(value: string): value is ActivityStatus {
  return Object.hasOwn(ACTIVITY_STATUSES, value);
}

/**
 * What stops `fields` from being saved in status `to` when the activity is now in `from` (null for a
 * new activity). Empty when the change is allowed. `today` is the hub's calendar date.
 */
export function statusProblems(
  from: ActivityStatus | null,
  to: ActivityStatus,
  fields: ActivityFields,
  today: string,
): Problem[] {
  if (from === to) return [];
  if (from === 'closed') {
    return [problem('status', 'reopen_required', 'This activity is closed. Reopen it before changing its status.')];
  }
  switch (to) {
    case 'draft':
      return [];
    case 'active':
      return fields.endDate < today
        ? [problem('status', 'end_date_past', `An activity can only be active until its end date; ${fields.endDate} has passed. Mark it ready to close instead.`)]
        : [];
    case 'ready_to_close':
      return fields.endDate >= today
        ? [problem('status', 'end_date_not_past', `An activity is ready to close once its end date has passed; it ends ${fields.endDate}.`)]
        : [];
    case 'closed':
      return [
        ...(fields.endDate >= today
          ? [problem('status', 'end_date_not_past', `An activity can be closed once its end date has passed; it ends ${fields.endDate}.`)]
          : []),
        ...closingProblems(fields),
      ];
  }
}

/** The year-end data an activity needs before it can be closed. */
export function closingProblems(fields: ActivityFields): Problem[] {
  const problems: Problem[] = [];
  if (fields.outcomes.length === 0) {
    problems.push(problem('outcomes', 'required_to_close', 'Choose at least one outcome measured (such as learner competence) before closing.'));
  }
  if (fields.commercialSupport === null) {
    problems.push(problem('commercialSupport.received', 'required_to_close', 'Say whether the activity received commercial support before closing.'));
  } else if (fields.commercialSupport.received && fields.commercialSupport.sources.length === 0) {
    problems.push(problem('commercialSupport.sources', 'required_to_close', 'List each commercial supporter with the amount or in-kind support before closing.'));
  }
  if (fields.learners.physicians === null) {
    problems.push(problem('learners.physicians', 'required_to_close', 'Give the number of physician learners before closing (0 is allowed).'));
  }
  if (fields.learners.others === null) {
    problems.push(problem('learners.others', 'required_to_close', 'Give the number of other learners before closing (0 is allowed).'));
  }
  if (fields.providership === 'joint' && fields.jointProviders.length === 0) {
    problems.push(problem('jointProviders', 'required_to_close', `Name the joint providers of this ${PROVIDERSHIPS.joint.toLowerCase()} activity before closing.`));
  }
  for (const [index, registration] of fields.mocRegistrations.entries()) {
    if (!registration.claimDate) {
      problems.push(problem(`mocRegistrations.${index}.claimDate`, 'required_to_close', `Give the ${registration.board} MOC credit claim date before closing.`));
    }
  }
  return problems;
}

/** The status a reopened activity returns to: active while its end date is to come, else ready to close. */
export function reopenedStatus(fields: ActivityFields, today: string): ActivityStatus {
  return fields.endDate >= today ? 'active' : 'ready_to_close';
}

/** The statuses a person can move the activity to from `from` right now, for the UI's buttons. */
export function nextStatuses(from: ActivityStatus, fields: ActivityFields, today: string): ActivityStatus[] {
  if (from === 'closed') return [];
  return ACTIVITY_STATUS_CODES.filter((to) => to !== from && statusProblems(from, to, fields, today).length === 0);
}

/** Learner reports are taken while an activity runs and until it is closed; a draft takes none. */
export function acceptsLearnerReports(status: ActivityStatus): boolean {
  return status === 'active' || status === 'ready_to_close';
}

function problem(field: string, code: string, message: string): Problem {
  return { code, field, message };
}
