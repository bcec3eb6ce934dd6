import type { ReactNode } from 'react';

/**
 * A question asked in place, before an act that cannot be taken back: its answers are the buttons given
 * (`children`), and Escape answers it as its safe answer does (`onEscape`). Its group is named for screen readers.
 */
export function InlineQuestion({ name, question, onEscape, className, children }: {
  name: string;
  question: ReactNode;
  onEscape: () => void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={className ? `confirm ${className}` : 'confirm'}
      role="group"
      aria-label={name}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onEscape();
      }}
    >
      <span className="confirm__question">{question}</span>
      {children}
    </div>
  );
}
