import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useBlocker, useLocation, useNavigate } from 'react-router-dom';
import { endRequestsInFlight, errorMessage, isFileOnItsWay } from '../api/client.ts';
import { roleLabels } from '../format.ts';
import { areasForRole, homePaths, matchesExactly } from '../navigation.ts';
import { useMe, useSession } from '../session/SessionContext.tsx';
import { FileOnItsWayQuestion } from './FileOnItsWayQuestion.tsx';

/** The frame around every signed-in page: skip link, header, role-aware menu, main region. */
export function AppShell() {
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signOutError, setSignOutError] = useState<string>();
  // The path last shown: focus moves only on a real change of page, even when effects run twice.
  const shownPath = useRef(location.pathname);

  // After moving to another page, put focus on its heading so screen readers announce where the person is.
  useEffect(() => {
    setMenuOpen(false);
    if (shownPath.current === location.pathname) return;
    shownPath.current = location.pathname;
    requestAnimationFrame(() => {
      const target = document.querySelector<HTMLElement>('#main h1') ?? document.getElementById('main');
      target?.focus();
    });
  }, [location.pathname]);

  // Asked only while a page sends a file, which signing out, or going to another page, stops.
  const [askingToSignOut, setAskingToSignOut] = useState(false);
  const leaving = useBlocker(({ currentLocation, nextLocation }) => isFileOnItsWay() && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (leaving.state === 'blocked') setMenuOpen(false);
  }, [leaving.state]);

  async function handleSignOut(asked = false) {
    if (!asked && isFileOnItsWay()) {
      setAskingToSignOut(true);
      return;
    }
    setAskingToSignOut(false);
    setSignOutError(undefined);
    try {
      await signOut();
      navigate('/login', { replace: true });
    } catch (error) {
      setSignOutError(errorMessage(error));
    }
  }

  const name = me.user?.displayName || me.user?.email || me.apiKey?.name || '';

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <Link to={homePaths[me.role]} className="topbar__brand">
          <span className="brand-mark" aria-hidden="true" />
          CME Hub
        </Link>
        {me.organization ? <span className="topbar__organization">{me.organization.name}</span> : null}
        <button
          type="button"
          className="topbar__menu-button"
          aria-expanded={menuOpen}
          aria-controls="site-menu"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
      </header>
      <div className="shell__body">
        <div id="site-menu" className={menuOpen ? 'sidebar sidebar--open' : 'sidebar'}>
          <nav aria-label="Main">
            <ul className="nav-list">
              {areasForRole(me.role).map((area) => (
                <li key={area.path}>
                  <NavLink to={area.path} end={matchesExactly(area)} className="nav-link">
                    {(me.organization && area.labelFor?.[me.organization.kind]) ?? area.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <nav className="account" aria-label="Your account">
            <p className="account__who">
              <span className="account__name">{name}</span>
              <span className="account__role">{roleLabels[me.role] ?? me.role}</span>
            </p>
            <ul className="nav-list">
              <li>
                <NavLink to="/account/password" className="nav-link">
                  Change password
                </NavLink>
              </li>
              <li>
                <button type="button" className="nav-link nav-link--button" onClick={() => void handleSignOut()}>
                  Sign out
                </button>
              </li>
            </ul>
            {askingToSignOut ? (
              <FileOnItsWayQuestion
                className="account__question"
                name="Sign out while a file is sent?"
                doing="Signing out"
                stopLabel="Sign out and stop it"
                onStay={() => setAskingToSignOut(false)}
                onStop={() => void handleSignOut(true)}
              />
            ) : null}
            {signOutError ? (
              <p className="account__error" role="alert">
                {signOutError}
              </p>
            ) : null}
          </nav>
        </div>
        <main id="main" className="main" tabIndex={-1}>
          {leaving.state === 'blocked' ? (
            <FileOnItsWayQuestion
              className="leaving-question"
              name="Leave this page while a file is sent?"
              doing="Leaving this page"
              stopLabel="Leave and stop it"
              onStay={() => leaving.reset()}
              onStop={() => {
                endRequestsInFlight();
                leaving.proceed();
              }}
            />
          ) : null}
          <Outlet />
        </main>
      </div>
    </div>
  );
}
