import { useId, type ReactNode } from 'react';
import { Heading, type HeadingLevel } from './Heading.tsx';

type SectionProps = {
  title: string;
  /** 2 for a part of a page; deeper inside a panel that sits under its own h2. */
  level?: HeadingLevel;
  /** Draws the rule that sets a part of a page apart; panels inside a section go without. */
  divided?: boolean;
  /** Links or buttons beside the heading, such as "See all". */
  actions?: ReactNode;
  children: ReactNode;
};

/** A titled part of a page: a heading that names the region for screen readers, and its content. */
export function Section({ title, level = 2, divided = true, actions, children }: SectionProps) {
  const headingId = useId();
  return (
    <section className={divided ? 'section' : undefined} aria-labelledby={headingId}>
      {actions ? (
        <div className="section__header">
          <Heading level={level} id={headingId}>
            {title}
          </Heading>
          <div className="section__actions">{actions}</div>
        </div>
      ) : (
        <Heading level={level} id={headingId}>
          {title}
        </Heading>
      )}
      {children}
    </section>
  );
}
