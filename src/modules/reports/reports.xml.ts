// XML answers of the learner-report API: receipts, and reports in the MedBiquitous Activity Report v2
// layout (the one they are sent in). Pure string building; every value is escaped.

import { CREDIT_TYPES } from '../activities/credit-types.ts';
import type { Problem } from '../../http/errors.ts';
import type { ActivityName, LearnerReportView } from './reports.repository.ts';

export const RECEIPTS_NAMESPACE = 'https://cmehub.org/ns/learner-report-receipts/v1';
const ACTIVITY_REPORT_NAMESPACE = 'http://ns.medbiq.org/activityreport/v2/';
const MEMBER_NAMESPACE = 'http://ns.medbiq.org/member/v2/';
const NAME_NAMESPACE = 'http://ns.medbiq.org/name/v2/';
const HEALTHCARE_LOM_NAMESPACE = 'http://ns.medbiq.org/lom/extend/v1/';
/** The authority of the identifier domains the hub writes (`idd:<authority>:<kind>`). */
const ID_AUTHORITY = 'accme.org';
/**
 * The schema's birth date is a full xsd:date; the hub keeps no birth year, so it writes this one
 * with accuracy="DayMonth", which says only day and month are meant.
 */
const PLACEHOLDER_BIRTH_YEAR = '1900';

export type XmlReceipt = { id: string | null; status: string; duplicate: boolean; late: boolean; deleted?: boolean; problems: Problem[] };

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(values: Record<string, string | number | boolean | null | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

function element(name: string, text: string, attrs: Record<string, string | number | boolean | null | undefined> = {}): string {
  return `<${name}${attributes(attrs)}>${escapeXml(text)}</${name}>`;
}

/** One `Receipt` per report sent, in the order sent. */
export function receiptsToXml(receipts: XmlReceipt[]): string {
  const lines = receipts.map((receipt, index) => {
    const problems = receipt.problems
      .map((problem) => `    ${element('Problem', problem.message, { code: problem.code, field: problem.field, row: problem.row })}`)
      .join('\n');
    const open = `  <Receipt${attributes({
      position: index + 1,
      id: receipt.id,
      status: receipt.status,
      duplicate: receipt.duplicate,
      late: receipt.late,
      deleted: receipt.deleted ? true : null,
    })}`;
    return problems ? `${open}>\n${problems}\n  </Receipt>` : `${open}/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<LearnerReportReceipts xmlns="${RECEIPTS_NAMESPACE}">\n${lines.join('\n')}${lines.length ? '\n' : ''}</LearnerReportReceipts>\n`;
}

/** Reports as an `ActivityReports` document, one `ActivityReport` per learner completion. */
export function reportsToActivityReportsXml(
  reports: LearnerReportView[],
  context: { providerName: string; providerId: string | null; activityNames: Map<string, ActivityName>; now: Date },
): string {
  const dates = reports.map((report) => report.completionDate).filter((date): date is string => date !== null).sort();
  const today = context.now.toISOString().slice(0, 10);
  const body = reports.map((report) => activityReportXml(report, context)).join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ActivityReports xmlns="${ACTIVITY_REPORT_NAMESPACE}" xmlns:m="${MEMBER_NAMESPACE}" xmlns:n="${NAME_NAMESPACE}" xmlns:hx="${HEALTHCARE_LOM_NAMESPACE}">`,
    `  ${element('DateTimeCreated', context.now.toISOString().slice(0, 19))}`,
    `  ${element('ReportingStartDate', dates[0] ?? today)}`,
    `  ${element('ReportingEndDate', dates.at(-1) ?? today)}`,
    body,
    '</ActivityReports>',
    '',
  ].join('\n');
}

function activityReportXml(
  report: LearnerReportView,
  context: { providerName: string; providerId: string | null; activityNames: Map<string, ActivityName> },
): string {
  const learner = report.learner;
  const ids: string[] = [];
  if (learner?.npi) ids.push(element('m:UniqueID', learner.npi, { domain: `idd:${ID_AUTHORITY}:NPI` }));
  if (learner?.state && learner.licenseNumber) {
    ids.push(element('m:UniqueID', learner.licenseNumber, { domain: `idd:${ID_AUTHORITY}:${learner.state}` }));
  }
  if (learner?.board && learner.boardId) {
    ids.push(element('m:UniqueID', learner.boardId, { domain: `idd:${ID_AUTHORITY}:${learner.board}` }));
  }
  const member = [
    ...ids.map((id) => `      ${id}`),
    learner
      ? `      <m:Name>${element('n:GivenName', learner.firstName)}${element('n:FamilyName', learner.lastName)}</m:Name>`
      : null,
    learner
      ? `      <m:PersonalInfo>${element(
          'm:BirthDate',
          `${PLACEHOLDER_BIRTH_YEAR}-${pad(learner.birthMonth)}-${pad(learner.birthDay)}`,
          { accuracy: 'DayMonth' },
        )}</m:PersonalInfo>`
      : null,
  ].filter((line): line is string => line !== null);
  const title = (report.activityId && context.activityNames.get(report.activityId)?.title) || report.activityId || 'Unknown activity';
  const certificates = report.credits.map(
    (credit) =>
      `          <CreditCertificate><CreditReceived>${element('hx:activityCertification', credit.type)}${element(
        'hx:creditUnit',
        'Point',
      )}${element('hx:numberOfCredits', credit.amount.toFixed(2))}</CreditReceived>${element(
        'CreditID',
        report.creditId ?? `ccid:cmehub:${report.id}`,
      )}</CreditCertificate>`,
  );
  return [
    `  <ActivityReport${attributes({ arid: `urn:uuid:${report.id}` })}>`,
    `    ${element('ReportingOrganization', context.providerName)}`,
    member.length ? `    <Member>\n${member.join('\n')}\n    </Member>` : '    <Member/>',
    '    <Activity>',
    `      ${element('ProviderOrganization', context.providerId ?? context.providerName)}`,
    `      ${element('ActivityName', title)}`,
    '      <Module>',
    `        ${element('ModuleName', title, { moduleID: report.activityId })}`,
    `        ${element('Status', 'Completed')}`,
    report.completionDate ? `        ${element('CompletedDateTime', `${report.completionDate}T00:00:00`)}` : null,
    ...certificates,
    '      </Module>',
    '    </Activity>',
    '  </ActivityReport>',
  ]
    .filter((line): line is string => line !== null)
    .join('\n');
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** The hub's credit type for a MedBiquitous `activityCertification`: a hub code, or a known label. */
export function creditTypeFromCertification(text: string): string | null {
  const compact = text.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (Object.hasOwn(CREDIT_TYPES, compact)) return compact;
  const folded = text.trim().toLowerCase().replace(/[™®]/g, '').replace(/\s+/g, ' ');
  if (/^ama pra category 1( credits?)?$/.test(folded)) return 'AMA_PRA_CAT1';
  return null;
}
