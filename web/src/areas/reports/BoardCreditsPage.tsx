import { useRef, useState, type FormEvent } from 'react';
import { isIsoDate } from '../../../../src/modules/activities/dates.ts';
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

/** As the hub writes a person's id; anything else in the address names no physician. */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** What in an address typed or edited by hand the hub would refuse: said in words instead of asked. */
function addressProblems(applied: Record<FilterKey, string>) {
  return {
    person: applied.q === '' && applied.personId !== '' && !uuidPattern.test(applied.personId),
    dates: (applied.since !== '' && !isIsoDate(applied.since)) || (applied.until !== '' && !isIsoDate(applied.until)),
  };
}

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
  const badAddress = addressProblems(applied);
  const addressRefused = badAddress.person || badAddress.dates;
  const appliedReversed = !badAddress.dates && datesReversed(applied);

  const credits = useCursorList(
    async (cursor, signal) => {
      // Said beside the dates instead of asked of the hub, which would refuse it.
      if (appliedReversed || addressRefused) return { items: [], nextCursor: null };
      const query = { q: applied.q, personId: applied.q ? '' : applied.personId, since: applied.since, until: applied.until };
      const page = await reportsApi.boardCredits(boardId, { ...query, limit: 200, cursor }, signal);
      if (!cursor) setFound({ key: filter.key, licensees: page.licensees, moreLicensees: page.moreLicensees });
      return page;
    },
    [boardId, filter.key],
  );

  /** The address of the list with these physicians' filter, the dates kept (unless they are not dates). */
  function addressWith(physician: { personId?: string }): string {
    const next = new URLSearchParams();
    if (physician.personId) next.set('personId', physician.personId);
    if (applied.since && isIsoDate(applied.since)) next.set('since', applied.since);
    if (applied.until && isIsoDate(applied.until)) next.set('until', applied.until);
    return `?${next.toString()}`;
  }

  /** The address without its dates, the physician kept. */
  function addressWithoutDates(): string {
    const next = new URLSearchParams();
    if (applied.q) next.set('q', applied.q);
    else if (applied.personId && !badAddress.person) next.set('personId', applied.personId);
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
  // While the dates are said to be reversed, no lines are shown: those on screen are of the range before.
  const hideLines = appliedReversed || addressRefused || dateError !== undefined;
  const numberWord = isCertifying ? 'board ID' : 'license';
  const members = isCertifying ? 'diplomates' : 'licensees';
  const member = isCertifying ? 'diplomate' : 'licensee';
  const searchWords = isCertifying ? 'name, board ID or NPI' : 'name, license number or NPI';
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
          label={`Physician: ${searchWords}`}
          {...filter.field('q')}
        />
        <TextField ref={sinceField} label="Completed from" type="date" error={dateError} {...filter.field('since')} />
        <TextField label="Completed to" type="date" {...filter.field('until')} />
      </FilterBar>
      {addressRefused ? (
        <section className="banner banner--error" role="alert" aria-label="Address not understood">
          {badAddress.person ? (
            <>
              <p className="banner__title">This link names no physician: search by {searchWords}.</p>
              <p>
                <Link to={addressWith({})}>Show all {members}</Link>
              </p>
            </>
          ) : null}
          {badAddress.dates ? (
            <>
              <p className="banner__title">The date in the address is not a date: choose the dates again.</p>
              <p>
                <Link to={addressWithoutDates()}>Clear the dates</Link>
              </p>
            </>
          ) : null}
        </section>
      ) : null}
      {physicianFilter && !hideLines && !credits.loading ? (
        <section className="banner" aria-label="Physician shown">
          {named === null ? null : noneFound ? (
            <p className="banner__title">No {member} of yours matches “{searchedFor}”.</p>
          ) : licensees.length > 1 ? (
            <>
              <p className="banner__title">
                {licensees.length}
                {named.moreLicensees ? ' or more' : ''} {members} match “{searchedFor}”: the credits of each are listed together.
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
            <Link to={addressWith({})}>Show all {members}</Link>
          </p>
        </section>
      ) : null}
      <ErrorBanner error={credits.error} />
      {hideLines ? null : credits.loading ? (
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
                  <p>Credits appear here as soon as a provider’s report for one of your {members} is accepted.</p>
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
