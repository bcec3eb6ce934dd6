// The rules a learner report must pass before it can carry credit. Pure functions: no I/O, no clock.

import { AMA_PRA_CAT1, CREDIT_TYPES, creditTypeName, isCreditType, isQuarterStep, MAX_CREDIT_AMOUNT } from '../activities/credit-types.ts';
import type { ActivityNamed } from '../activities/activities.repository.ts';
import { daysBetween, isIsoDate } from '../activities/dates.ts';
import { dayOfYear } from '../../files/written-dates.ts';
import type { MonthDay } from '../../files/written-dates.ts';
import { acceptsLearnerReports, isActivityStatus } from '../activities/lifecycle.ts';

export type RuleProblem = { code: string; field: string; message: string };

export type ReportedCredit = { type: string; amount: number };

/** What the rules need to know about an activity. */
export type ActivityForRules = {
  id: string;
  /** The provider's own ID for it, by which its coordinators know it. */
  providerActivityId: string;
  providerOrgId: string;
  type: string;
  startDate: string | null;
  endDate: string | null;
  status: string;
  credits: { type: string; amount: number }[];
};

export type ReportForRules = {
  activityId: string;
  /** Null for a rejected row whose date could not be read: the activity's other rules are still checked. */
  completionDate: string | null;
  credits: ReportedCredit[];
  consent?: string | null;
};

/** Reported more than this many days after completion, a report is late. */
export const LATE_AFTER_DAYS = 30;

/** Activity types whose completion is not tied to one date but to the period the material was available. */
const ENDURING_TYPES = new Set(['EM', 'IEM', 'JN']);

/** Regular series: one report per session date, not one per activity. */
export const REGULAR_SERIES_TYPE = 'RSS';

/**
 * What to do about a title several of the provider's activities have, which the completion date (null when none
 * was given) does not tell apart.
 */
export function sharedTitleMessage(title: string, sharing: number, completionDate: string | null): string {
  return completionDate
    ? `${sharing} of your activities have the title "${title}", and the completion date ${completionDate} does not tell which: none of them, or more than one, ran that day. Write the activity's 9-digit hub activity ID, or your own ID for it.`
    : `${sharing} of your activities have the title "${title}": write the activity's 9-digit hub activity ID, or your own ID for it (or give the completion date too, when only one of them ran that day).`;
}

/**
 * `sharingTitle`: how many of the provider's activities have the title the report names its activity by, when
 * its completion date does not tell which (none of them, or several, ran that day); 0 when it is no such title.
 * `creditsFromActivity`: the report was sent without credits and carries those its activity designates
 * (`creditsDesignatedBy`), or none when the activity is not found.
 */
/** The question a reference with a typo asks of the activity it probably meant; nothing without one. */
export function activityMeant(misspelt: ActivityNamed | undefined): string {
  return misspelt ? ` Is it ${meantActivityWords(misspelt)}?` : '';
}

/** An activity a typo probably meant, named as it was misspelt: "GR-1" (its title), or "its title" (your ID GR-1). */
export function meantActivityWords(misspelt: ActivityNamed): string {
  return misspelt.by === 'id' ? `"${misspelt.providerActivityId}" (${misspelt.title})` : `"${misspelt.title}" (your ID ${misspelt.providerActivityId})`;
}

/**
 * A report naming an activity its provider does not have, by `reference` (a hub ID or the provider's own);
 * `misspelt`: the activity whose own ID it probably is, a letter or two wrong.
 */
export function activityNotFound(reference: string, misspelt?: ActivityNamed): RuleProblem {
  return {
    code: 'activity_not_found',
    field: 'activityId',
    message: `Your organization has no activity with the ID "${reference}".${activityMeant(misspelt)} Write its 9-digit hub activity ID, or your own ID for it as registered with the hub.`,
  };
}

export function checkReportRules(
  report: ReportForRules,
  activity: ActivityForRules | undefined,
  providerOrgId: string,
  today: string,
  {
    sharingTitle = 0,
    creditsFromActivity = false,
    misspeltActivity,
  }: { sharingTitle?: number; creditsFromActivity?: boolean; misspeltActivity?: ActivityNamed } = {},
): RuleProblem[] {
  const problems: RuleProblem[] = [...checkConsent(report.consent)];
  // Credits to come from an activity not found are not the report's to give.
  if (!creditsFromActivity || activity) problems.push(...checkCreditAmounts(report.credits));

  if (!activity || activity.providerOrgId !== providerOrgId) {
    problems.push(
      sharingTitle > 1
        ? { ...activityNotFound(report.activityId), message: sharedTitleMessage(report.activityId, sharingTitle, report.completionDate) }
        : activityNotFound(report.activityId, misspeltActivity),
    );
    return problems;
  }
  if (activity.status === 'closed') {
    problems.push({
      code: 'activity_closed',
      field: 'activityId',
      message: `Activity ${activityName(activity)} is closed; learners can no longer be reported for it.`,
    });
  } else if (!isActivityStatus(activity.status) || !acceptsLearnerReports(activity.status)) {
    problems.push({
      code: 'activity_not_active',
      field: 'activityId',
      message: `Activity ${activityName(activity)} is still a draft; make it active before reporting learners.`,
    });
  }
  if (report.completionDate) problems.push(...checkCompletionDate(report.completionDate, activity, today));
  problems.push(...checkDesignatedCredits(report.credits, activity));
  return problems;
}

/** The learner's consent, which every report needs, whatever its activity. */
export function checkConsent(consent: string | null | undefined): RuleProblem[] {
  if (consent === 'written' || consent === 'implied') return [];
  return [{ code: 'consent_missing', field: 'consent', message: 'The learner’s consent to be reported is required: "written" or "implied".' }];
}

export function checkCompletionDate(completionDate: string, activity: ActivityForRules, today: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (completionDate > today) {
    problems.push({
      code: 'completion_date_in_future',
      field: 'completionDate',
      message: `The completion date ${completionDate} is in the future.`,
    });
  }
  const windowStart = reportingWindowStart(today);
  if (completionDate < windowStart) {
    problems.push({
      code: 'completion_date_outside_reporting_window',
      field: 'completionDate',
      message: `Completions can be reported for this year and the previous one (from ${windowStart}); ${completionDate} is too old.`,
    });
  }
  const beforeStart = activity.startDate !== null && completionDate < activity.startDate;
  const afterEnd = activity.endDate !== null && completionDate > activity.endDate;
  if (beforeStart || afterEnd) {
    const period = activityPeriod(activity);
    problems.push({
      code: 'completion_date_outside_activity',
      field: 'completionDate',
      message: ENDURING_TYPES.has(activity.type)
        ? `The completion date ${completionDate} is outside the period the material was available (${period}).`
        : `The completion date ${completionDate} is outside the activity’s dates (${period}).`,
    });
  }
  return problems;
}

/** "2026-11-13 to 2026-11-13": the days an activity takes, "…" for an end left open. */
function activityPeriod(activity: ActivityForRules): string {
  return `${activity.startDate ?? '…'} to ${activity.endDate ?? '…'}`;
}

/** "its dates are 2026-11-13 to 2026-11-13", or for an enduring material the period it was available. */
export function activityDatesText(activity: ActivityForRules): string {
  return `${ENDURING_TYPES.has(activity.type) ? 'available' : 'its dates are'} ${activityPeriod(activity)}`;
}

/**
 * The day a completion date written without its year ("11/13") is, told by its activity: of the days of that month
 * and day in the reporting window (this year and the last), the one its activity takes (`checkCompletionDate`).
 * `activityOn`: the activity the row names, for a completion on a day (a title several activities share names the
 * one held that day). Otherwise, why the year cannot be told: the activity takes none of them, or both (a material
 * available for years); null when the row names no activity on either day, or neither year has the day (February 29).
 */
export function completionDayOfActivity(
  monthDay: MonthDay,
  activityOn: (day: string) => ActivityForRules | undefined,
  today: string,
): { day: string } | { because: string } | null {
  const thisYear = Number(today.slice(0, 4));
  const years = [thisYear - 1, thisYear];
  // February 29 is a day only of a leap year.
  const days = years.map((year) => dayOfYear(year, monthDay)).filter(isIsoDate);
  const named = days.map((day) => ({ day, activity: activityOn(day) }));
  const taken = named.flatMap(({ day, activity }) => (activity && checkCompletionDate(day, activity, today).length === 0 ? [{ day, activity }] : []));
  if (taken.length === 1) return { day: taken[0].day };
  const activity = named.find((one) => one.activity)?.activity;
  if (!activity) return null;
  if (taken.length === 0) {
    const daysWords = days.length === 1 ? `${days[0]} is not` : `neither ${days[0]} nor ${days[1]} is`;
    // A day its activity takes but yet to come (one it takes, were that day today) is said apart, with its activity's dates.
    const toCome = named.find(({ day, activity: ofDay }) => day > today && ofDay && checkCompletionDate(day, ofDay, day).length === 0);
    const dates = activityDatesText(toCome?.activity ?? activity);
    return { because: `and ${daysWords} a day its activity takes (${toCome ? `${dates}; ${toCome.day} is yet to come` : dates})` };
  }
  const [earlier, later] = taken;
  // A title sessions share may name one session in each year: each is said with its own dates.
  if (earlier.activity.id !== later.activity.id) {
    return {
      because: `and of your activities with its title, one takes it in ${years[0]} (${activityDatesText(earlier.activity)}) and another in ${years[1]} (${activityDatesText(later.activity)})`,
    };
  }
  return { because: `and its activity takes it in both ${years[0]} and ${years[1]} (${activityDatesText(activity)})` };
}

/** What is wrong with a claimed amount, and the amounts near it that could be meant; null when it is one. */
function creditAmountProblem(amount: number): string | null {
  if (!(amount > 0)) return 'credits are more than 0, such as 0.25 or 1.5';
  if (amount > MAX_CREDIT_AMOUNT) return `credits are at most ${MAX_CREDIT_AMOUNT}`;
  if (isQuarterStep(amount)) return null;
  return amount > 0.25 ? `credits are in steps of 0.25: ${quarterStepsNear(amount)}` : 'credits are in steps of 0.25, the least 0.25';
}

/** The credits an amount off the quarter steps was probably meant as: "1.25 or 1.5"; below the least, 0.25. */
export function quarterStepsNear(amount: number): string {
  const below = Math.floor(amount * 4) / 4;
  return below > 0 ? `${below} or ${below + 0.25}` : '0.25';
}

export function checkCreditAmounts(credits: ReportedCredit[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (credits.length === 0) {
    problems.push({ code: 'credits_missing', field: 'credits', message: 'Report at least one credit line.' });
  }
  const seen = new Set<string>();
  credits.forEach((credit, index) => {
    if (!isCreditType(credit.type)) {
      problems.push({
        code: 'credit_type_unknown',
        field: `credits.${index}.type`,
        message: `${credit.type} is not a credit type the hub knows, such as ${Object.keys(CREDIT_TYPES)[0]}.`,
      });
    }
    const amountProblem = creditAmountProblem(credit.amount);
    if (amountProblem) {
      problems.push({ code: 'credit_amount_invalid', field: `credits.${index}.amount`, message: `The amount ${credit.amount} is not valid: ${amountProblem}.` });
    }
    if (seen.has(credit.type)) {
      problems.push({
        code: 'credit_type_repeated',
        field: `credits.${index}.type`,
        message: `${credit.type} appears more than once; report each credit type on one line.`,
      });
    }
    seen.add(credit.type);
  });
  return problems;
}

/** "DEMO-EOL (hub ID 100000017)": the provider's own ID, which the file most likely holds, and the hub's. */
export function activityName(activity: ActivityForRules): string {
  return `${activity.providerActivityId} (hub ID ${activity.id})`;
}

/**
 * The credits of a learner reported without any (a sign-in sheet has no credits column): the AMA PRA Category 1
 * credits the activity designates, the whole of them, as attending a live session earns.
 */
export function creditsDesignatedBy(activity: ActivityForRules): ReportedCredit[] {
  return activity.credits.filter((credit) => credit.type === AMA_PRA_CAT1).map(({ type, amount }) => ({ type, amount }));
}

export function checkDesignatedCredits(credits: ReportedCredit[], activity: ActivityForRules): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const designated = new Map(activity.credits.map((credit) => [credit.type, credit.amount]));
  credits.forEach((credit, index) => {
    const maximum = designated.get(credit.type);
    if (maximum === undefined && isCreditType(credit.type)) {
      problems.push({
        code: 'credit_type_not_designated',
        field: `credits.${index}.type`,
        message: `Activity ${activityName(activity)} is not designated for ${creditTypeName(credit.type)}.`,
      });
    } else if (maximum !== undefined && credit.amount > maximum) {
      problems.push({
        code: 'credits_exceed_designated',
        field: `credits.${index}.amount`,
        message: `Activity ${activityName(activity)} designates at most ${maximum} ${creditTypeName(credit.type)}; ${credit.amount} were reported.`,
      });
    }
  });
  return problems;
}

/** The earliest completion date still reportable: 1 January of the previous year. */
export function reportingWindowStart(today: string): string {
  return `${Number(today.slice(0, 4)) - 1}-01-01`;
}

export function isLate(completionDate: string, reportedOn: string): boolean {
  return daysBetween(completionDate, reportedOn) > LATE_AFTER_DAYS;
}


/**
 * The date part of the natural key: a regular series gets one report per session date, any other
 * activity one report per physician, whatever date is sent again.
 */
export function sessionDateFor(activityType: string, completionDate: string): string | null {
  return activityType === REGULAR_SERIES_TYPE ? completionDate : null;
}
