import { Link } from 'react-router-dom';
import type { Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ResultTable } from '../../components/ResultTable.tsx';
import { Section } from '../../components/Section.tsx';
import type { ApiState } from '../../hooks/useApi.ts';
import { activitiesApi, type Activity } from '../activities/activitiesApi.ts';
import { activityDates } from '../activities/dates.ts';
import { StatusTag } from '../activities/vocabulary.tsx';
import { nextStep } from './activityAttention.ts';

/** Rows shown of each kind; the links lead to the rest. */
const SHOWN = 5;
/** Enough ended activities to fill the table even where some listed still run. */
const ENDED_PAGE = 50;

export type ActivityOverview = {
  hasActivities: boolean;
  ended: Activity[];
  moreEnded: boolean;
  drafts: Activity[];
  moreDrafts: boolean;
};

/** Whether the provider has any activity yet, and the ones waiting for them. */
export async function loadActivityOverview(today: string, signal: AbortSignal): Promise<ActivityOverview> {
  // Ending first, so the ones already ended lead the page.
  const [running, drafts, any] = await Promise.all([
    activitiesApi.list({ status: 'active,ready_to_close', sort: 'endDate', order: 'asc', limit: ENDED_PAGE }, signal),
    activitiesApi.list({ status: 'draft', sort: 'startDate', order: 'asc', limit: SHOWN }, signal),
    activitiesApi.list({ limit: 1 }, signal),
  ]);
  const ended = running.items.filter((activity) => activity.endDate < today);
  return {
    hasActivities: any.items.length > 0,
    ended: ended.slice(0, SHOWN),
    moreEnded: ended.length > SHOWN || (ended.length === running.items.length && running.nextCursor !== null),
    drafts: drafts.items,
    moreDrafts: drafts.nextCursor !== null,
  };
}

/** Ended activities not yet closed, and drafts that take no learner reports until activated. */
export function ActivitiesNeedingAttention({ overview, today }: { overview: ApiState<ActivityOverview>; today: string }) {
  const data = overview.data;
  const columns: Column<Activity>[] = [
    { header: 'Activity', rowHeader: true, render: (activity) => <Link to={`/activities/${activity.id}`}>{activity.title}</Link> },
    { header: 'What to do', render: (activity) => nextStep(activity, today) },
    { header: 'Status', render: (activity) => <StatusTag status={activity.status} /> },
    { header: 'Dates', nowrap: true, render: activityDates },
  ];
  const rows = data ? [...data.ended, ...data.drafts] : [];
  const more = [
    data?.moreEnded ? { to: '/activities?status=ready_to_close', label: 'All activities ready to close' } : null,
    data?.moreEnded ? { to: '/activities?status=active&sort=endDate:asc', label: 'Active activities, ending first' } : null,
    data?.moreDrafts ? { to: '/activities?status=draft', label: 'All drafts' } : null,
  ].filter((link) => link !== null);

  return (
    <Section title="Activities needing attention" actions={<Link to="/activities">All activities</Link>}>
      <ResultTable
        caption="Ended activities to close, then drafts to activate"
        hideCaption
        stackOnNarrow
        columns={columns}
        rows={rows}
        rowKey={(activity) => activity.id}
        error={overview.error}
        loading={!data && !overview.error}
        loadingLabel="Looking for activities that need attention…"
        empty={<p className="muted">Nothing waiting: every activity that has ended is closed, and no draft is waiting.</p>}
      />
      {more.length > 0 ? (
        <ul className="inline-links" aria-label="More activities needing attention">
          {more.map((link) => (
            <li key={link.to}>
              <Link to={link.to}>{link.label}</Link>
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

/** For a provider with no activity yet: what to do first. */
export function StartHere() {
  return (
    <Section title="Start here">
      <EmptyState
        title="No activities yet"
        action={
          <Link className="button" to="/activities/new">
            Register an activity
          </Link>
        }
      >
        <p>
          Register your first activity: its type, dates and the credit it offers. Learner reports are made against an
          activity, so this comes first. Then report the learners who completed it, one at a time or as a file, and
          follow what became of each report here.
        </p>
      </EmptyState>
    </Section>
  );
}
