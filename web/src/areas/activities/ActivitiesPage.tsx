import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { formatDate } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { activitiesApi, type Activity } from './activitiesApi.ts';
import { labelOf, StatusTag, statusLabels, useVocabulary } from './vocabulary.tsx';

const PAGE_SIZE = 50;
const filterKeys = ['q', 'status', 'type', 'from', 'to', 'sort'] as const;
type Filter = Record<(typeof filterKeys)[number], string>;

const sortOptions = [
  { value: 'startDate:desc', label: 'Newest first' },
  { value: 'startDate:asc', label: 'Oldest first' },
  { value: 'title:asc', label: 'Title A–Z' },
  { value: 'updatedAt:desc', label: 'Recently changed' },
  { value: 'providerActivityId:asc', label: 'Your ID' },
];

export function ActivitiesPage() {
  // The filter lives in the address so it survives reloads and the back button.
  const [searchParams, setSearchParams] = useSearchParams();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const filter = Object.fromEntries(filterKeys.map((key) => [key, searchParams.get(key) ?? ''])) as Filter;
  const [draft, setDraft] = useState<Filter>(filter);
  const vocabulary = useVocabulary();
  const [sort, order] = (filter.sort || 'startDate:desc').split(':');

  const activities = useCursorList(
    (cursor, signal) =>
      activitiesApi.list(
        { q: filter.q, status: filter.status, type: filter.type, from: filter.from, to: filter.to, sort, order, limit: PAGE_SIZE, cursor },
        signal,
      ),
    [searchParams.toString()],
  );

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of filterKeys) if (draft[key].trim()) next.set(key, draft[key].trim());
    setSearchParams(next);
  }

  const filtered = filterKeys.some((key) => key !== 'sort' && filter[key]);
  const columns: Column<Activity>[] = [
    { header: 'Title', rowHeader: true, render: (activity) => <Link to={`/activities/${activity.id}`}>{activity.title}</Link> },
    { header: 'Your ID', render: (activity) => activity.providerActivityId },
    { header: 'Hub ID', nowrap: true, render: (activity) => <code>{activity.id}</code> },
    { header: 'Type', render: (activity) => labelOf(vocabulary.data?.types, activity.type) },
    {
      header: 'Dates',
      nowrap: true,
      render: (activity) =>
        activity.startDate === activity.endDate
          ? formatDate(activity.startDate)
          : `${formatDate(activity.startDate)} – ${formatDate(activity.endDate)}`,
    },
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
      <form className="filter-bar" role="search" aria-label="Find activities" onSubmit={apply}>
        <TextField
          label="Title or ID"
          type="search"
          value={draft.q}
          onChange={(event) => setDraft({ ...draft, q: event.target.value })}
        />
        <SelectField
          label="Status"
          placeholder="Any status"
          options={Object.entries(statusLabels).map(([value, label]) => ({ value, label }))}
          value={draft.status}
          onChange={(event) => setDraft({ ...draft, status: event.target.value })}
        />
        <SelectField
          label="Type"
          placeholder="Any type"
          options={(vocabulary.data?.types ?? []).map((type) => ({ value: type.code, label: `${type.label} (${type.code})` }))}
          value={draft.type}
          onChange={(event) => setDraft({ ...draft, type: event.target.value })}
        />
        <TextField label="Running from" type="date" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
        <TextField label="Running to" type="date" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
        <SelectField
          label="Sort by"
          options={sortOptions}
          value={draft.sort || 'startDate:desc'}
          onChange={(event) => setDraft({ ...draft, sort: event.target.value })}
        />
        <div className="filter-bar__actions">
          <button type="submit" className="button">
            Search
          </button>
          {filtered ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setDraft(Object.fromEntries(filterKeys.map((key) => [key, ''])) as Filter);
                setSearchParams(new URLSearchParams());
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>
      <ErrorBanner error={activities.error} />
      {activities.loading ? (
        <Loading label="Loading activities…" />
      ) : (
        <>
          <DataTable
            caption="Activities"
            hideCaption
            columns={columns}
            rows={activities.items}
            rowKey={(activity) => activity.id}
            empty={
              activities.error ? null : filtered ? (
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
          <Pager
            shown={activities.items.length}
            hasMore={activities.hasMore}
            loadingMore={activities.loadingMore}
            onLoadMore={activities.loadMore}
            noun="activities"
          />
        </>
      )}
    </>
  );
}
