import { Link, useLocation } from 'react-router-dom';
import type { Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CursorTable } from '../../components/ResultTable.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useUrlFilter } from '../../components/useUrlFilter.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { activitiesApi, type Activity } from './activitiesApi.ts';
import { activityDates } from './dates.ts';
import { labelOf, StatusTag, statusLabels, useVocabulary } from './vocabulary.tsx';

const PAGE_SIZE = 50;
const filterKeys = ['q', 'status', 'type', 'from', 'to', 'sort'] as const;

const sortOptions = [
  { value: 'startDate:desc', label: 'Newest first' },
  { value: 'startDate:asc', label: 'Oldest first' },
  { value: 'title:asc', label: 'Title A–Z' },
  { value: 'endDate:asc', label: 'Ending first' },
  { value: 'updatedAt:desc', label: 'Recently changed' },
  { value: 'providerActivityId:asc', label: 'Your ID' },
];

export function ActivitiesPage() {
  const filter = useUrlFilter(filterKeys, ['sort']);
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const vocabulary = useVocabulary();
  const { q, status, type, from, to } = filter.applied;
  const [sort, order] = (filter.applied.sort || 'startDate:desc').split(':');

  const activities = useCursorList(
    (cursor, signal) => activitiesApi.list({ q, status, type, from, to, sort, order, limit: PAGE_SIZE, cursor }, signal),
    [filter.key],
  );

  const columns: Column<Activity>[] = [
    { header: 'Title', rowHeader: true, render: (activity) => <Link to={`/activities/${activity.id}`}>{activity.title}</Link> },
    { header: 'Your ID', render: (activity) => activity.providerActivityId },
    { header: 'Hub ID', nowrap: true, render: (activity) => <code>{activity.id}</code> },
    { header: 'Type', render: (activity) => labelOf(vocabulary.data?.types, activity.type) },
    { header: 'Dates', nowrap: true, render: activityDates },
    { header: 'Status', render: (activity) => <StatusTag status={activity.status} /> },
  ];

  const actions = (
    <>
      <Link className="button button--secondary" to="/activities/upload">
        Upload a file
      </Link>
      <Link className="button" to="/activities/new">
        New activity
      </Link>
    </>
  );

  return (
    <>
      <PageHeader title="Activities" subtitle="Register, update and close your CME activities." actions={actions} />
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      <FilterBar label="Find activities" filter={filter}>
        <TextField label="Title or ID" type="search" {...filter.field('q')} />
        <SelectField
          label="Status"
          placeholder="Any status"
          options={Object.entries(statusLabels).map(([value, label]) => ({ value, label }))}
          {...filter.field('status')}
        />
        <SelectField
          label="Type"
          placeholder="Any type"
          options={(vocabulary.data?.types ?? []).map((type) => ({ value: type.code, label: `${type.label} (${type.code})` }))}
          {...filter.field('type')}
        />
        <TextField label="Running from" type="date" {...filter.field('from')} />
        <TextField label="Running to" type="date" {...filter.field('to')} />
        <SelectField label="Sort by" options={sortOptions} {...filter.field('sort')} value={filter.draft.sort || 'startDate:desc'} />
      </FilterBar>
      <CursorTable
        caption="Activities"
        hideCaption
        columns={columns}
        list={activities}
        rowKey={(activity) => activity.id}
        loadingLabel="Loading activities…"
        noun="activities"
        empty={
          filter.filtered ? (
            <EmptyState title="No activities match">
              <p>Try other words or dates, or clear the filter.</p>
            </EmptyState>
          ) : (
            <EmptyState title="No activities yet" action={actions}>
              <p>Register an activity with the form, upload a spreadsheet of them, or send them from your systems by API.</p>
            </EmptyState>
          )
        }
      />
    </>
  );
}
