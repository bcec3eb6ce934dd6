import type { AccreditationStatus, OrganizationKind, Role } from './api/types.ts';

export const roleLabels: Record<Role, string> = {
  operator: 'Hub operator',
  provider_admin: 'Provider administrator',
  provider_staff: 'Provider staff',
  board_admin: 'Board administrator',
  board_staff: 'Board staff',
  physician: 'Physician',
};

export const organizationKindLabels: Record<OrganizationKind, string> = {
  operator: 'Hub operator',
  provider: 'Accredited provider',
  licensing_board: 'Licensing board',
  certifying_board: 'Certifying board',
};

export const accreditationStatusLabels: Record<AccreditationStatus, string> = {
  accredited: 'Accredited',
  accredited_with_commendation: 'Accreditation with Commendation',
  provisional: 'Provisional accreditation',
  probation: 'Probation',
  nonaccredited: 'Nonaccredited',
};

export function accreditationStatusLabel(status: string | null | undefined): string {
  if (!status) return '—';
  return accreditationStatusLabels[status as AccreditationStatus] ?? status;
}

/** The roles a person can hold inside an organization of the given kind. */
export function rolesForOrganizationKind(kind: OrganizationKind): Role[] {
  switch (kind) {
    case 'operator':
      return ['operator'];
    case 'provider':
      return ['provider_admin', 'provider_staff'];
    case 'licensing_board':
    case 'certifying_board':
      return ['board_admin', 'board_staff'];
  }
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(value: string | null | undefined, empty = '—'): string {
  if (!value) return empty;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
}

/**
 * A message of the hub's, written for every client with its times in UTC ("uploaded 2026-12-06 13:23 UTC"), with
 * those times as the page shows its others: in the reader's own zone, as "Dec 6, 2026, 5:23 AM".
 */
export function withLocalTimes(message: string): string {
  return message.replace(/\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/g, (written, day: string, time: string) => formatDateTime(`${day}T${time}:00Z`, written));
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date (`2026-03-01`) or an instant, as a date. Calendar dates are read as local days: parsed as
 * UTC midnight they would show as the day before anywhere west of Greenwich.
 */
/** A row of a file as messages name it: 'row 12', or 'row 12 of sheet "March"' in a workbook read from several sheets. */
export function rowWords(rowNumber: number, sheet: string | null): string {
  return `row ${rowNumber.toLocaleString()}${sheet === null ? '' : ` of sheet "${sheet}"`}`;
}

export function formatDate(value: string | null | undefined, empty = '—'): string {
  if (!value) return empty;
  const calendar = CALENDAR_DATE.exec(value);
  const date = calendar
    ? new Date(Number(calendar[1]), Number(calendar[2]) - 1, Number(calendar[3]))
    : new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

/** A month as the API gives it (`2026-11`) as people say it: "November 2026". */
export function formatMonth(month: string): string {
  const [year, number] = month.split('-').map(Number);
  const date = new Date(year, number - 1, 1);
  return Number.isNaN(date.getTime()) ? month : monthFormat.format(date);
}

/** A file's size as its owner would check it: "empty, 0 bytes", "512 bytes", "14 KB", "3.2 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes === 0) return 'empty, 0 bytes';
  if (bytes < 1024) return `${bytes.toLocaleString()} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024).toLocaleString()} KB`;
  return `${(bytes / (1024 * 1024)).toLocaleString(undefined, { maximumFractionDigits: 1 })} MB`;
}
