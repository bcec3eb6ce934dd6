import { LinkCards, type LinkCard } from '../../components/LinkCards.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApi } from '../../hooks/useApi.ts';
import { useMe } from '../../session/SessionContext.tsx';
import { hubToday } from '../activities/dates.ts';
import { organizationAdminLinks } from '../organization/adminLinks.ts';
import { ActivitiesNeedingAttention, loadActivityOverview, StartHere } from './ActivitiesNeedingAttention.tsx';
import { RecentUploads } from './RecentUploads.tsx';
import { ReportingSummary } from './ReportingSummary.tsx';

const providerTasks: readonly LinkCard[] = [
  { to: '/activities/new', title: 'Register an activity', description: 'Its type, dates and the credit it offers, before anyone is reported for it.' },
  { to: '/reports/new', title: 'Report a learner', description: 'One physician who completed an activity, with the credit earned.' },
  { to: '/uploads', title: 'Upload a file', description: 'Many learners at once: CSV, Excel or MedBiquitous XML, with a receipt per row.' },
  { to: '/validation', title: 'Validate learners', description: 'Check that the hub can identify your learners before you report them.' },
];

/** What a CME coordinator needs at a glance: this month's reports, what to fix, what waits, what to do next. */
export function ProviderHomePage() {
  const me = useMe();
  const organization = me.organization;
  const today = hubToday();
  const overview = useApi((signal) => loadActivityOverview(today, signal), [today]);
  const isNewProvider = overview.data?.hasActivities === false;

  return (
    <>
      <PageHeader
        title="Provider home"
        subtitle={
          organization ? (
            <>
              {organization.name}
              {organization.providerId ? <> · Provider ID {organization.providerId}</> : null}
            </>
          ) : undefined
        }
      />
      <LinkCards label="Provider tasks" cards={providerTasks} />
      {isNewProvider ? (
        <StartHere />
      ) : (
        <>
          {organization ? <ReportingSummary organizationId={organization.id} /> : null}
          <ActivitiesNeedingAttention overview={overview} today={today} />
          <RecentUploads />
        </>
      )}
      <LinkCards label="Organization settings" cards={organizationAdminLinks(me.role)} />
    </>
  );
}
