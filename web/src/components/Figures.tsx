import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

export type Figure = {
  /** What is counted, read after the number: "rejected, to fix". */
  label: string;
  /** A number is written with thousands separators. */
  value: ReactNode;
  /** Where the counted things are listed; the whole figure becomes the link. */
  to?: string;
  /** Marks a figure that asks for action while it is above zero. */
  attention?: boolean;
};

/** Key numbers at a glance, each read as "12 rejected, to fix" and linked to what it counts. */
export function Figures({ label, figures }: { label: string; figures: readonly Figure[] }) {
  return (
    <ul className="figures" aria-label={label}>
      {figures.map((figure) => {
        const content = (
          <>
            <span className="figure__value">{typeof figure.value === 'number' ? figure.value.toLocaleString() : figure.value}</span> <span className="figure__label">{figure.label}</span>
          </>
        );
        return (
          <li key={figure.label} className={figure.attention ? 'figure figure--attention' : 'figure'}>
            {figure.to ? (
              <Link className="figure__body" to={figure.to}>
                {content}
              </Link>
            ) : (
              <div className="figure__body">{content}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
