import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import type { SaxesAttributeNS, SaxesTagNS } from 'saxes';
import type { Problem } from '../http/errors.ts';
import { UnreadableFileError } from './file-errors.ts';
import { FileLimitError, resolveLimits, tooManyRows } from './limits.ts';
import type { FileLimits, ProgressListener } from './limits.ts';
import { acceptChild, activityReportsType, checkValueForm, missingChildren, namespaces } from './medbiq-schema.ts';
import type { ElementType, SequenceState } from './medbiq-schema.ts';
import { dayOfUtcStamp } from './written-dates.ts';
import { openBytes } from './sources.ts';
import { wholeCharacters } from './text-decoding.ts';
import { refuseBinaryData } from './unread-formats.ts';
import { certifyingBoardCodes } from '../modules/reference/certifying-boards.ts';
import { jurisdictionCodes } from '../modules/reference/jurisdictions.ts';
import { quoted } from '../words.ts';
import type { FileSource } from './sources.ts';

/**
 * Streaming reader of MedBiquitous Activity Report v2 documents (the XML that PARS batch files build
 * on). Yields one learner completion per Module of each ActivityReport, with the line it starts on,
 * as the text the document holds; the hub's own rules (NPI check digits, credit types) are applied by
 * the caller. A document with a DOCTYPE is refused outright, so no entity is ever expanded or fetched.
 * Structure and value forms are checked against the schema as the document streams by: a report the
 * schema rejects comes with the reason and line, a problem outside any report stops the reading.
 */

export type MedbiqLearner = {
  firstName: string;
  middleName: string;
  lastName: string;
  /** Month and day of birth; the year a document may carry is dropped on reading. */
  birthMonth: string;
  birthDay: string;
  state: string;
  licenseNumber: string;
  npi: string;
  board: string;
  boardId: string;
};

export type MedbiqCredit = {
  /** hx:activityCertification, such as "AMA PRA Category 1 Credit" or "ABIM MOC Points". */
  certification: string;
  /** hx:creditType (CME, CE...). */
  creditType: string;
  unit: string;
  amount: string;
  creditId: string;
};

/** One Member/UniqueID as the document gives it. */
export type MedbiqIdentifier = { domain: string; value: string };

export type MedbiqLearnerReport = {
  reportingOrganization: string;
  /** Activity/ProviderOrganization: the provider's 7-digit ID in PARS files. */
  providerOrganization: string;
  activityName: string;
  /** Module/ModuleName@moduleID: the 9-digit hub activity ID, or the provider's own ID for the activity. */
  activityId: string;
  status: string;
  /** The day of Module/CompletedDateTime (`completionDayOf`). */
  completionDate: string;
  learner: MedbiqLearner;
  /** Every Member/UniqueID, for callers with their own reading of the domains. */
  identifiers: MedbiqIdentifier[];
  /** Where the license number and state were read: a LicenseInfo's, which wins, or a UniqueID's. */
  licenseFrom: 'LicenseInfo' | 'UniqueID';
  credits: MedbiqCredit[];
  /** XtensibleInfo LearnerRecordAction: "add", "delete", or '' when absent. */
  action: string;
};

export type MedbiqReportItem = {
  /** 1, 2, 3... in document order: the "row" of the receipt. */
  rowNumber: number;
  /** Line of the document where the report's Module starts. */
  line: number;
  report: MedbiqLearnerReport;
  /** Schema problems (code xml_schema) and problems reading the learner fields; empty when none. */
  problems: Problem[];
  /**
   * Fields of the learner report (`learner.birthMonth`, `credits`; `learner` for all of the learner's) that the
   * document leaves out or gives in a form the schema refuses, which `problems` already name in the document's
   * terms: a check of the report's values has nothing to add about them.
   */
  explainedFields: string[];
};

export type ReadActivityReportsOptions = {
  limits?: Partial<FileLimits>;
  /** Told how many bytes of the file have been read, as reading goes. */
  onProgress?: ProgressListener;
};

const problemsPerReport = 20;

export async function* readActivityReports(
  source: FileSource,
  options: ReadActivityReportsOptions = {},
): AsyncGenerator<MedbiqReportItem> {
  for await (const batch of readActivityReportBatches(source, options)) yield* batch;
}

/** The same items, those of each chunk of the document together: for readers of many reports. */
export async function* readActivityReportBatches(
  source: FileSource,
  options: ReadActivityReportsOptions = {},
): AsyncGenerator<MedbiqReportItem[]> {
  const limits = resolveLimits(options.limits);
  const bytes = await openBytes(source, limits.maxBytes, options.onProgress);
  const reader = new ActivityReportReader(limits);
  try {
    for await (const text of decodeXml(bytes, () => reader.line)) yield* reportsCompletedBy(reader, () => reader.write(text));
    yield* reportsCompletedBy(reader, () => reader.close());
  } finally {
    bytes.destroy();
  }
}

/**
 * The reports `step` completes, as one batch. Should it stop the reading (XML that is not well-formed, a limit), the
 * reports it completed before are handed on first, as a CSV file's rows before a line past 1 MB are.
 */
function* reportsCompletedBy(reader: ActivityReportReader, step: () => void): Generator<MedbiqReportItem[]> {
  try {
    step();
  } catch (error) {
    const before = reader.takeItems();
    if (before.length > 0) yield before;
    throw error;
  }
  const items = reader.takeItems();
  if (items.length > 0) yield items;
}

// ---------------------------------------------------------------------------------------------
// Decoding: the XML declaration names the encoding; a byte order mark overrides it.

const declaredEncodings: Record<string, string> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  'us-ascii': 'utf8',
  ascii: 'utf8',
  // Read as Windows-1252, as browsers read them (WHATWG Encoding): files so labelled are mostly written by Windows
  // programs, whose ’ and – are control characters in ISO-8859-1.
  ...Object.fromEntries(
    ['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'iso88591', 'latin1', 'l1', 'cp819', 'ibm819', 'csisolatin1', 'iso-ir-100', 'x-cp1252'].map((label) => [label, 'windows-1252']),
  ),
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-15': 'iso-8859-15',
};

const declaredAsUtf16 = new Set(['utf-16', 'utf16', 'utf-16le', 'utf-16be', 'ucs-2']);

/** `lineReached`: the line the text decoded so far ends on, for the line of bytes that cannot be decoded. */
async function* decodeXml(bytes: AsyncIterable<Buffer>, lineReached: () => number): AsyncGenerator<string> {
  let decode: ((chunk: Buffer) => string) | null = null;
  let finish: () => string = () => '';
  let previous: Buffer | null = null;
  for await (const chunk of bytes) {
    let data = chunk;
    if (!decode) {
      const chosen = chooseDecoder(chunk);
      decode = chosen.decode;
      finish = chosen.finish;
      data = chunk.subarray(chosen.bomLength);
    }
    let text: string;
    try {
      text = decode(data);
    } catch {
      const start = decodableStart(data);
      const line = lineReached() + start.split('\n').length - 1;
      const notUtf8 = new UnreadableFileError(
        `The file is read as UTF-8 (its XML declaration names no other encoding), but line ${line.toLocaleString('en-US')} has bytes that are not UTF-8: a letter saved in another encoding, such as an accented letter from Windows. Save the file as UTF-8, or name its real encoding in the XML declaration (encoding="windows-1252", say).`,
      );
      // The text before those bytes, so that the reports it holds are read; none when a character began in the piece before.
      if (start && !(previous && endsMidCharacter(previous))) yield start;
      throw notUtf8;
    }
    if (text) yield text;
    previous = data;
  }
  let tail: string;
  try {
    tail = finish();
  } catch {
    throw new UnreadableFileError(
      `The file ends on line ${lineReached().toLocaleString('en-US')} in the middle of a character: it was cut off before its end, or its last letter is not UTF-8. Send the whole file, saved as UTF-8.`,
    );
  }
  if (tail) yield tail;
}

/** The text of a piece up to its first bytes that are not UTF-8, which a lenient decoder turns into U+FFFD. */
function decodableStart(chunk: Buffer): string {
  const text = new TextDecoder('utf-8').decode(chunk);
  const undecodable = text.indexOf('\uFFFD');
  return text.slice(0, undecodable === -1 ? 0 : undecodable);
}

/** Whether the bytes end inside a UTF-8 character: its first byte is there, not all the bytes that follow it. */
function endsMidCharacter(bytes: Buffer): boolean {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back;
  }
  return false;
}

function chooseDecoder(head: Buffer): { decode: (chunk: Buffer) => string; finish: () => string; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { ...utf8Decoder(), bomLength: 3 };
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    const decoder = wholeCharacters(iconv.getDecoder(head[0] === 0xff ? 'utf16le' : 'utf16be'));
    return { decode: (chunk) => decoder.write(chunk), finish: () => decoder.end() ?? '', bomLength: 2 };
  }
  // UTF-16 without its byte order mark, told by the "<?" it starts with (XML 1.0, appendix F).
  const utf16 = head[0] === 0x3c && head[1] === 0 && head[2] === 0x3f && head[3] === 0 ? 'utf16le' : head[0] === 0 && head[1] === 0x3c && head[2] === 0 && head[3] === 0x3f ? 'utf16be' : null;
  if (utf16) {
    const decoder = wholeCharacters(iconv.getDecoder(utf16));
    return { decode: (chunk) => decoder.write(chunk), finish: () => decoder.end() ?? '', bomLength: 0 };
  }
  refuseBinaryData(head);
  const declaration = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head.toString('latin1', 0, Math.min(head.length, 300)));
  const declared = declaration ? declaration[1].toLowerCase() : 'utf-8';
  // Here the bytes are not UTF-16 (no byte order mark, no NUL beside each letter), whatever the declaration says:
  // .NET writes "utf-16" into a document serialized to a string, which is then saved as UTF-8.
  const encoding = declaredAsUtf16.has(declared) ? 'utf8' : declaredEncodings[declared];
  if (!encoding) {
    throw new UnreadableFileError(`The XML declaration names the encoding "${declaration?.[1]}", which the hub does not read. Save the file as UTF-8.`);
  }
  if (encoding === 'utf8') return { ...utf8Decoder(), bomLength: 0 };
  const decoder = iconv.getDecoder(encoding);
  return { decode: (chunk) => decoder.write(chunk), finish: () => decoder.end() ?? '', bomLength: 0 };
}

function utf8Decoder(): { decode: (chunk: Buffer) => string; finish: () => string } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return { decode: (chunk) => decoder.decode(chunk, { stream: true }), finish: () => decoder.decode() };
}

// ---------------------------------------------------------------------------------------------
// The reader

type Frame = {
  local: string;
  namespace: string;
  type: ElementType;
  state: SequenceState;
  /** Path below ActivityReport ("Member/Name/GivenName"); null outside a report. */
  path: string | null;
  line: number;
  /** Text of a value element, or of an extension element the hub reads. */
  text: string | null;
  /** Its text ran past the most one value may have: the report is rejected for it, and no more of it is kept. */
  tooLong?: boolean;
  attributes: Record<string, SaxesAttributeNS>;
};

type ModuleDraft = {
  line: number;
  /** Paths of the module's values the schema refused (and said so). */
  refused: Set<string>;
  providerOrganization: string;
  activityName: string;
  activityId: string | null;
  status: string;
  /** The Activity's Status, which stands for the module's where the module gives none. */
  activityStatus: string;
  completedDateTime: string;
  credits: MedbiqCredit[];
};

type ReportDraft = {
  line: number;
  reportingOrganization: string;
  hasMember: boolean;
  learner: MedbiqLearner;
  identifiers: MedbiqIdentifier[];
  birthAccuracy: string;
  birthDates: number;
  names: number;
  licenses: number;
  action: string;
  activity: { providerOrganization: string; activityName: string; status: string };
  modules: ModuleDraft[];
  problems: Problem[];
  /** Paths of the report's values outside a module the schema refused (and said so). */
  refused: Set<string>;
};

/** Paths whose text the reader keeps, below ActivityReport. */
const capturedPaths = new Set([
  'ReportingOrganization',
  'Member/UniqueID',
  'Member/Name/GivenName',
  'Member/Name/FamilyName',
  'Member/LicenseInfo/License/LicenseNumber',
  'Member/LicenseInfo/License/Jurisdiction/StateOrProvince',
  'Member/PersonalInfo/BirthDate',
  'Activity/ProviderOrganization',
  'Activity/ActivityName',
  'Activity/Status',
  'Activity/Module/ModuleName',
  'Activity/Module/Status',
  'Activity/Module/CompletedDateTime',
  'Activity/Module/CreditCertificate/CreditReceived/activityCertification',
  'Activity/Module/CreditCertificate/CreditReceived/creditType',
  'Activity/Module/CreditCertificate/CreditReceived/creditUnit',
  'Activity/Module/CreditCertificate/CreditReceived/numberOfCredits',
  'Activity/Module/CreditCertificate/CreditID',
]);

/** LearnerRecordAction (add or delete) may sit anywhere in the report's XtensibleInfo, in any namespace. */
function isCaptured(path: string, local: string): boolean {
  return capturedPaths.has(path) || (local === 'LearnerRecordAction' && path.startsWith('XtensibleInfo/'));
}

function emptyLearner(): MedbiqLearner {
  return { firstName: '', middleName: '', lastName: '', birthMonth: '', birthDay: '', state: '', licenseNumber: '', npi: '', board: '', boardId: '' };
}

class ActivityReportReader {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly limits: FileLimits;
  private readonly stack: Frame[] = [];
  private items: MedbiqReportItem[] = [];
  private report: ReportDraft | null = null;
  private rowNumber = 0;
  private sawRoot = false;
  /** Depth below an element whose content is not checked. */
  private uncheckedDepth = 0;

  constructor(limits: FileLimits) {
    this.limits = limits;
    this.parser.on('doctype', () => {
      throw new UnreadableFileError(
        `Line ${this.parser.line}: the document has a DOCTYPE. The hub refuses DOCTYPEs so that no entity is expanded or fetched; remove it (the schema needs none).`,
      );
    });
    this.parser.on('error', (error) => {
      // Text before any element: the file is no XML at all (a CSV file sent as XML, say), which says more than where.
      if (!this.sawRoot && /text data outside of root node/.test(error.message)) {
        throw new UnreadableFileError('The file is not XML: it does not start with an element such as <ActivityReports>. Is it a CSV or Excel file? Send it with its own format.');
      }
      // saxes says "line:column: message"; a coordinator reads "line 12, column 5: message".
      const detail = error.message.replace(/^(?:.*?:)?(\d+):(\d+): /s, 'line $1, column $2: ');
      throw new UnreadableFileError(`The file is not well-formed XML (${detail.replace(/\.$/, '')}).`);
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('text', (text) => this.text(text));
    this.parser.on('cdata', (text) => this.text(text));
    this.parser.on('closetag', () => this.close_());
  }

  write(text: string): void {
    this.parser.write(text);
  }

  /** The line the text written so far ends on. */
  get line(): number {
    return this.parser.line;
  }

  close(): void {
    this.parser.close();
    if (!this.sawRoot) throw new UnreadableFileError('The file has no XML elements.');
  }

  takeItems(): MedbiqReportItem[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  private documentProblem(message: string, line = this.parser.line): never {
    throw new UnreadableFileError(`Line ${line}: ${message}. The document does not follow the MedBiquitous Activity Report v2 schema.`);
  }

  /** `element`: the one the problem is about, so that the problems of a document are counted by element. */
  private schemaProblem(element: string, message: string, line = this.parser.line): void {
    if (!this.report) this.documentProblem(message, line);
    if (this.report.problems.length >= problemsPerReport) return;
    this.report.problems.push({ code: 'xml_schema', field: element, row: this.rowNumber + 1, message: `Line ${line}: ${message}.` });
  }

  private open(tag: SaxesTagNS): void {
    const namespace = tag.uri ?? '';
    const local = tag.local ?? tag.name;
    const line = this.parser.line;
    const parent = this.stack.at(-1);
    if (!parent) {
      this.sawRoot = true;
      if (local !== 'ActivityReports' || namespace !== namespaces.activityReport) {
        throw new UnreadableFileError(
          `This is not a MedBiquitous Activity Report v2 document: its root element is ${local}${namespace ? ` in namespace ${namespace}` : ' without a namespace'}, not ActivityReports in ${namespaces.activityReport}.`,
        );
      }
      this.push({ local, namespace, type: activityReportsType(), path: null, line, attributes: tag.attributes });
      return;
    }
    const path = parent.path === null ? (local === 'ActivityReport' ? '' : null) : parent.path ? `${parent.path}/${local}` : local;
    if (this.uncheckedDepth > 0) {
      this.uncheckedDepth += 1;
      this.push({ local, namespace, type: { kind: 'unchecked' }, path, line, attributes: tag.attributes });
      return;
    }
    let type: ElementType;
    if (parent.type.kind === 'simple') {
      this.schemaProblem(parent.local, `${parent.local} holds a value, not elements such as ${local}`);
      type = { kind: 'unchecked' };
    } else {
      const verdict = acceptChild(parent.type as ElementType & { kind: 'complex' }, parent.state, namespace, local);
      if (verdict.ok) {
        type = verdict.type;
        if (verdict.missing.length > 0) this.schemaProblem(parent.local, `${parent.local} needs ${verdict.missing.join(', ')} before ${local}`);
      } else {
        this.schemaProblem(local, verdict.message);
        type = { kind: 'unchecked' };
      }
    }
    if (type.kind === 'unchecked') this.uncheckedDepth = 1;
    if (type.kind === 'simple') this.checkAttributes(type, tag.attributes, local);
    this.push({ local, namespace, type, path, line, attributes: tag.attributes });
    if (path !== null) this.opened(path, line);
  }

  private push(frame: Omit<Frame, 'state' | 'text'>): void {
    const keep = frame.type.kind === 'simple' || (frame.path !== null && isCaptured(frame.path, frame.local));
    this.stack.push({ ...frame, state: { particle: 0, count: 0 }, text: keep ? '' : null });
  }

  private checkAttributes(type: ElementType & { kind: 'simple' }, attributes: Record<string, SaxesAttributeNS>, local: string): void {
    for (const rule of type.attributes ?? []) {
      const attribute = unprefixedAttribute(attributes, rule.name);
      if (!attribute) {
        if (rule.required) this.schemaProblem(local, `${local} needs a ${rule.name} attribute`);
        continue;
      }
      const formProblem = rule.form ? checkValueForm(attribute.value, rule.form) : null;
      if (formProblem) this.schemaProblem(local, `the ${rule.name} attribute of ${local} must be ${formProblem}, not "${attribute.value}"`);
      if (rule.pattern && !rule.pattern.test(attribute.value)) {
        this.schemaProblem(local, `the ${rule.name} attribute of ${local} must have the form ${rule.patternText}, not "${attribute.value}"`);
      }
    }
  }

  private text(text: string): void {
    const frame = this.stack.at(-1);
    if (!frame) return;
    if (frame.text !== null) {
      if (frame.tooLong) return;
      frame.text += text;
      if (frame.text.length > this.limits.maxRecordBytes) {
        const tooLong = `the value of ${frame.local} is longer than ${this.limits.maxRecordBytes.toLocaleString('en-US')} characters, the most one value may have`;
        // Outside a report (the document's header) it stops the document; in a report, only that report is rejected.
        if (!this.report) throw new FileLimitError('record_bytes', `Line ${frame.line}: ${tooLong}.`);
        frame.text = '';
        frame.tooLong = true;
        this.schemaProblem(frame.local, `${tooLong}; shorten it`, frame.line);
      }
    } else if (frame.type.kind === 'complex' && this.uncheckedDepth === 0 && text.trim() !== '') {
      this.schemaProblem(frame.local, `${frame.local} holds elements, not text`);
    }
  }

  private close_(): void {
    const frame = this.stack.pop();
    if (!frame) return;
    if (this.uncheckedDepth > 0) this.uncheckedDepth -= 1;
    if (frame.type.kind === 'complex' && this.uncheckedDepth === 0) {
      const missing = missingChildren(frame.type, frame.state);
      if (missing.length > 0) this.schemaProblem(frame.local, `${frame.local} is missing ${missing.join(', ')}`, frame.line);
    }
    const formProblem = frame.type.kind === 'simple' && frame.text !== null && !frame.tooLong ? checkValueForm(frame.text, frame.type.form) : null;
    if (formProblem) this.schemaProblem(frame.local, `${frame.local} must be ${formProblem}, not ${quoted((frame.text ?? '').trim())}`, frame.line);
    if (frame.path !== null) this.closed(frame, formProblem !== null || frame.tooLong === true);
  }

  // -------------------------------------------------------------------------------------------
  // Collecting the learner fields

  private opened(path: string, line: number): void {
    if (path === '') {
      this.report = {
        line,
        reportingOrganization: '',
        hasMember: false,
        learner: emptyLearner(),
        identifiers: [],
        birthAccuracy: '',
        birthDates: 0,
        names: 0,
        licenses: 0,
        action: '',
        activity: { providerOrganization: '', activityName: '', status: '' },
        modules: [],
        problems: [],
        refused: new Set(),
      };
      return;
    }
    const report = this.report;
    if (!report) return;
    switch (path) {
      case 'Member':
        report.hasMember = true;
        break;
      case 'Member/Name':
        report.names += 1;
        break;
      case 'Member/LicenseInfo/License':
        report.licenses += 1;
        break;
      case 'Activity':
        report.activity = { providerOrganization: '', activityName: '', status: '' };
        break;
      case 'Activity/Module':
        report.modules.push({
          line,
          refused: new Set(),
          providerOrganization: report.activity.providerOrganization,
          activityName: report.activity.activityName,
          activityId: null,
          status: '',
          activityStatus: report.activity.status,
          completedDateTime: '',
          credits: [],
        });
        break;
      case 'Activity/Module/CreditCertificate':
        report.modules.at(-1)?.credits.push({ certification: '', creditType: '', unit: '', amount: '', creditId: '' });
        break;
    }
  }

  private closed(frame: Frame, refused: boolean): void {
    const report = this.report;
    if (!report || frame.path === null) return;
    if (frame.path === '') {
      this.finishReport(report);
      this.report = null;
      return;
    }
    if (frame.text === null) return;
    const value = frame.text.trim();
    if (refused) (frame.path.startsWith('Activity/Module/') ? report.modules.at(-1)?.refused : report.refused)?.add(frame.path);
    if (frame.local === 'LearnerRecordAction' && frame.path.startsWith('XtensibleInfo/')) {
      report.action = value;
      return;
    }
    const learner = report.learner;
    const module = report.modules.at(-1);
    const credit = module?.credits.at(-1);
    switch (frame.path) {
      case 'ReportingOrganization':
        report.reportingOrganization = value;
        break;
      case 'Member/UniqueID': {
        const domain = attributeValue(frame, 'domain');
        report.identifiers.push({ domain, value });
        assignIdentifier(learner, domain, value);
        break;
      }
      case 'Member/Name/GivenName': {
        if (report.names !== 1) break;
        const name = oneLine(value);
        if (!learner.firstName) learner.firstName = name;
        else learner.middleName = learner.middleName ? `${learner.middleName} ${name}` : name;
        break;
      }
      case 'Member/Name/FamilyName':
        // The schema allows several, as a Spanish name has two ("García" "Márquez"): the last name is all of them.
        if (report.names === 1) learner.lastName = learner.lastName ? `${learner.lastName} ${oneLine(value)}` : oneLine(value);
        break;
      case 'Member/LicenseInfo/License/LicenseNumber':
        if (report.licenses === 1) learner.licenseNumber = value;
        break;
      case 'Member/LicenseInfo/License/Jurisdiction/StateOrProvince':
        if (report.licenses === 1) learner.state = value;
        break;
      case 'Member/PersonalInfo/BirthDate': {
        report.birthDates += 1;
        if (report.birthDates > 1) break;
        // The year is never kept: only month and day leave this function.
        const match = /^-?\d{4,}-(\d{2})-(\d{2})/.exec(value);
        if (match) {
          learner.birthMonth = String(Number(match[1]));
          learner.birthDay = String(Number(match[2]));
        }
        report.birthAccuracy = attributeValue(frame, 'accuracy');
        break;
      }
      case 'Activity/ProviderOrganization':
        report.activity.providerOrganization = value;
        break;
      case 'Activity/ActivityName':
        report.activity.activityName = value;
        break;
      case 'Activity/Status':
        // A refused status has been said; the Module's, where it has one, is still read.
        if (!refused) report.activity.status = value;
        break;
      case 'Activity/Module/ModuleName':
        if (module) module.activityId = attributeValue(frame, 'moduleID');
        break;
      case 'Activity/Module/Status':
        if (module) module.status = value;
        break;
      case 'Activity/Module/CompletedDateTime':
        if (module) module.completedDateTime = value;
        break;
      case 'Activity/Module/CreditCertificate/CreditReceived/activityCertification':
        if (credit) credit.certification = value;
        break;
      case 'Activity/Module/CreditCertificate/CreditReceived/creditType':
        if (credit) credit.creditType = value;
        break;
      case 'Activity/Module/CreditCertificate/CreditReceived/creditUnit':
        if (credit) credit.unit = value;
        break;
      case 'Activity/Module/CreditCertificate/CreditReceived/numberOfCredits':
        if (credit) credit.amount = value;
        break;
      case 'Activity/Module/CreditCertificate/CreditID':
        if (credit) credit.creditId = value;
        break;
    }
  }

  /** Every module of a report is one completion; modules that came before the Activity closed are kept. */
  private finishReport(report: ReportDraft): void {
    const modules: (ModuleDraft | null)[] = report.modules.length > 0 ? report.modules : [null];
    for (const module of modules) {
      this.rowNumber += 1;
      if (this.rowNumber > this.limits.maxRows) throw tooManyRows(this.limits.maxRows);
      const rowNumber = this.rowNumber;
      const problems: Problem[] = report.problems.map((problem) => ({ ...problem, row: rowNumber }));
      const learner = learnerProblems(report, module, rowNumber);
      problems.push(...learner.problems);
      this.items.push({
        rowNumber,
        line: module?.line ?? report.line,
        report: {
          reportingOrganization: report.reportingOrganization,
          providerOrganization: module?.providerOrganization ?? '',
          activityName: module?.activityName ?? '',
          activityId: module?.activityId ?? '',
          status: module ? module.status || module.activityStatus : '',
          completionDate: module ? completionDayOf(module.completedDateTime.trim()) : '',
          learner: { ...report.learner },
          identifiers: report.identifiers,
          licenseFrom: report.licenses > 0 ? 'LicenseInfo' : 'UniqueID',
          credits: module?.credits ?? [],
          action: report.action,
        },
        problems,
        explainedFields: [...new Set(learner.explainedFields)],
      });
    }
  }
}

const birthFields = ['learner.birthMonth', 'learner.birthDay'];

/** The report fields each value of the document feeds, other than the birth date's (`birthFields`). */
const refusedValueFields: readonly (readonly [string, readonly string[]])[] = [
  ['Member/Name/GivenName', ['learner.firstName']],
  ['Member/Name/FamilyName', ['learner.lastName']],
  ['Member/UniqueID', ['learner.npi', 'learner.licenseNumber', 'learner.state', 'learner.board', 'learner.boardId']],
  ['Member/LicenseInfo/License/LicenseNumber', ['learner.licenseNumber']],
  ['Member/LicenseInfo/License/Jurisdiction/StateOrProvince', ['learner.state']],
  ['Activity/Module/ModuleName', ['activityId']],
  ['Activity/Module/CompletedDateTime', ['completionDate']],
  ['Activity/Module/CreditCertificate/CreditReceived/numberOfCredits', ['credits']],
  ['Activity/Module/CreditCertificate/CreditID', ['creditId']],
];

/**
 * The learner fields the hub needs, beyond what the schema itself requires, each said once in the document's
 * terms (the element to add); and the report fields that are thereby explained, the schema's problems included.
 */
function learnerProblems(report: ReportDraft, module: ModuleDraft | null, row: number): { problems: Problem[]; explainedFields: string[] } {
  const problems: Problem[] = [];
  const explainedFields: string[] = [];
  const add = (code: string, field: string, message: string, explains: readonly string[] = [field]) => {
    problems.push({ code, field, row, message: `Line ${module?.line ?? report.line}: ${message}` });
    explainedFields.push(...explains);
  };
  if (!report.hasMember) {
    add('no_learner', 'learner', 'the report has no Member with the learner\'s name and identifiers; a Participants list alone cannot credit a physician.');
  } else {
    if (report.names === 0) {
      add('no_name', 'learner', 'the Member has no Name; add <Name> with the learner\'s GivenName and FamilyName, as on the license.', ['learner.firstName', 'learner.lastName']);
    }
    if (report.birthDates === 0) {
      add(
        'no_birth_date',
        'learner.birthMonth',
        'the Member has no BirthDate; add <PersonalInfo><BirthDate accuracy="DayMonth">1900-MM-DD</BirthDate></PersonalInfo> with the learner\'s birth month and day (any year: only the month and day are kept).',
        birthFields,
      );
    } else if (report.refused.has('Member/PersonalInfo/BirthDate')) {
      explainedFields.push(...birthFields);
    }
  }
  // A value the schema refused (or one far too long) has been said already: what it feeds is not said again.
  for (const [path, fields] of refusedValueFields) {
    if (report.refused.has(path) || module?.refused.has(path)) explainedFields.push(...fields);
  }
  if (report.birthAccuracy && !['DayMonth', 'DayMonthYear'].includes(report.birthAccuracy)) {
    add('birth_date_incomplete', 'learner.birthMonth', `BirthDate has accuracy "${report.birthAccuracy}", which leaves out the day; send the month and day (accuracy="DayMonth").`, birthFields);
  }
  // The schema has said that the report has no Module: what a module gives is missing with it.
  if (!module) return { problems, explainedFields: [...explainedFields, 'activityId', 'completionDate', 'credits'] };
  if (module.activityId === null || module.activityId === '') {
    add('no_activity_id', 'activityId', 'ModuleName has no moduleID attribute; put the 9-digit hub activity ID, or your own ID for the activity, there.');
  }
  // A status outside the schema's list has been refused by the schema already. The Activity's Status (which the
  // schema places before its modules) says whether the learner completed it where the Module does not say.
  if (module.status && module.status.trim() !== 'Completed' && !module.refused.has('Activity/Module/Status')) {
    add('not_completed', 'status', `Module Status is ${quoted(module.status.trim())}; only completed modules are reported.`);
  } else if (!module.status && module.activityStatus && module.activityStatus.trim() !== 'Completed') {
    add(
      'not_completed',
      'status',
      `Activity Status is ${quoted(module.activityStatus.trim())} and the Module gives no Status of its own; only completed activities are reported.`,
    );
  }
  if (!module.completedDateTime) {
    add('no_completion_date', 'completionDate', 'the Module has no CompletedDateTime.');
  } else if (module.refused.has('Activity/Module/CompletedDateTime')) {
    explainedFields.push('completionDate');
  }
  if (module.credits.length === 0) {
    add('no_credits', 'credits', 'the Module has no CreditCertificate with the credits earned.');
  }
  for (const credit of module.credits) {
    const amount = Number(credit.amount);
    if (credit.amount === '') {
      add('no_credit_amount', 'credits', 'a CreditReceived has no numberOfCredits.');
    } else if (!Number.isFinite(amount)) {
      // Not a number: the schema has refused it as no decimal.
      explainedFields.push('credits');
    } else if (Math.round(amount * 4) !== amount * 4) {
      add('invalid_credit_amount', 'credits', `numberOfCredits ${credit.amount} is not a multiple of 0.25.`);
    }
  }
  return { problems, explainedFields };
}

/** The day of a CompletedDateTime: its date as written, or, for a time stamped in UTC, its day in the hub's time zone (`dayOfUtcStamp`). */
function completionDayOf(completedDateTime: string): string {
  return dayOfUtcStamp(completedDateTime) ?? completedDateTime.slice(0, 10);
}

/** The attribute of that name without a prefix (attributes take no default namespace), as saxes keys it. */
function unprefixedAttribute(attributes: Record<string, SaxesAttributeNS>, name: string): SaxesAttributeNS | undefined {
  const attribute = attributes[name];
  return attribute !== undefined && attribute.uri === '' ? attribute : undefined;
}

/** A name written over lines, as a document wrapped at its width has it ("de la\n   Cruz"): its words, a space apart. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ');
}

function attributeValue(frame: Frame, name: string): string {
  return unprefixedAttribute(frame.attributes, name)?.value ?? '';
}

/**
 * Member/UniqueID domains name the kind of identifier: idd:<organization>:<kind>. Read as
 * - an NPI when either part mentions it (idd:nppes.cms.hhs.gov:npi, idd:accme.org:NPI);
 * - a certifying board's ID when the organization is the board (idd:abim.org:id -> ABIM) or the kind names
 *   it (idd:accme.org:ABIM);
 * - a license of a state when the kind is the state's code (idd:accme.org:CA), or when the kind is "license"
 *   and the organization starts with the state code (idd:ca.gov:license).
 * Any other domain is not read: a provider's own learner ID (idd:demo-academy.org:id, which is no Idaho license),
 * the AMA's ME number (idd:ama-assn.org:ME, no Maine license). The first identifier of each kind counts.
 */
export function assignIdentifier(learner: MedbiqLearner, domain: string, value: string): void {
  const match = /^idd:([^:]*):(.*)$/i.exec(domain.trim());
  if (!match || !value) return;
  const organization = match[1].toLowerCase();
  const kind = match[2].trim();
  const organizationHead = organization.split('.')[0].toUpperCase();
  if (/npi/i.test(kind) || organization.includes('npi') || organization.includes('nppes')) {
    learner.npi ||= value;
    return;
  }
  const board = [organizationHead, kind.toUpperCase()].find((code) => boardCodes.has(code));
  if (board) {
    if (!learner.boardId) Object.assign(learner, { board, boardId: value });
    return;
  }
  const state = licenseStateOf(organization, kind);
  if (state && !learner.licenseNumber) Object.assign(learner, { state, licenseNumber: value });
}

const boardCodes: ReadonlySet<string> = new Set(certifyingBoardCodes);
const stateCodes: ReadonlySet<string> = new Set(jurisdictionCodes);
/** Organizations whose two-letter kinds are no state: the AMA's ME is its Medical Education number. */
const notLicensing = new Set(['ama-assn.org']);

/** The state of a license identifier's domain, if it is one; "id" in small letters is an ID, not Idaho. */
function licenseStateOf(organization: string, kind: string): string | null {
  if (notLicensing.has(organization) || kind === 'id' || kind === 'Id') return null;
  if (stateCodes.has(kind.toUpperCase())) return kind.toUpperCase();
  const head = organization.split('.')[0].toUpperCase();
  return /^licen[cs]e/i.test(kind) && stateCodes.has(head) ? head : null;
}

