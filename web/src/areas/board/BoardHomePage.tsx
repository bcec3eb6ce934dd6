import { LinkCards, type LinkCard } from '../../components/LinkCards.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useMe } from '../../session/SessionContext.tsx';
import { organizationAdminLinks } from '../organization/adminLinks.ts';
import { LatestRosterLoad, type RosterWords } from './LatestRosterLoad.tsx';

const licensingWords: RosterWords = { person: 'licensee', row: 'license' };
const certifyingWords: RosterWords = { person: 'diplomate', row: 'certification' };

function boardTasks(certifying: boolean): LinkCard[] {
  return [
    certifying
      ? { to: '/board/credits', title: 'MOC credit reported', description: 'Every MOC credit providers reported for your diplomates.' }
      : {
          to: '/board/credits',
          title: 'Licensee credits',
          description: 'Every credit reported for the physicians you license, whichever state the provider named.',
        },
    {
      to: '/board/roster',
      title: 'Load a roster',
      description: certifying
        ? 'Your diplomates and their certifications, as a CSV or Excel file.'
        : 'Your licensees and their licenses, as a CSV or Excel file.',
    },
  ];
}

/** A board's starting point: its roster as the hub holds it, and the credit reported for its people. */
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
      <LinkCards label="Board tasks" cards={boardTasks(certifying)} />
      {organization ? <LatestRosterLoad boardId={organization.id} words={certifying ? certifyingWords : licensingWords} /> : null}
      <LinkCards label="Organization settings" cards={organizationAdminLinks(me.role)} />
    </>
  );
}
