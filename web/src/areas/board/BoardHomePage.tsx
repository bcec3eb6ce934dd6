import { EmptyState } from '../../components/EmptyState.tsx';
import { LinkCards } from '../../components/LinkCards.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useMe } from '../../session/SessionContext.tsx';
import { organizationAdminLinks } from '../organization/adminLinks.ts';

export function BoardHomePage() {
  const me = useMe();
  const organization = me.organization;
  const certifying = organization?.kind === 'certifying_board';
  const qualifiers = certifying
    ? [organization?.boardCode]
    : [organization?.jurisdiction, organization?.boardType ? `${organization.boardType} board` : null];
  const subtitle = [organization?.name, ...qualifiers].filter(Boolean).join(' · ');

  return (
    <>
      <PageHeader title="Board home" subtitle={subtitle || undefined} />
      <section aria-labelledby="board-people">
        <h2 id="board-people">{certifying ? 'Diplomates, MOC credit and audits' : 'Licensees, compliance and audits'}</h2>
        {certifying ? (
          <EmptyState title="No diplomates yet">
            <p>
              Your diplomates will appear here once your roster is loaded, with the MOC credit reported for them to
              accept or reject, and your audits.
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No licensees yet">
            <p>
              Your licensees will appear here once your roster is loaded, with every credit reported for them, their
              compliance with your renewal requirements, and your audits.
            </p>
          </EmptyState>
        )}
      </section>
      <LinkCards label="Organization settings" cards={organizationAdminLinks(me.role)} />
    </>
  );
}
