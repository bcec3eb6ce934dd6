import { useEffect, useRef } from 'react';
import { InlineQuestion } from '../components/InlineQuestion.tsx';

/**
 * What is asked before an act that would stop a file still on its way to the hub (signing out, going to another
 * page): staying has the focus, as Escape does, and gives it back to where it was.
 */
export function FileOnItsWayQuestion({ name, doing, stopLabel, onStay, onStop, className }: {
  /** The question's group, as a screen reader names it ("Sign out while a file is sent?"). */
  name: string;
  /** What would stop the file, as a sentence starts ("Signing out"). */
  doing: string;
  stopLabel: string;
  onStay: () => void;
  onStop: () => void;
  className?: string;
}) {
  const stayButton = useRef<HTMLButtonElement>(null);
  const focusedBefore = useRef<Element | null>(null);
  useEffect(() => {
    focusedBefore.current = document.activeElement;
    stayButton.current?.focus();
  }, []);

  function stay() {
    onStay();
    const before = focusedBefore.current;
    requestAnimationFrame(() => (before instanceof HTMLElement ? before.focus() : undefined));
  }

  return (
    <InlineQuestion name={name} question={`A file is still on its way to the hub. ${doing} stops it, and nothing of it is kept.`} onEscape={stay} className={className}>
      <button ref={stayButton} type="button" className="button button--small" onClick={stay}>
        Stay and send it
      </button>
      <button type="button" className="button button--danger button--small" onClick={onStop}>
        {stopLabel}
      </button>
    </InlineQuestion>
  );
}
