import { useEffect, useRef, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/Loading.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useForm, type FieldErrors } from '../../components/useForm.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { homePaths } from '../../navigation.ts';
import { useSession } from '../../session/SessionContext.tsx';

/** Only paths inside the app are followed after signing in, never another site. */
function safeNextPath(next: string | null): string | undefined {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : undefined;
}

function waitingTime(seconds: number | undefined): string {
  if (!seconds) return 'a few minutes';
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** Sign-in failures in plain words; anything unexpected is passed on for the error banner to describe. */
function describeFailure(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.code === 'invalid_credentials')
    return 'The email address or password is not right. Check both and try again.';
  if (error.status === 429) {
    return `Too many sign-in attempts. Wait ${waitingTime(error.retryAfterSeconds)} and try again.`;
  }
  return error;
}

export function LoginPage() {
  usePageTitle('Sign in');
  const { state, signIn } = useSession();
  const [searchParams] = useSearchParams();
  const form = useForm({ email: '', password: '' });
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.status === 'signed-out') emailRef.current?.focus();
  }, [state.status]);

  if (state.status === 'loading') return <Loading label="Checking whether you are signed in…" />;
  if (state.status === 'signed-in') {
    return <Navigate to={safeNextPath(searchParams.get('next')) ?? homePaths[state.me.role]} replace />;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    const { email, password } = form.values;
    return form.submit(event, {
      check: () => {
        const problems: FieldErrors = {};
        if (!email.trim()) problems.email = 'Enter your email address.';
        if (!password) problems.password = 'Enter your password.';
        return problems;
      },
      send: () => signIn(email.trim(), password),
      explain: (failure) => ({ error: describeFailure(failure) }),
      onFailure: () => {
        form.setValues((current) => ({ ...current, password: '' }));
        passwordRef.current?.focus();
      },
    });
  }

  const reason = state.status === 'signed-out' ? state.reason : undefined;

  return (
    <div className="login">
      <main id="main" className="login__card" tabIndex={-1}>
        <p className="login__brand" aria-hidden="true">
          <span className="brand-mark" /> CME Hub
        </p>
        <h1>Sign in to CME Hub</h1>
        <p className="muted">For accredited providers, medical boards, physicians and the hub operator.</p>
        {reason === 'signed-out' ? <StatusMessage>You have signed out.</StatusMessage> : null}
        {reason === 'expired' ? <StatusMessage>Your session has ended. Sign in again to continue.</StatusMessage> : null}
        {state.status === 'unavailable' ? <ErrorBanner error={state.error} title="The hub could not be reached" /> : null}
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <ErrorBanner error={form.error} title="You are not signed in" />
          <TextField ref={emailRef} label="Email" type="email" name="email" autoComplete="username" required {...form.field('email')} />
          <TextField
            ref={passwordRef}
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            {...form.field('password')}
          />
          <FormActions label="Sign in" busyLabel="Signing in…" busy={form.submitting} variant="wide" />
        </form>
      </main>
    </div>
  );
}
