// A report's place in the natural key before and after it is matched to a person.

import { normalizeLicenseNumber } from '../matching/license-numbers.ts';
import { normalizeName } from '../matching/names.ts';

export type ReportedIdentity = {
  firstName: string;
  lastName: string;
  birthMonth: number;
  birthDay: number;
  state?: string | null;
  licenseNumber?: string | null;
  npi?: string | null;
  board?: string | null;
  boardId?: string | null;
};

/** The key of a matched report: the person. */
export function personMatchKey(personId: string): string {
  return `person:${personId}`;
}

/**
 * The key of a report not matched yet: the identity as reported, normalized so that the same
 * learner sent twice (different case, accents, spacing, license zero-padding aside) is one report.
 */
export function identityMatchKey(identity: ReportedIdentity): string {
  return [
    'identity',
    normalizeName(identity.lastName).key,
    normalizeName(identity.firstName).key,
    identity.birthMonth,
    identity.birthDay,
    normalizeCode(identity.state),
    normalizeLicenseNumber(identity.licenseNumber, identity.state)?.key ?? '',
    normalizeCode(identity.npi),
    normalizeCode(identity.board),
    normalizeCode(identity.boardId),
  ].join(':');
}

function normalizeCode(value: string | null | undefined): string {
  return (value ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
}
