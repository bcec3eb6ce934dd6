/** License types and statuses as the registry keeps them, read from the many ways boards write them. */
import { closestSpelling, lettersOffAllowed } from '../../words.ts';

export const LICENSE_STATUSES = [
  'active', 'probation', 'inactive', 'expired', 'suspended', 'revoked', 'surrendered', 'retired', 'deceased',
  'unknown',
] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

const STATUS_SYNONYMS: Record<string, LicenseStatus> = {
  active: 'active', current: 'active', clear: 'active', valid: 'active', good: 'active', renewed: 'active',
  probation: 'probation', probationary: 'probation', restricted: 'probation', conditional: 'probation',
  inactive: 'inactive', lapsed: 'inactive', cancelled: 'inactive', canceled: 'inactive', delinquent: 'inactive',
  expired: 'expired', suspended: 'suspended', revoked: 'revoked', surrendered: 'surrendered',
  retired: 'retired', deceased: 'deceased',
};

/** "Active", "CURRENT", "Clear" -> active; null when the text is no status the registry knows. */
export function normalizeLicenseStatus(raw: string | null | undefined): LicenseStatus | null {
  const folded = (raw ?? '').trim().toLowerCase().replace(/[^a-z]/g, '');
  if (folded === '') return null;
  return STATUS_SYNONYMS[folded] ?? null;
}

/**
 * The status a misspelt one was most likely meant to be ("Actve", "Suspnded"), a letter or two from a way the
 * registry reads one (`closestSpelling`); null when none is that close, or two statuses are. Only said, never taken:
 * a status read wrong makes a license inactive, or keeps one active. The letters allowed go by the length of the
 * way the registry reads it, not of what was written: a board may write the stem of a long one ("Suspend", "Cancel").
 */
export function statusMeant(raw: string): LicenseStatus | null {
  const folded = raw.trim().toLowerCase().replace(/[^a-z]/g, '');
  return folded.length < 4 ? null : closestSpelling(folded, Object.entries(STATUS_SYNONYMS), { allowed: lettersOffAllowed });
}

/** Statuses under which the physician may practise; the others are reported as an inactive license. */
export function isPractisingStatus(status: string): boolean {
  return status === 'active' || status === 'probation';
}

export const LICENSE_TYPES = ['MD', 'DO'] as const;
export type LicenseType = (typeof LICENSE_TYPES)[number];

const TYPE_SYNONYMS: Record<string, LicenseType> = {
  md: 'MD', medicaldoctor: 'MD', physician: 'MD', physicianandsurgeon: 'MD', allopathic: 'MD',
  do: 'DO', osteopathic: 'DO', osteopathicphysician: 'DO', osteopathicphysicianandsurgeon: 'DO',
};

/**
 * "M.D.", "md", "Physician and Surgeon" -> MD; "D.O.", "Osteopathic" -> DO; null otherwise. A state's credential
 * name is read without the word for a license around it ("Physician and Surgeon License", "Osteopathic Physician
 * Credential").
 */
export function normalizeLicenseType(raw: string | null | undefined): LicenseType | null {
  const folded = (raw ?? '').trim().toLowerCase().replace(/[^a-z]/g, '');
  return TYPE_SYNONYMS[folded] ?? TYPE_SYNONYMS[folded.replace(/^(?:full|permanent|unrestricted)|(?:license|licence|credential)$/g, '')] ?? null;
}
