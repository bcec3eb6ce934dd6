import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { Loading } from '../components/Loading.tsx';
import { useSession } from '../session/SessionContext.tsx';

/** Lets signed-in people through; everyone else goes to sign in and comes back here afterwards. */
export function RequireSession() {
  const { state, refresh } = useSession();
  const location = useLocation();

  switch (state.status) {
    case 'loading':
      return <Loading label="Loading CME Hub…" />;
    case 'signed-out': {
      const here = location.pathname + location.search;
      const next = here === '/' ? '' : `?next=${encodeURIComponent(here)}`;
      return <Navigate to={`/login${next}`} replace />;
    }
    case 'unavailable':
      return (
        <main id="main" className="standalone">
          <h1>CME Hub is not reachable</h1>
          <ErrorBanner error={state.error} title="The hub did not answer" />
          <button type="button" className="button" onClick={() => void refresh()}>
            Try again
          </button>
        </main>
      );
    case 'signed-in':
      return <Outlet />;
  }
}
