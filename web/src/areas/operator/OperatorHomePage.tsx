import { EmptyState } from '../../components/EmptyState.tsx';
import { LinkCards } from '../../components/LinkCards.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

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

export function OperatorHomePage() {
  return (
    <>
      <PageHeader title="Operator console" subtitle="Run the hub: organizations, accounts and data quality." />
      <LinkCards label="Operator tasks" cards={operatorLinks} />
      <section aria-labelledby="operator-data-quality">
        <h2 id="operator-data-quality">Organizations and data quality</h2>
        <EmptyState title="Nothing to review yet">
          <p>
            Figures on organizations and data quality will appear here: reports rejected or pending a match, rosters
            out of date, and the numbers for the annual data report.
          </p>
        </EmptyState>
      </section>
    </>
  );
}
