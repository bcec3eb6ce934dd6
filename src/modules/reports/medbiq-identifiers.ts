// Member/UniqueID domains in the form learner reports use: idd:<authority>:<kind>, the kind being
// NPI, a state code (a license of that state) or a certifying board code (a board ID), whatever the
// authority: idd:accme.org:NPI, idd:accme.org:CA, idd:accme.org:ABIM.

import { SaxesParser } from 'saxes';
import type { MedbiqLearner } from '../../files/medbiq-activity-report.ts';
import { certifyingBoardName } from '../reference/certifying-boards.ts';
import { jurisdictionName } from '../reference/jurisdictions.ts';

export type MemberIdentifier = { domain: string; value: string };
/** One ActivityReport: the lines it spans and its learner's identifiers. */
export type ReportIdentifiers = { startLine: number; endLine: number; identifiers: MemberIdentifier[] };

const ACTIVITY_REPORT_NAMESPACE = 'http://ns.medbiq.org/activityreport/v2/';
const MEMBER_NAMESPACE = 'http://ns.medbiq.org/member/v2/';

/**
 * The Member/UniqueID elements of every ActivityReport of a document. Reading stops quietly at a
 * problem: the document reader reports those.
 */
export function readMemberIdentifiers(document: string): ReportIdentifiers[] {
  const reports: ReportIdentifiers[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  const path: string[] = [];
  let current: ReportIdentifiers | null = null;
  let identifier: MemberIdentifier | null = null;
  parser.on('opentag', (tag) => {
    const name = `${tag.uri}|${tag.local}`;
    path.push(name);
    if (path.length === 2 && name === `${ACTIVITY_REPORT_NAMESPACE}|ActivityReport`) {
      current = { startLine: parser.line, endLine: parser.line, identifiers: [] };
    } else if (current && path.length === 4 && path[2] === `${ACTIVITY_REPORT_NAMESPACE}|Member` && name === `${MEMBER_NAMESPACE}|UniqueID`) {
      const domain = Object.values(tag.attributes).find((attribute) => attribute.local === 'domain' && attribute.uri === '');
      identifier = { domain: domain?.value ?? '', value: '' };
    }
  });
  parser.on('text', (text) => {
    if (identifier) identifier.value += text;
  });
  parser.on('closetag', () => {
    if (identifier && path.length === 4) {
      current?.identifiers.push({ domain: identifier.domain, value: identifier.value.trim() });
      identifier = null;
    }
    if (current && path.length === 2) {
      current.endLine = parser.line;
      reports.push(current);
      current = null;
    }
    path.pop();
  });
  try {
    parser.write(document).close();
  } catch {
    // The document reader says what is wrong with the document.
  }
  return reports;
}

/**
 * The learner's identifiers with the domains of the form above applied: an NPI, a license of the
 * state named, or a board ID of the board named. Domains of other forms keep the meaning the
 * document reader gave them.
 */
export function withIdentifierDomains(learner: MedbiqLearner, identifiers: MemberIdentifier[]): MedbiqLearner {
  const result = { ...learner };
  const authorities = new Set<string>();
  for (const { domain, value } of identifiers) {
    const match = /^idd:([^:]*):([^:]+)$/i.exec(domain.trim());
    if (!match || !value) continue;
    const authority = match[1].split('.')[0].toUpperCase();
    const kind = match[2].toUpperCase();
    if (kind === 'NPI') {
      result.npi = value;
    } else if (jurisdictionName.has(kind)) {
      result.state = kind;
      result.licenseNumber = value;
    } else if (certifyingBoardName.has(kind)) {
      result.board = kind;
      result.boardId = value;
    } else {
      continue;
    }
    authorities.add(authority);
  }
  // A board the reader took from the authority of one of these domains (ACCME from idd:accme.org:CA) is none.
  if (authorities.has(result.board) && !certifyingBoardName.has(result.board)) {
    result.board = '';
    result.boardId = '';
  }
  return result;
}
