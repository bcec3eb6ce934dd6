import type { Role } from '../../api/types.ts';
import type { LinkCard } from '../../components/LinkCards.tsx';

/** The organization settings an administrator reaches from their home page. */
export function organizationAdminLinks(role: Role): LinkCard[] {
  if (role !== 'provider_admin' && role !== 'board_admin') return [];
  return [
    { to: '/organization/users', title: 'Users', description: 'Who in your organization can sign in, and their roles.' },
    {
      to: '/organization/api-keys',
      title: 'API keys',
      description: 'Keys that let your own systems send and read data through the hub API.',
    },
  ];
}
