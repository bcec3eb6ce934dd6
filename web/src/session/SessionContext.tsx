import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { authApi } from '../api/auth.ts';
import { ApiError, endRequestsInFlight, mayHoldSession, onUnauthorized } from '../api/client.ts';
import type { Me } from '../api/types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'signed-out' | 'expired' }
  | { status: 'signed-in'; me: Me }
  | { status: 'unavailable'; error: unknown };

export type Session = {
  state: SessionState;
  signIn: (email: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

async function loadSession(): Promise<SessionState> {
  if (!mayHoldSession()) return { status: 'signed-out' };
  try {
    return { status: 'signed-in', me: await authApi.me() };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { status: 'signed-out' };
    return { status: 'unavailable', error };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => setState(await loadSession()), []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // A 401 from any page may mean the session ran out (or it may be a wrong current password):
  // ask the hub who we are, and only then treat the person as signed out.
  useEffect(
    () =>
      onUnauthorized(() => {
        void loadSession().then((next) => {
          setState((current) =>
            current.status === 'signed-in' && next.status === 'signed-out'
              ? { status: 'signed-out', reason: 'expired' }
              : current,
          );
        });
      }),
    [],
  );

  const signIn = useCallback(async (email: string, password: string) => {
    await authApi.login(email, password);
    const me = await authApi.me();
    setState({ status: 'signed-in', me });
    return me;
  }, []);

  const signOut = useCallback(async () => {
    endRequestsInFlight();
    try {
      await authApi.logout();
    } catch (error) {
      // Already signed out on the hub's side is the outcome we want.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setState({ status: 'signed-out', reason: 'signed-out' });
  }, []);

  const session = useMemo(() => ({ state, signIn, signOut, refresh }), [state, signIn, signOut, refresh]);
  return <SessionContext value={session}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession must be used inside SessionProvider');
  return session;
}

/** The signed-in person; only for pages rendered behind RequireSession. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe must be used behind RequireSession');
  return state.me;
}
