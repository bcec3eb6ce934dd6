import { tableDownload, type FileDownload, type OutputColumn } from '../../files/tabular-writer.ts';
import { LICENSE_STATUSES } from './license-values.ts';
import { exportOnlyColumns, rosterColumns, type RosterKind } from './roster-rows.ts';

const prompts: Record<string, string> = {
  licenseNumber: 'As the board writes it, prefix letters included (A12345).',
  licenseType: 'MD or DO; may be left empty on an MD-only or DO-only board.',
  boardId: 'The diplomate ID the board issued.',
  status: 'Active, Probation, Inactive, Expired, Suspended, Revoked, Surrendered, Retired or Deceased.',
  birthMonth: '1 to 12. The hub never stores a birth year.',
  birthDay: '1 to 31.',
  npi: 'Ten digits, when known.',
  issuedOn: 'YYYY-MM-DD or MM/DD/YYYY (DD/MM/YYYY when the upload says its dates are day first).',
  expiresOn: 'YYYY-MM-DD or MM/DD/YYYY (DD/MM/YYYY when the upload says its dates are day first).',
};

function templateColumns(kind: RosterKind): OutputColumn<Record<string, never>>[] {
  return rosterColumns(kind).filter((column) => !exportOnlyColumns.has(column.name)).map((column) => ({
    header: column.label,
    value: () => '',
    width: 18,
    text: true,
    prompt: prompts[column.name],
    choices: column.name === 'licenseType' ? ['MD', 'DO'] : column.name === 'status' ? LICENSE_STATUSES.filter((s) => s !== 'unknown').map((s) => s[0].toUpperCase() + s.slice(1)) : undefined,
  }));
}

const instructions = (kind: RosterKind) => [
  kind === 'licenses' ? 'Licensee roster template' : 'Diplomate roster template',
  'One row per license (or certification). Headings may be in any order; the hub also accepts common other names for them.',
  'Uploading again updates what changed. Upload with "full roster" when the file lists every licensee: licenses it leaves out become inactive; nothing is deleted. If it leaves out more than a tenth of your practising licenses, they are left as they were until you confirm, on the Roster page.',
  'Rows may be on several sheets (a tab per license type), each under its own header row. Hidden sheets are not read: a file with a hidden sheet of rows is refused, to unhide or delete it.',
  'Birth month and day identify the physician when providers report credit. Never include a birth year.',
  'The receipt after each upload says for every row whether it was created, updated, unchanged or rejected, and why.',
];

export function rosterTemplate(kind: RosterKind, format: 'csv' | 'xlsx'): FileDownload {
  const base = kind === 'licenses' ? 'licensee-roster-template' : 'diplomate-roster-template';
  return tableDownload(format, base, { name: 'Roster', columns: templateColumns(kind), rows: [], templateRows: 200 }, [
    { name: 'Instructions', lines: instructions(kind) },
  ]);
}
