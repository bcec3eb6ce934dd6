import { useRef, useState, type FormEvent } from 'react';
import { authApi, MIN_PASSWORD_LENGTH } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';

type PasswordErrors = { currentPassword?: string; newPassword?: string; confirmPassword?: string };

function checkPasswords(current: string, next: string, confirmation: string): PasswordErrors {
  const problems: PasswordErrors = {};
  if (!current) problems.currentPassword = 'Enter your current password.';
  if (next.length < MIN_PASSWORD_LENGTH)
    problems.newPassword = `The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  else if (next === current) problems.newPassword = 'The new password must differ from the current one.';
  if (!problems.newPassword && confirmation !== next) problems.confirmPassword = 'The two new passwords do not match.';
  return problems;
}

export function ChangePasswordPage() {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<PasswordErrors>({});
  const [error, setError] = useState<unknown>();
  const [changed, setChanged] = useState(false);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  function focusFirstInvalid() {
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChanged(false);
    setError(undefined);
    const problems = checkPasswords(currentPassword, newPassword, confirmPassword);
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) return focusFirstInvalid();

    setSaving(true);
    try {
      await authApi.changePassword(currentPassword, newPassword);
      setCurrentPassword('');
      setNewPassword('');
      setConfirmPassword('');
      setChanged(true);
    } catch (failure) {
      if (failure instanceof ApiError && failure.problems.length > 0) {
        setFieldErrors(failure.fieldErrors());
        focusFirstInvalid();
      } else if (failure instanceof ApiError && (failure.status === 401 || failure.status === 403)) {
        setFieldErrors({ currentPassword: 'Your current password is not right.' });
        focusFirstInvalid();
      } else {
        setError(failure);
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <PageHeader title="Change password" />
      <form ref={formRef} className="form form--narrow" onSubmit={(event) => void submit(event)} noValidate>
        {changed ? <StatusMessage>Your password has been changed.</StatusMessage> : null}
        <ErrorBanner error={error} title="Your password was not changed" />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(event) => setCurrentPassword(event.target.value)}
          error={fieldErrors.currentPassword}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong password that is easy to remember.`}
          value={newPassword}
          onChange={(event) => setNewPassword(event.target.value)}
          error={fieldErrors.newPassword}
        />
        <TextField
          label="New password again"
          type="password"
          autoComplete="new-password"
          required
          value={confirmPassword}
          onChange={(event) => setConfirmPassword(event.target.value)}
          error={fieldErrors.confirmPassword}
        />
        <div className="form__actions">
          <button type="submit" className="button" disabled={saving}>
            {saving ? 'Saving…' : 'Change password'}
          </button>
        </div>
      </form>
    </>
  );
}
