import type { ReactNode } from 'react';
import { usePageTitle } from '../hooks/usePageTitle.ts';

type PageHeaderProps = {
  title: string;
  /** One line under the heading: whose data this is, or what the page is for. */
  subtitle?: ReactNode;
  actions?: ReactNode;
};

/** The page's one h1, also used as the document title; the shell moves focus here after navigation. */
export function PageHeader({ title, subtitle, actions }: PageHeaderProps) {
  usePageTitle(title);
  return (
    <header className="page-header">
      <div>
        <h1 tabIndex={-1} className="page-header__title">
          {title}
        </h1>
        {subtitle ? <p className="page-header__subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </header>
  );
}
