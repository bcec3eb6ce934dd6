import { EmptyState } from '../../components/EmptyState.tsx';
import { LinkCards } from '../../components/LinkCards.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useMe } from '../../session/SessionContext.tsx';
import { organizationAdminLinks } from '../organization/adminLinks.ts';

export function ProviderHomePage() {
  const me = useMe();
  const organization = me.organization;
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
      <section aria-labelledby="provider-activities">
        <h2 id="provider-activities">Activities and learner reports</h2>
        <EmptyState title="No activities yet">
          <p>
            Your activities and learner reports will appear here: each activity you register, the completions you
            report for it, and which reports were accepted, are pending a match, or need fixing.
          </p>
        </EmptyState>
      </section>
      <LinkCards label="Organization settings" cards={organizationAdminLinks(me.role)} />
    </>
  );
}
