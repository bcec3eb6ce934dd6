import { useState } from 'react';

type CopyButtonProps = {
  value: string;
  label?: string;
};

/** Copies a value to the clipboard and says so; where the clipboard is not allowed, tells people to copy by hand. */
export function CopyButton({ value, label = 'Copy' }: CopyButtonProps) {
  const [outcome, setOutcome] = useState<'copied' | 'failed'>();

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setOutcome('copied');
    } catch {
      setOutcome('failed');
    }
  }

  return (
    <span className="copy">
      <button type="button" className="button button--secondary" onClick={() => void copy()}>
        {label}
      </button>
      <span className="copy__outcome" role="status">
        {outcome === 'copied' ? 'Copied to the clipboard.' : null}
        {outcome === 'failed' ? 'Copying is not allowed here: select the text and copy it yourself.' : null}
      </span>
    </span>
  );
}
