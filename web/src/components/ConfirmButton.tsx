import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { InlineQuestion } from './InlineQuestion.tsx';

type ConfirmButtonProps = {
  /** The first button, such as "Remove". */
  label: string;
  /** The accessible name of the first button when `label` alone is ambiguous in a table ("Remove Jane Doe"). */
  accessibleLabel?: string;
  /** The question shown before acting ("Remove Jane Doe from this organization?"). */
  question: string;
  confirmLabel: string;
  /** What the confirm button says while the action runs. */
  busyLabel?: string;
  /** The name of the question's group, when the question alone is long ("Claim Grand Rounds"). */
  groupLabel?: string;
  /** A destructive action (the default) is red; one that adds, such as a claim, is not. */
  tone?: 'danger' | 'plain';
  onConfirm: () => Promise<void>;
};

/**
 * An action that asks first, inline: the button turns into a question with Confirm and Cancel.
 * Focus moves to the confirm button, Escape cancels and returns focus to where it was.
 */
export function ConfirmButton({ label, accessibleLabel, question, confirmLabel, busyLabel = 'Working…', groupLabel, tone = 'danger', onConfirm }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const triggerRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      triggerRef.current?.focus();
    }
  }, [asking]);

  function cancel() {
    returnFocus.current = true;
    setAsking(false);
    setError(undefined);
  }

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      setAsking(false);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  if (!asking) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={tone === 'danger' ? 'button button--danger-quiet button--small' : 'button button--small'}
        aria-label={accessibleLabel}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }

  return (
    <InlineQuestion name={groupLabel ?? question} question={question} onEscape={cancel}>
      <button
        ref={confirmRef}
        type="button"
        className={tone === 'danger' ? 'button button--danger button--small' : 'button button--small'}
        onClick={() => void confirm()}
        disabled={busy}
      >
        {busy ? busyLabel : confirmLabel}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={cancel} disabled={busy}>
        Cancel
      </button>
      {error ? (
        <p className="confirm__error" role="alert">
          {error}
        </p>
      ) : null}
    </InlineQuestion>
  );
}
