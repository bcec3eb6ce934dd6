import type { Organization } from '../../api/types.ts';

/** The identifier people know an organization by: provider ID, state and board type, or board code. */
export function organizationIdentifier(organization: Organization): string {
  switch (organization.kind) {
    case 'provider':
      return organization.providerId ? `Provider ID ${organization.providerId}` : '';
    case 'licensing_board':
      return [organization.jurisdiction, organization.boardType].filter(Boolean).join(' · ');
    case 'certifying_board':
      return organization.boardCode ?? '';
    case 'operator':
      return '';
  }
}
