import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { generateReports } from './reports.ts';
import { seededRandom } from './random.ts';

/**
 * Learner files as providers send them at year end: one completion per row, about the physicians of
 * the synthetic registry (with the slips providers make, and 8% physicians it does not hold), plus a
 * share of rows no rule accepts (bad dates, missing names, unknown activities, bad amounts) and rows
 * repeated within the file. The same seed gives the same files. The registry's report generator makes
 * all the identities at once (its random stream starts at the seed), so the generator holds them while
 * the file is written; the hub that reads the file is measured in another process.
 */

export type LearnerFileSpec = {
  seed: number;
  /** Persons in the registry the rows are about. */
  registrySize: number;
  rows: number;
  /** The provider's active activities; rows are spread over them. */
  activityIds: readonly string[];
  /** Dates completed: the days before this one. */
  today: string;
};

export type LearnerRowData = {
  reference: string;
  activityId: string;
  completionDate: string;
  firstName: string;
  middleName: string;
  lastName: string;
  birthMonth: string;
  birthDay: string;
  state: string;
  licenseNumber: string;
  npi: string;
  cmeCredits: string;
};

export type LearnerFileStats = { rows: number; badRows: number; repeatedRows: number; strangers: number };

export const LEARNER_CSV_HEADER = [
  'Reference',
  'Activity ID',
  'Completion date',
  'First name',
  'Middle name',
  'Last name',
  'Birth month',
  'Birth day',
  'License state',
  'License number',
  'NPI',
  'AMA PRA Category 1 credits',
  'Consent',
];

/** Shares of the rows with a mistake no rule accepts, and of rows sent twice in the same file. */
const BAD_SHARE = 0.02;
const REPEAT_SHARE = 0.01;

function daysBefore(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/** The rows of a learner file, in order. */
export function* learnerRows(spec: LearnerFileSpec, stats: LearnerFileStats): Generator<LearnerRowData> {
  const random = seededRandom(spec.seed ^ 0x1ea7);
  const reports = generateReports(spec.seed, spec.registrySize, spec.rows);
  let previous: LearnerRowData | null = null;
  for (let index = 0; index < spec.rows; index += 1) {
    const reference = `L-${index + 1}`;
    stats.rows += 1;
    if (previous && random() < REPEAT_SHARE) {
      stats.repeatedRows += 1;
      yield { ...previous, reference };
      continue;
    }
    const { identity, truth } = reports[index];
    if (truth === null) stats.strangers += 1;
    const row: LearnerRowData = {
      reference,
      activityId: spec.activityIds[index % spec.activityIds.length],
      completionDate: daysBefore(spec.today, 1 + Math.floor(random() * 20)),
      firstName: identity.firstName,
      middleName: identity.middleName ?? '',
      lastName: identity.lastName,
      birthMonth: String(identity.birthMonth),
      birthDay: String(identity.birthDay),
      state: identity.state ?? '',
      licenseNumber: identity.licenseNumber ?? '',
      npi: identity.npi ?? '',
      cmeCredits: String(1 + Math.floor(random() * 5) * 0.25),
    };
    if (random() < BAD_SHARE) {
      stats.badRows += 1;
      const mistake = Math.floor(random() * 4);
      if (mistake === 0) row.completionDate = '31/02/2025';
      else if (mistake === 1) row.lastName = '';
      else if (mistake === 2) row.activityId = '999999999';
      else row.cmeCredits = '1.3';
    }
    previous = row;
    yield row;
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function write(output: Writable, text: string): Promise<void> {
  if (!output.write(text)) await once(output, 'drain');
}

async function close(output: fs.WriteStream): Promise<void> {
  output.end();
  await once(output, 'close');
}

export async function writeLearnerCsv(filePath: string, spec: LearnerFileSpec): Promise<LearnerFileStats> {
  const stats: LearnerFileStats = { rows: 0, badRows: 0, repeatedRows: 0, strangers: 0 };
  const output = fs.createWriteStream(filePath);
  await write(output, `${LEARNER_CSV_HEADER.join(',')}\r\n`);
  let buffer = '';
  for (const row of learnerRows(spec, stats)) {
    buffer += `${[row.reference, row.activityId, row.completionDate, row.firstName, row.middleName, row.lastName, row.birthMonth, row.birthDay, row.state, row.licenseNumber, row.npi, row.cmeCredits, 'written'].map(csvField).join(',')}\r\n`;
    if (buffer.length > 1 << 16) {
      await write(output, buffer);
      buffer = '';
    }
  }
  await write(output, buffer);
  await close(output);
  return stats;
}

/**
 * An XLSX workbook as a provider fills the template in: an instructions sheet, then the rows. Text is
 * in shared strings, as Excel saves it: a reader holds every distinct string of the file.
 */
export async function writeLearnerXlsx(filePath: string, spec: LearnerFileSpec): Promise<LearnerFileStats> {
  const stats: LearnerFileStats = { rows: 0, badRows: 0, repeatedRows: 0, strangers: 0 };
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: filePath, useStyles: false, useSharedStrings: true });
  const notes = workbook.addWorksheet('Instructions');
  notes.addRow(['One row per learner per activity completed.']).commit();
  notes.commit();
  const sheet = workbook.addWorksheet('Learners');
  sheet.addRow(LEARNER_CSV_HEADER).commit();
  let written = 0;
  for (const row of learnerRows(spec, stats)) {
    sheet
      .addRow([
        row.reference,
        row.activityId,
        row.completionDate,
        row.firstName,
        row.middleName,
        row.lastName,
        Number(row.birthMonth),
        Number(row.birthDay),
        row.state,
        row.licenseNumber,
        row.npi,
        Number(row.cmeCredits),
        'Written',
      ])
      .commit();
    written += 1;
    if (written % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
  return stats;
}

function escapeXml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/**
 * A MedBiquitous Activity Report v2 document, one ActivityReport per row, written compactly: a
 * million completions stay under the upload size limit.
 */
export async function writeLearnerXml(filePath: string, spec: LearnerFileSpec & { providerId: string }): Promise<LearnerFileStats> {
  const stats: LearnerFileStats = { rows: 0, badRows: 0, repeatedRows: 0, strangers: 0 };
  const output = fs.createWriteStream(filePath);
  await write(
    output,
    '<?xml version="1.0" encoding="UTF-8"?>\n<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:h="http://ns.medbiq.org/lom/extend/v1/">\n' +
      `<DateTimeCreated>${spec.today}T00:00:00</DateTimeCreated><ReportingStartDate>${daysBefore(spec.today, 30)}</ReportingStartDate><ReportingEndDate>${spec.today}</ReportingEndDate>\n`,
  );
  let buffer = '';
  for (const row of learnerRows(spec, stats)) {
    const ids: string[] = [];
    if (row.npi) ids.push(`<m:UniqueID domain="idd:nppes.cms.hhs.gov:npi">${escapeXml(row.npi)}</m:UniqueID>`);
    if (row.state && row.licenseNumber) ids.push(`<m:UniqueID domain="idd:accme.org:${row.state}">${escapeXml(row.licenseNumber)}</m:UniqueID>`);
    const name = `<m:Name>${row.firstName ? `<n:GivenName>${escapeXml(row.firstName)}</n:GivenName>` : ''}${row.middleName ? `<n:GivenName>${escapeXml(row.middleName)}</n:GivenName>` : ''}${row.lastName ? `<n:FamilyName>${escapeXml(row.lastName)}</n:FamilyName>` : ''}</m:Name>`;
    const birth = `<m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-${row.birthMonth.padStart(2, '0')}-${row.birthDay.padStart(2, '0')}</m:BirthDate></m:PersonalInfo>`;
    const completed = /^\d{4}-\d{2}-\d{2}$/.test(row.completionDate) ? `${row.completionDate}T00:00:00` : row.completionDate;
    buffer +=
      `<ActivityReport><ReportingOrganization>Benchmark provider</ReportingOrganization><Member>${ids.join('')}${name}${birth}</Member>` +
      `<Activity><ProviderOrganization>${spec.providerId}</ProviderOrganization><ActivityName>Activity ${row.activityId}</ActivityName>` +
      `<Module><ModuleName moduleID="${row.activityId}">Activity</ModuleName><Status>Completed</Status><CompletedDateTime>${escapeXml(completed)}</CompletedDateTime>` +
      `<CreditCertificate><CreditReceived><h:activityCertification>AMA PRA Category 1 Credit</h:activityCertification><h:creditUnit>Point</h:creditUnit><h:numberOfCredits>${row.cmeCredits}</h:numberOfCredits></CreditReceived>` +
      `<CreditID>ccid:${spec.providerId}:${row.reference}</CreditID></CreditCertificate></Module></Activity></ActivityReport>\n`;
    if (buffer.length > 1 << 16) {
      await write(output, buffer);
      buffer = '';
    }
  }
  await write(output, `${buffer}</ActivityReports>\n`);
  await close(output);
  return stats;
}
