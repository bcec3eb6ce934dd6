import { useState, type FormEvent } from 'react';
import { authApi, MIN_PASSWORD_LENGTH } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useForm, type FailureView, type FieldErrors } from '../../components/useForm.ts';

function checkPasswords(current: string, next: string, confirmation: string): FieldErrors {
  const problems: FieldErrors = {};
  if (!current) problems.currentPassword = 'Enter your current password.';
  if (next.length < MIN_PASSWORD_LENGTH)
    problems.newPassword = `The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  else if (next === current) problems.newPassword = 'The new password must differ from the current one.';
  if (!problems.newPassword && confirmation !== next) problems.confirmPassword = 'The two new passwords do not match.';
  return problems;
}

/** A refusal about the current password becomes that field's error; other problems go to their fields. */
function explainFailure(failure: unknown): FailureView {
  if (failure instanceof ApiError && failure.problems.length > 0) return { fieldErrors: failure.fieldErrors() };
  if (failure instanceof ApiError && (failure.status === 401 || failure.status === 403)) {
    return { fieldErrors: { currentPassword: 'Your current password is not right.' } };
  }
  return { error: failure };
}

const noPasswords = { currentPassword: '', newPassword: '', confirmPassword: '' };

export function ChangePasswordPage() {
  const form = useForm(noPasswords);
  const [changed, setChanged] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    const { currentPassword, newPassword, confirmPassword } = form.values;
    setChanged(false);
    return form.submit(event, {
      check: () => checkPasswords(currentPassword, newPassword, confirmPassword),
      send: async () => {
        await authApi.changePassword(currentPassword, newPassword);
        form.reset();
        setChanged(true);
      },
      explain: explainFailure,
    });
  }

  return (
    <>
      <PageHeader title="Change password" />
      <form className="form form--narrow" onSubmit={(event) => void submit(event)} noValidate>
        {changed ? <StatusMessage>Your password has been changed.</StatusMessage> : null}
        <ErrorBanner ref={form.errorRef} error={form.error} title="Your password was not changed" />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          {...form.field('currentPassword')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong password that is easy to remember.`}
          {...form.field('newPassword')}
        />
        <TextField label="New password again" type="password" autoComplete="new-password" required {...form.field('confirmPassword')} />
        <FormActions label="Change password" busyLabel="Saving…" busy={form.submitting} />
      </form>
    </>
  );
}
