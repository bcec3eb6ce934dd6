import { useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useUrlFilter } from '../../components/useUrlFilter.ts';
import { formatDate } from '../../format.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useMe } from '../../session/SessionContext.tsx';
import { creditTypeLabel, useVocabulary } from '../activities/vocabulary.tsx';
import { reportsApi, type BoardLicensee, type PersonCredit } from './reportsApi.ts';

/** `q` finds physicians by name, license number or NPI; `personId` is one physician, as the names in the list link to. */
const filterKeys = ['q', 'personId', 'since', 'until'] as const;
type FilterKey = (typeof filterKeys)[number];
type Dates = { since: string; until: string };

/** A range whose start is after its end, which would list nothing. */
const datesReversed = ({ since, until }: Dates) => since !== '' && until !== '' && since > until;

function reversedDatesMessage({ since, until }: Dates): string {
  return `The start date (${formatDate(since)}) is after the end date (${formatDate(until)}). Choose a start date on or before the end date.`;
}

const birthdayFormat = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric' });

/** "born March 14": the registry keeps a birth month and day, never a year. */
function birthdayWords(licensee: BoardLicensee): string | null {
  if (!licensee.birthMonth || !licensee.birthDay) return null;
  return `born ${birthdayFormat.format(new Date(2000, licensee.birthMonth - 1, licensee.birthDay))}`;
}

/** What tells one physician from another of the same name: their numbers with the board and their birthday. */
function licenseeDetails(licensee: BoardLicensee, numberWord: string): string {
  const numbers = licensee.numbers.length > 0 ? `${numberWord} ${licensee.numbers.join(', ')}` : null;
  return [numbers, birthdayWords(licensee)].filter(Boolean).join(' · ');
}

/** The physicians the list is narrowed to, as the hub named them for the filter in the address. */
type Found = { key: string; licensees?: BoardLicensee[]; moreLicensees?: boolean };

/** Every credit reported for the board's licensees, whichever state the provider named. */
export function BoardCreditsPage() {
  const me = useMe();
  const filter = useUrlFilter<FilterKey>(filterKeys);
  const [, setSearchParams] = useSearchParams();
  const vocabulary = useVocabulary();
  const [checkDates, setCheckDates] = useState(false);
  const [found, setFound] = useState<Found | null>(null);
  const sinceField = useRef<HTMLInputElement>(null);
  const boardId = me.organization?.id ?? '';
  const isCertifying = me.organization?.kind === 'certifying_board';
  const applied = filter.applied;
  const appliedReversed = datesReversed(applied);

  const credits = useCursorList(
    async (cursor, signal) => {
      // Said beside the dates instead of asked of the hub, which would refuse it.
      if (appliedReversed) return { items: [], nextCursor: null };
      const query = { q: applied.q, personId: applied.q ? '' : applied.personId, since: applied.since, until: applied.until };
      const page = await reportsApi.boardCredits(boardId, { ...query, limit: 200, cursor }, signal);
      if (!cursor) setFound({ key: filter.key, licensees: page.licensees, moreLicensees: page.moreLicensees });
      return page;
    },
    [boardId, filter.key],
  );

  /** The address of the list with these physicians' filter, the dates kept. */
  function addressWith(physician: { personId?: string }): string {
    const next = new URLSearchParams();
    if (physician.personId) next.set('personId', physician.personId);
    if (applied.since) next.set('since', applied.since);
    if (applied.until) next.set('until', applied.until);
    return `?${next.toString()}`;
  }

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const draft = filter.draft;
    if (datesReversed(draft)) {
      setCheckDates(true);
      sinceField.current?.focus();
      return;
    }
    setCheckDates(false);
    const next = new URLSearchParams();
    const q = draft.q.trim();
    // A search names its own physicians; without one, the physician picked from the list stays.
    if (q) next.set('q', q);
    else if (applied.personId) next.set('personId', applied.personId);
    if (draft.since) next.set('since', draft.since);
    if (draft.until) next.set('until', draft.until);
    setSearchParams(next);
  }

  const draftReversed = datesReversed(filter.draft);
  const dateError = draftReversed && (checkDates || appliedReversed) ? reversedDatesMessage(filter.draft) : undefined;
  const numberWord = isCertifying ? 'board ID' : 'license';
  const physicianFilter = applied.q !== '' || applied.personId !== '';
  const named = found?.key === filter.key && !credits.loading && !credits.error ? found : null;

  const columns: Column<PersonCredit>[] = [
    { header: 'Completed', nowrap: true, rowHeader: true, render: (credit) => formatDate(credit.completionDate) },
    {
      header: 'Physician',
      render: (credit) => (
        <Link to={addressWith({ personId: credit.personId })} title="Show only this physician’s credits">
          {credit.personName ?? credit.personId}
        </Link>
      ),
    },
    { header: 'Activity', render: (credit) => credit.activityTitle ?? credit.activityId },
    { header: 'Provider', render: (credit) => credit.providerName ?? '—' },
    { header: 'Credit type', render: (credit) => creditTypeLabel(vocabulary.data, credit.creditType) },
    { header: 'Credits', align: 'end', render: (credit) => credit.amount },
  ];

  const searchedFor = applied.q;
  const licensees = named?.licensees ?? [];
  const oneName = licensees.length === 1 ? licensees[0].name : applied.personId ? (credits.items[0]?.personName ?? 'one physician') : null;
  const noneFound = applied.q !== '' && named !== null && licensees.length === 0;

  return (
    <>
      <PageHeader
        title={isCertifying ? 'MOC credit reported' : 'Licensee credits'}
        subtitle={
          isCertifying
            ? 'Every MOC credit providers reported for your board.'
            : 'Every credit reported for the physicians you license, whichever state the provider named.'
        }
      />
      <FilterBar label="Filter credits" filter={{ ...filter, apply }} submitLabel="Show">
        <TextField
          label={isCertifying ? 'Physician: name, board ID or NPI' : 'Physician: name, license number or NPI'}
          {...filter.field('q')}
        />
        <TextField ref={sinceField} label="Completed from" type="date" error={dateError} {...filter.field('since')} />
        <TextField label="Completed to" type="date" {...filter.field('until')} />
      </FilterBar>
      {physicianFilter && !appliedReversed && !credits.loading ? (
        <section className="banner" aria-label="Physician shown">
          {named === null ? null : noneFound ? (
            <p className="banner__title">No licensee of yours matches “{searchedFor}”.</p>
          ) : licensees.length > 1 ? (
            <>
              <p className="banner__title">
                {licensees.length}
                {named.moreLicensees ? ' or more' : ''} licensees match “{searchedFor}”: the credits of each are listed together.
              </p>
              <ul className="banner__problems">
                {licensees.map((licensee) => (
                  <li key={licensee.personId}>
                    <Link to={addressWith({ personId: licensee.personId })} title="Show only this physician’s credits">
                      {licensee.name}
                    </Link>{' '}
                    {licenseeDetails(licensee, numberWord)}
                  </li>
                ))}
              </ul>
              {named.moreLicensees ? <p>More match than the {licensees.length} listed: narrow the search with a first and last name, a {numberWord} or an NPI.</p> : null}
            </>
          ) : (
            <p className="banner__title">
              Credits of {oneName}
              {licensees.length === 1 && licenseeDetails(licensees[0], numberWord) ? ` (${licenseeDetails(licensees[0], numberWord)})` : ''}
            </p>
          )}
          <p>
            <Link to={addressWith({})}>Show all licensees</Link>
          </p>
        </section>
      ) : null}
      <ErrorBanner error={credits.error} />
      {appliedReversed ? null : credits.loading ? (
        <Loading label="Loading credits…" />
      ) : (
        <>
          <DataTable
            caption="Credits"
            hideCaption
            stackOnNarrow
            columns={columns}
            rows={credits.items}
            rowKey={(credit) => `${credit.reportId}-${credit.creditType}`}
            empty={
              credits.error || noneFound ? null : physicianFilter ? (
                <EmptyState title="No credits to show">
                  <p>No credit has been accepted for {licensees.length > 1 ? 'these physicians' : 'this physician'}{applied.since || applied.until ? ' in these dates' : ' yet'}.</p>
                </EmptyState>
              ) : (
                <EmptyState title="No credits to show">
                  <p>Credits appear here as soon as a provider’s report for one of your licensees is accepted.</p>
                </EmptyState>
              )
            }
          />
          <Pager shown={credits.items.length} hasMore={credits.hasMore} loadingMore={credits.loadingMore} onLoadMore={credits.loadMore} noun="credit lines" />
        </>
      )}
    </>
  );
}
