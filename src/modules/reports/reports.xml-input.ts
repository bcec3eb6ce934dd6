// MedBiquitous Activity Report v2 documents as learner reports: the document is read (and checked
// against the schema) by the streaming reader; here each completion becomes a report input.

import { Readable } from 'node:stream';
import type { Problem } from '../../http/errors.ts';
import { readActivityReports } from '../../files/medbiq-activity-report.ts';
import type { MedbiqReportItem } from '../../files/medbiq-activity-report.ts';
import type { IngestRow } from './use-cases/ingest-learner-reports.ts';
import { parseReportInput, readablePart } from './report-input.ts';
import type { ReportCandidate } from './report-input.ts';
import { creditIdForm, learnerReportInputSchema, reportIssueCode } from './reports.schemas.ts';
import { creditTypeFromCertification } from './reports.xml.ts';
import { stateCode } from '../reference/jurisdictions.ts';

export type Consent = 'written' | 'implied';

/** The reader's problems with credit lines, which do not matter for a deletion. */
const CREDIT_PROBLEMS = new Set(['no_credits', 'no_credit_amount', 'invalid_credit_amount']);

/** The element of the document that gives each field of a report, to name it in the sender's terms; a license's, as a UniqueID gives it. */
const elementOf: Record<string, string> = {
  activityId: 'ModuleName moduleID',
  completionDate: 'CompletedDateTime',
  'learner.firstName': 'GivenName',
  'learner.lastName': 'FamilyName',
  'learner.birthMonth': 'BirthDate',
  'learner.birthDay': 'BirthDate',
  'learner.state': 'UniqueID domain',
  'learner.licenseNumber': 'UniqueID',
  'learner.npi': 'UniqueID',
  'learner.board': 'UniqueID domain',
  'learner.boardId': 'UniqueID',
  credits: 'CreditReceived',
  creditId: 'CreditID',
};

/** A license's elements, as a LicenseInfo gives it. */
const licenseInfoElementOf: Record<string, string> = { 'learner.state': 'StateOrProvince', 'learner.licenseNumber': 'LicenseNumber' };

/** A completion of the document: a report to take in, or (LearnerRecordAction "delete") one to delete. */
export type XmlRow = IngestRow & { action: 'add' | 'delete' };

/**
 * The completions of an ActivityReports document, in order. The schema has no place for consent,
 * so the consent the caller states for the whole document is given to each report.
 */
export async function readActivityReportsXml(document: string, consent: Consent | undefined): Promise<XmlRow[]> {
  const rows: XmlRow[] = [];
  // A string source would be taken for a file path: the body goes in as a stream.
  const items = readActivityReports(Readable.from([Buffer.from(document, 'utf8')]));
  for await (const item of items) rows.push(toIngestRow(item, consent));
  return rows;
}

export function toIngestRow(item: MedbiqReportItem, consent: Consent | undefined): XmlRow {
  const { report } = item;
  const action = report.action.trim().toLowerCase() === 'delete' ? 'delete' : 'add';
  const problems: Problem[] = item.problems.filter((problem) => action === 'add' || !CREDIT_PROBLEMS.has(problem.code));
  const credits = report.credits.map((credit, index) => {
    const type = creditTypeFromCertification(credit.certification);
    if (!type && action === 'add') {
      problems.push({
        code: 'credit_type_unknown',
        field: `credits.${index}.type`,
        row: item.rowNumber,
        message: `Line ${item.line}: activityCertification "${credit.certification}" is no credit type the hub knows; use a code such as AMA_PRA_CAT1 or MOC_ABIM_MK.`,
      });
    }
    return { type: type ?? credit.certification, amount: Number(credit.amount) };
  });
  const creditId = report.credits.map((credit) => credit.creditId.trim()).find((id) => creditIdForm.test(id));
  const { learner } = report;
  const candidate: ReportCandidate = {
    activityId: report.activityId.trim(),
    completionDate: report.completionDate,
    learner: {
      firstName: learner.firstName,
      lastName: learner.lastName,
      birthMonth: learner.birthMonth === '' ? undefined : Number(learner.birthMonth),
      birthDay: learner.birthDay === '' ? undefined : Number(learner.birthDay),
      // A state by its name too ("California"), as a LicenseInfo may write it.
      state: stateCode(learner.state),
      licenseNumber: learner.licenseNumber || null,
      npi: learner.npi || null,
      board: learner.board || null,
      boardId: learner.boardId || null,
    },
    credits,
    consent: consent ?? null,
    creditId: creditId ?? null,
  };
  // A deletion names the report by activity, completion and learner; credits and consent do not matter.
  const parsed =
    action === 'delete'
      ? learnerReportInputSchema.safeParse({ ...candidate, credits: [{ type: 'AMA_PRA_CAT1', amount: 0 }], consent: 'written' })
      : parseReportInput(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // The reader has named the element to add or mend; "expected number, received undefined" would say it again.
      const path = issue.path.join('.');
      if (item.explainedFields.some((field) => path === field || path.startsWith(`${field}.`))) continue;
      const element = (report.licenseFrom === 'LicenseInfo' ? licenseInfoElementOf[path] : undefined) ?? elementOf[path] ?? elementOf[String(issue.path[0])];
      problems.push({
        code: reportIssueCode(issue),
        field: path || 'report',
        row: item.rowNumber,
        message: `Line ${item.line}: ${element ? `${element}: ` : ''}${issue.message}`,
      });
    }
  }
  return {
    rowNumber: item.rowNumber,
    action,
    input: parsed.success ? parsed.data : null,
    // A rejected completion keeps what could be read of it, so that it can be found and corrected.
    ...(parsed.success ? {} : { readable: readablePart(candidate) }),
    sentAs: () => report,
    parseProblems: problems,
  };
}
