import { formatDate } from '../../format.ts';

/** An activity's dates as people read them: one day, or first – last. */
export function activityDates(activity: { startDate: string; endDate: string }): string {
  return activity.startDate === activity.endDate
    ? formatDate(activity.startDate)
    : `${formatDate(activity.startDate)} – ${formatDate(activity.endDate)}`;
}

/** The hub keeps activity dates on US Eastern time (as PARS does), so "ended" means the same here as there. */
const hubDayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in the hub's calendar, as `YYYY-MM-DD`. */
export function hubToday(now: Date = new Date()): string {
  return hubDayFormat.format(now);
}
