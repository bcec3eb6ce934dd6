import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useMe } from '../../session/SessionContext.tsx';
import { ApiKeysPanel } from './ApiKeysPanel.tsx';
import { UsersPanel } from './UsersPanel.tsx';

function NoOrganization() {
  return (
    <EmptyState title="You do not belong to an organization">
      <p>Ask the hub operator to add you to your organization.</p>
    </EmptyState>
  );
}

export function OwnUsersPage() {
  const { organization } = useMe();
  return (
    <>
      <PageHeader title="Users" subtitle={organization?.name} />
      {organization ? <UsersPanel organization={organization} headingLevel={2} /> : <NoOrganization />}
    </>
  );
}

export function OwnApiKeysPage() {
  const { organization } = useMe();
  return (
    <>
      <PageHeader
        title="API keys"
        subtitle={organization ? `${organization.name}: keys for your own systems to use the hub API` : undefined}
      />
      {organization ? <ApiKeysPanel organization={organization} headingLevel={2} /> : <NoOrganization />}
    </>
  );
}
