import type { Hub } from '../hub.ts';
import { findOrganizationsNamed } from '../modules/organizations/organizations.repository.ts';
import { CliError } from './cli-error.ts';

/** The `--org` option, alike in every command that takes one. */
export const organizationOption = {
  flags: '--org <organization>',
  description: "its id, a provider's 7-digit provider ID, a certifying board's code (ABIM) or its name",
};

/** `--org` where it names a board, whose roster it is: a provider ID names no board. */
export const boardOption = {
  flags: organizationOption.flags,
  description: "its id, a certifying board's code such as ABIM, or its name",
};

/** The id of the organization `--org` names; what to give instead when it names none, or several. */
export async function organizationNamed(hub: Hub, named: string): Promise<string> {
  const trimmed = named.trim();
  const found = await findOrganizationsNamed(hub.db, trimmed);
  if (found.length === 1) return found[0].id;
  if (found.length === 0) {
    throw new CliError(
      `No organization is named "${trimmed}". Give --org its id (on the organization's page of the web app), a provider's 7-digit provider ID, a certifying board's code (ABIM) or the organization's name as the hub has it.`,
    );
  }
  const listed = found.map((organization) => `  ${organization.id}  ${organization.name} (${organization.kind.replace('_', ' ')})`).join('\n');
  throw new CliError(`Several organizations are named "${trimmed}"; give --org the id of the one you mean:\n${listed}`);
}
