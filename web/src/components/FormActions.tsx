import type { ReactNode } from 'react';

type FormActionsProps = {
  /** The submit button, such as "Create key". */
  label: string;
  /** Shown on the disabled button while the form is being sent, such as "Creating…". */
  busyLabel: string;
  busy: boolean;
  /** A quieter button where the form is not the page's main action; a full-width one on narrow cards. */
  variant?: 'secondary' | 'wide';
  /** Further actions after the submit button, such as a Cancel link. */
  children?: ReactNode;
};

/** The row of actions under a form: its submit button, disabled while sending, and any others. */
export function FormActions({ label, busyLabel, busy, variant, children }: FormActionsProps) {
  const className = variant ? `button button--${variant}` : 'button';
  return (
    <div className="form__actions">
      <button type="submit" className={className} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {children}
    </div>
  );
}
