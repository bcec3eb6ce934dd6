import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import type { Column } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Figures } from '../../components/Figures.tsx';
import { Loaded } from '../../components/Loaded.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CursorTable } from '../../components/ResultTable.tsx';
import { Section } from '../../components/Section.tsx';
import { formatDate } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useMe } from '../../session/SessionContext.tsx';
import { hubToday } from '../activities/dates.ts';
import { creditTypeLabel, useVocabulary } from '../activities/vocabulary.tsx';
import { reportsApi, type PersonCredit } from '../reports/reportsApi.ts';
import { passportApi } from './passportApi.ts';

const PAGE_SIZE = 50;
const CATEGORY_1 = 'AMA_PRA_CAT1';

/** The hub answers 403 to a physician whose account is not yet linked to a person in its registry. */
function notLinked(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

function credits(amount: number): string {
  return amount.toLocaleString(undefined, { maximumFractionDigits: 2 });
}

function category1Total(lines: readonly PersonCredit[], year: number): number {
  return lines
    .filter((line) => line.creditType === CATEGORY_1 && line.completionDate.startsWith(`${year}-`))
    .reduce((sum, line) => sum + line.amount, 0);
}

/** A physician's credits: every completion reported for them, the yearly Category 1 totals, reports to claim. */
export function PassportHomePage() {
  const me = useMe();
  const year = Number(hubToday().slice(0, 4));
  const recent = useApi((signal) => passportApi.allCredits({ since: `${year - 1}-01-01` }, signal), [year]);
  const claimable = useApi((signal) => reportsApi.claimable(signal), []);
  const list = useCursorList((cursor, signal) => passportApi.credits({ limit: PAGE_SIZE, cursor }, signal), []);
  const vocabulary = useVocabulary();

  const columns: Column<PersonCredit>[] = [
    { header: 'Completed', nowrap: true, render: (line) => formatDate(line.completionDate) },
    { header: 'Activity', rowHeader: true, render: (line) => line.activityTitle ?? `Activity ${line.activityId}` },
    { header: 'Provider', render: (line) => line.providerName ?? '—' },
    { header: 'Credit type', render: (line) => creditTypeLabel(vocabulary.data, line.creditType) },
    { header: 'Credits', align: 'end', render: (line) => credits(line.amount) },
  ];

  const header = <PageHeader title="My CME passport" subtitle={me.user?.displayName} />;
  if (notLinked(recent.error) || notLinked(list.error)) {
    return (
      <>
        {header}
        <EmptyState title="Your account is not linked to your physician record yet">
          <p>
            Your credits appear here once the hub links your account to you in its registry, the record it keeps from
            the state boards’ licensee rosters and the certifying boards’ diplomate lists. Ask the hub operator to link
            your account, with a license number or your NPI at hand.
          </p>
        </EmptyState>
      </>
    );
  }

  const toClaim = claimable.data?.items.length ?? 0;
  return (
    <>
      {header}
      {toClaim > 0 ? (
        <div className="banner" role="status">
          <p className="banner__title">
            {toClaim === 1 ? 'A reported completion may be yours' : `${toClaim} reported completions may be yours`}
          </p>
          <p>
            {toClaim === 1
              ? 'A provider reported it under your name and birth date, but the hub could not be sure it is you. '
              : 'Providers reported them under your name and birth date, but the hub could not be sure they are you. '}
            <Link to="/passport/claims">Review the reports to claim</Link>
          </p>
        </div>
      ) : null}
      <Section title="AMA PRA Category 1 Credit™">
        <Loaded state={recent} loadingLabel="Adding up your credits…">
          {(lines) => (
            <Figures
              label="AMA PRA Category 1 Credit™ by year"
              figures={[
                { label: `in ${year}`, value: credits(category1Total(lines, year)) },
                { label: `in ${year - 1}`, value: credits(category1Total(lines, year - 1)) },
              ]}
            />
          )}
        </Loaded>
      </Section>
      <Section title="Credits reported for you">
        <CursorTable
          caption="Your credits, latest completion first"
          hideCaption
          stackOnNarrow
          columns={columns}
          list={list}
          rowKey={(line) => `${line.reportId}-${line.creditType}`}
          loadingLabel="Loading your credits…"
          noun="credits"
          empty={
            <EmptyState title="No credits yet">
              <p>
                Every completion an accredited provider reports for you appears here, with its credit, for every license
                you hold.
              </p>
            </EmptyState>
          }
        />
      </Section>
    </>
  );
}
