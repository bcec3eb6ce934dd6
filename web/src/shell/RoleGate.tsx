import { Link, Outlet } from 'react-router-dom';
import type { Role } from '../api/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { homePaths } from '../navigation.ts';
import { useMe } from '../session/SessionContext.tsx';

/** Shows an area only to the roles it is for; the hub enforces the same on every request. */
export function RoleGate({ roles }: { roles: readonly Role[] }) {
  const me = useMe();
  if (roles.includes(me.role)) return <Outlet />;
  return (
    <>
      <PageHeader title="Not available" />
      <p>This page is not part of your work in CME Hub.</p>
      <p>
        <Link to={homePaths[me.role]}>Go to your home page</Link>
      </p>
    </>
  );
}
