import { normalizeLicenseNumber, type LicenseNumberKey } from '../matching/license-numbers.ts';
import { normalizeName } from '../matching/names.ts';
import { normalizeNpi } from '../matching/npi.ts';

/**
 * What a board's staff typed to find one of its physicians, read every way it could be meant: an NPI (ten
 * digits, spaces and dashes allowed), a license number (or a certifying board's ID) as the registry keys it
 * ("a-012345" is A12345; "CA A12345" is A12345 at the California board), or a name as the registry keys it
 * (case, accents, apostrophes and suffixes do not count; "Lopez, Maria", "Maria Lopez" and "lopez" all find her).
 */
export type LicenseeSearch = {
  npi: string | null;
  number: LicenseNumberKey | null;
  /**
   * A name of one word: the last-name key it is looked up by (a compound last name by each of its parts, a
   * former last name too, as the registry indexes them).
   */
  lastName: string | null;
  /**
   * A name of several words: each run of its words, joined as the registry keys names ("de la Cruz" is
   * "delacruz"); a person matches when their last name is one of them and their first name another.
   */
  nameParts: string[];
};

/** The most words of a name read: "Dr. Maria Elena de la Cruz Lopez" is already six. */
const MAX_NAME_WORDS = 6;

export function readLicenseeSearch(text: string, jurisdiction: string | null): LicenseeSearch {
  const written = text.trim();
  const hasDigits = /\d/.test(written);
  const npi = normalizeNpi(written);
  const name = hasDigits ? null : normalizeName(written);
  const tokens = (name?.tokens ?? []).slice(0, MAX_NAME_WORDS);
  const nameParts: string[] = [];
  if (tokens.length > 1) {
    for (let start = 0; start < tokens.length; start += 1) {
      for (let end = start + 1; end <= tokens.length; end += 1) nameParts.push(tokens.slice(start, end).join(''));
    }
  }
  return {
    npi: /^\d{10}$/.test(npi) ? npi : null,
    number: hasDigits ? normalizeLicenseNumber(written, jurisdiction) : null,
    lastName: tokens.length === 1 ? tokens[0] : null,
    nameParts: [...new Set(nameParts)],
  };
}
