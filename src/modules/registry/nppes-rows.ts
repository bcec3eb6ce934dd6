import type { ColumnSpec } from '../../files/columns.ts';
import type { Problem } from '../../http/errors.ts';
import { normalizeJurisdiction } from '../matching/jurisdictions.ts';
import { normalizeLicenseNumber } from '../matching/license-numbers.ts';
import { lastNameSearchKeys, normalizeName } from '../matching/names.ts';
import { normalizeNpi, npiProblem } from '../matching/npi.ts';

/** The NPPES dissemination file has 15 license slots per provider. */
const LICENSE_SLOTS = 15;

/** The columns of the public NPPES file the registry reads; the other 300 or so are ignored. */
export const nppesColumns: readonly ColumnSpec[] = [
  { name: 'npi', label: 'NPI', required: true },
  { name: 'entityType', label: 'Entity Type Code', required: true },
  { name: 'lastName', label: 'Provider Last Name (Legal Name)', required: true },
  { name: 'firstName', label: 'Provider First Name', required: true },
  { name: 'middleName', label: 'Provider Middle Name' },
  { name: 'otherLastName', label: 'Provider Other Last Name' },
  { name: 'otherFirstName', label: 'Provider Other First Name' },
  { name: 'deactivatedOn', label: 'NPI Deactivation Date' },
  { name: 'reactivatedOn', label: 'NPI Reactivation Date' },
  ...Array.from({ length: LICENSE_SLOTS }, (_, i): ColumnSpec[] => [
    { name: `licenseNumber${i + 1}`, label: `Provider License Number_${i + 1}` },
    { name: `licenseState${i + 1}`, label: `Provider License Number State Code_${i + 1}` },
  ]).flat(),
];

export interface NppesLicense {
  jurisdiction: string;
  licenseNumber: string;
  numberKey: string;
  numberDigits: string;
}

export interface NppesRecord {
  rowNumber: number;
  npi: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  firstKey: string;
  lastKey: string;
  lastKeys: string[];
  otherLastName: string | null;
  otherFirstName: string | null;
  licenses: NppesLicense[];
}

export type NppesRowResult =
  | { kind: 'individual'; record: NppesRecord }
  | { kind: 'skipped' }
  | { kind: 'rejected'; identifier: string; problems: Problem[] };

/**
 * Reads one provider of the NPPES file. Organizations (entity type 2) and deactivated NPIs, which carry no
 * name, are skipped; an individual without a valid NPI or a name is rejected.
 */
export function readNppesRow(rowNumber: number, values: Record<string, string>): NppesRowResult {
  const get = (name: string) => (values[name] ?? '').trim();
  if (get('entityType') !== '1') return { kind: 'skipped' };
  if (get('deactivatedOn') && !get('reactivatedOn')) return { kind: 'skipped' };

  const row = rowNumber;
  const problems: Problem[] = [];
  const npi = normalizeNpi(get('npi'));
  if (npiProblem(npi)) problems.push({ row, code: npiProblem(npi) as string, field: 'npi', message: `"${get('npi')}" is not a valid NPI.` });
  const firstName = normalizeName(get('firstName'));
  const lastName = normalizeName(get('lastName'));
  if (!firstName.key || !lastName.key) {
    problems.push({ row, code: 'name_required', field: 'lastName', message: 'An individual provider needs a first and last name.' });
  }
  if (problems.length > 0) return { kind: 'rejected', identifier: get('npi'), problems };

  const licenses = new Map<string, NppesLicense>();
  for (let slot = 1; slot <= LICENSE_SLOTS; slot += 1) {
    const jurisdiction = normalizeJurisdiction(get(`licenseState${slot}`));
    const number = normalizeLicenseNumber(get(`licenseNumber${slot}`));
    if (!jurisdiction || !number) continue;
    licenses.set(`${jurisdiction}:${number.key}`, {
      jurisdiction, licenseNumber: get(`licenseNumber${slot}`), numberKey: number.key, numberDigits: number.digits,
    });
  }
  const other = normalizeName(get('otherLastName'));
  return {
    kind: 'individual',
    record: {
      rowNumber,
      npi,
      firstName: get('firstName'),
      middleName: get('middleName') || null,
      lastName: get('lastName'),
      firstKey: firstName.key,
      lastKey: lastName.key,
      lastKeys: [...new Set([...lastNameSearchKeys(lastName), ...lastNameSearchKeys(other)])],
      otherLastName: other.key ? get('otherLastName') : null,
      otherFirstName: get('otherFirstName') || null,
      licenses: [...licenses.values()],
    },
  };
}
