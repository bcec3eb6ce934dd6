import { Link } from 'react-router-dom';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Figures } from '../../components/Figures.tsx';
import { Loaded } from '../../components/Loaded.tsx';
import { Section } from '../../components/Section.tsx';
import { formatMonth } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { reportsApi, type ProviderDashboard } from '../reports/reportsApi.ts';

function reportingFigures(dashboard: ProviderDashboard) {
  const { thisMonth, toFix } = dashboard;
  return [
    { label: `reported in ${formatMonth(dashboard.month)}`, value: thisMonth.total, to: '/reports/dashboard' },
    { label: 'accepted this month', value: thisMonth.accepted },
    { label: 'pending a match', value: toFix.pending, to: '/reports?status=pending', attention: toFix.pending > 0 },
    { label: 'rejected, to fix', value: toFix.rejected, to: '/reports?status=rejected', attention: toFix.rejected > 0 },
    { label: 'late this month', value: thisMonth.late, to: '/reports?late=true', attention: thisMonth.late > 0 },
  ];
}

/** This month's learner reports at a glance, and what is left to fix from any month. */
export function ReportingSummary({ organizationId }: { organizationId: string }) {
  const dashboard = useApi((signal) => reportsApi.dashboard(organizationId, undefined, signal), [organizationId]);
  return (
    <Section title="Learner reports" actions={<Link to="/reports/dashboard">Reporting dashboard</Link>}>
      <Loaded state={dashboard} loadingLabel="Counting your learner reports…">
        {(data) =>
          data.thisMonth.total === 0 && data.toFix.pending === 0 && data.toFix.rejected === 0 ? (
            <EmptyState
              title={`Nothing reported in ${formatMonth(data.month)}`}
              action={
                <Link className="button button--secondary" to="/reports/new">
                  Report a learner
                </Link>
              }
            >
              <p>
                Report the physicians who completed your activities: one at a time, as a file, or from your own systems
                by API. Each report is accepted, pending a match, or rejected with what to fix, and counted here.
              </p>
            </EmptyState>
          ) : (
            <Figures label="Learner reports" figures={reportingFigures(data)} />
          )
        }
      </Loaded>
    </Section>
  );
}
