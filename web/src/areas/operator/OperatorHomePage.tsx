import { organizationsApi } from '../../api/organizations.ts';
import type { OrganizationKind } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Figures } from '../../components/Figures.tsx';
import { LinkCards } from '../../components/LinkCards.tsx';
import { Loaded } from '../../components/Loaded.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { useApi } from '../../hooks/useApi.ts';

const operatorLinks = [
  {
    to: '/operator/organizations',
    title: 'Organizations',
    description: 'Providers, licensing boards and certifying boards: create them, manage their users and API keys.',
  },
  {
    to: '/operator/audit-log',
    title: 'Audit log',
    description: 'Every change and every read of a person’s record, with who did it and when.',
  },
] as const;

/** The kinds counted on the console, each read after its number ("3 accredited providers"). */
const countedKinds: { kind: OrganizationKind; one: string; many: string }[] = [
  { kind: 'provider', one: 'accredited provider', many: 'accredited providers' },
  { kind: 'licensing_board', one: 'licensing board', many: 'licensing boards' },
  { kind: 'certifying_board', one: 'certifying board', many: 'certifying boards' },
];

function OrganizationCounts() {
  const counts = useApi((signal) => organizationsApi.countByKind(signal), []);
  return (
    <Section title="Organizations on the hub">
      <Loaded state={counts} loadingLabel="Counting organizations…">
        {(count) => (
          <Figures
            label="Organizations by kind"
            figures={countedKinds.map(({ kind, one, many }) => ({
              label: count[kind] === 1 ? one : many,
              value: count[kind],
              to: `/operator/organizations?kind=${kind}`,
            }))}
          />
        )}
      </Loaded>
    </Section>
  );
}

export function OperatorHomePage() {
  return (
    <>
      <PageHeader title="Operator console" subtitle="Run the hub: organizations, accounts and data quality." />
      <LinkCards label="Operator tasks" cards={operatorLinks} />
      <OrganizationCounts />
      <Section title="Data quality">
        <EmptyState title="Nothing to review yet">
          <p>
            Figures on data quality will appear here: reports rejected or pending a match, rosters out of date, and the
            numbers for the annual data report.
          </p>
        </EmptyState>
      </Section>
    </>
  );
}
