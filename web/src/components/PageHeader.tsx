import type { ReactNode } from 'react';
import { usePageTitle } from '../hooks/usePageTitle.ts';

type PageHeaderProps = {
  title: string;
  /** The browser tab's title when it should say more than the heading (an upload's progress); the heading otherwise. */
  documentTitle?: string;
  /** One line under the heading: whose data this is, or what the page is for. */
  subtitle?: ReactNode;
  actions?: ReactNode;
};

/** The page's one h1, also used as the document title; the shell moves focus here after navigation. */
export function PageHeader({ title, documentTitle, subtitle, actions }: PageHeaderProps) {
  usePageTitle(documentTitle ?? title);
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
