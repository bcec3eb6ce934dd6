import { Link } from 'react-router-dom';
import { PageHeader } from '../components/PageHeader.tsx';
import { homePaths } from '../navigation.ts';
import { useMe } from '../session/SessionContext.tsx';

export function NotFoundPage() {
  const me = useMe();
  return (
    <>
      <PageHeader title="Page not found" />
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link to={homePaths[me.role]}>Go to your home page</Link>
      </p>
    </>
  );
}
