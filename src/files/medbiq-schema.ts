/**
 * The part of the MedBiquitous Activity Report v2 schema (activityreport.xsd and the member, name and
 * healthcare LOM schemas it imports) that a streaming reader can check as it goes: which elements may
 * appear where, in which order, how often, and the form of the values the hub reads. Elements the hub
 * does not read are allowed where the schema allows them, and their insides are not checked.
 * Source: /shared/reference/medbiq (MedBiquitous Consortium).
 */

export const namespaces = {
  activityReport: 'http://ns.medbiq.org/activityreport/v2/',
  member: 'http://ns.medbiq.org/member/v2/',
  name: 'http://ns.medbiq.org/name/v2/',
  healthcareLom: 'http://ns.medbiq.org/lom/extend/v1/',
} as const;

export type ValueForm =
  | { kind: 'string' }
  | { kind: 'nonNull' }
  | { kind: 'date' }
  | { kind: 'dateTime' }
  | { kind: 'decimal' }
  | { kind: 'boolean' }
  | { kind: 'enumeration'; values: readonly string[] };

export type AttributeRule = { name: string; required?: boolean; form?: ValueForm; pattern?: RegExp; patternText?: string };

export type ElementType =
  | { kind: 'complex'; name: string; sequence: Particle[]; attributes?: AttributeRule[] }
  | { kind: 'simple'; name: string; form: ValueForm; attributes?: AttributeRule[] }
  /** Allowed here; its content is not checked because the hub does not read it. */
  | { kind: 'unchecked' };

export type ElementParticle = { kind: 'element'; namespace: string; local: string; type: () => ElementType; min: number; max: number };
/** xsd:any namespace="##other": an element of any namespace but that of the schema it stands in (and not unqualified). */
export type AnyOtherParticle = { kind: 'anyOther'; otherThan: string; min: number; max: number };
/** xsd:choice: one of several elements, repeated up to `max` times in all. */
export type ChoiceParticle = { kind: 'choice'; choice: ElementParticle[]; min: number; max: number };
export type Particle = ElementParticle | AnyOtherParticle | ChoiceParticle;

const unbounded = Number.POSITIVE_INFINITY;

/** Each element type is built once, on first use: a document has millions of elements, the schema a few dozen types. */
function once(build: () => ElementType): () => ElementType {
  let built: ElementType | null = null;
  return () => (built ??= build());
}

const unchecked = once(() => ({ kind: 'unchecked' }));

const forms = {
  string: { kind: 'string' },
  nonNull: { kind: 'nonNull' },
  date: { kind: 'date' },
  dateTime: { kind: 'dateTime' },
  decimal: { kind: 'decimal' },
  boolean: { kind: 'boolean' },
} as const satisfies Record<string, ValueForm>;

const simple = (name: string, form: ValueForm, attributes?: AttributeRule[]) => once(() => ({ kind: 'simple', name, form, attributes }));

function element(namespace: string, local: string, type: () => ElementType, min = 1, max = 1): ElementParticle {
  return { kind: 'element', namespace, local, type, min, max };
}
const ar = (local: string, type: () => ElementType, min = 1, max = 1) => element(namespaces.activityReport, local, type, min, max);
const m = (local: string, type: () => ElementType, min = 0, max = unbounded) => element(namespaces.member, local, type, min, max);
const n = (local: string, type: () => ElementType, min = 0, max = unbounded) => element(namespaces.name, local, type, min, max);
const hx = (local: string, type: () => ElementType, min = 0, max = 1) => element(namespaces.healthcareLom, local, type, min, max);
const anyOtherThan = (namespace: string): AnyOtherParticle => ({ kind: 'anyOther', otherThan: namespace, min: 0, max: unbounded });
const anyOther = anyOtherThan(namespaces.activityReport);

const statusForm: ValueForm = { kind: 'enumeration', values: ['Registered', 'Completed', 'Expired'] };
const creditTypeForm: ValueForm = { kind: 'enumeration', values: ['CME', 'CE', 'CNE', 'CPE', 'CHES', 'CPD'] };
const creditUnitForm: ValueForm = {
  kind: 'enumeration',
  values: ['CECH', 'CEH', 'CEU', 'Cognate', 'Contact Hour', 'Credit', 'Hour', 'Unit', 'Credit Hour', 'Point'],
};
const accuracyForm: ValueForm = { kind: 'enumeration', values: ['DayMonth', 'DayMonthYear', 'MonthYear', 'Year'] };
const licenseNumberAvailabilityForm: ValueForm = { kind: 'enumeration', values: ['Available', 'Confidential', 'Unknown'] };

const memberIdDomain: AttributeRule = {
  name: 'domain',
  required: true,
  pattern: /^idd:\S*\.\S*:\S*$/,
  patternText: 'idd:<organization domain>:<kind of ID>, for example idd:nppes.cms.hhs.gov:npi',
};

export const activityReportsType = once(() => ({
  kind: 'complex',
  name: 'ActivityReports',
  sequence: [
    ar('DateTimeCreated', simple('DateTimeCreated', forms.dateTime)),
    ar('ReportingStartDate', simple('ReportingStartDate', forms.date)),
    ar('ReportingEndDate', simple('ReportingEndDate', forms.date)),
    ar('ActivityReport', activityReportType, 1, unbounded),
    anyOther,
  ],
}));

export const activityReportType = once(() => ({
  kind: 'complex',
  name: 'ActivityReport',
  sequence: [
    ar('ReportingOrganization', simple('ReportingOrganization', forms.nonNull)),
    { kind: 'choice', choice: [ar('Member', memberType), ar('Participants', unchecked)], min: 1, max: 2 },
    ar('Activity', activityType, 1, unbounded),
    ar('XtensibleInfo', xtensibleInfoType, 0),
    anyOther,
  ],
}));

const activityType = once(() => ({
  kind: 'complex',
  name: 'Activity',
  sequence: [
    ar('ProviderOrganization', simple('ProviderOrganization', forms.nonNull)),
    ar('ActivityName', simple('ActivityName', forms.nonNull)),
    ar('ActivityInstanceID', unchecked, 0),
    ar('Status', simple('Status', statusForm), 0),
    ar('LaunchDetails', unchecked, 0),
    ar('CommercialSupporter', unchecked, 0),
    ar('RegulatoryInformation', unchecked, 0),
    ar('Module', moduleType, 1, unbounded),
    ar('PointOfCareLearningData', unchecked, 0),
    ar('Results', simple('Results', forms.nonNull), 0),
    anyOther,
  ],
}));

const moduleType = once(() => ({
  kind: 'complex',
  name: 'Module',
  sequence: [
    ar('ModuleName', simple('ModuleName', forms.nonNull, [{ name: 'moduleID' }])),
    ar('Metadata', unchecked, 0),
    ar('Status', simple('Status', statusForm), 0),
    ar('StartDateTime', simple('StartDateTime', forms.dateTime), 0),
    ar('EndDateTime', simple('EndDateTime', forms.dateTime), 0),
    ar('DueDateTime', simple('DueDateTime', forms.dateTime), 0),
    ar('RegisteredDateTime', simple('RegisteredDateTime', forms.dateTime), 0),
    ar('CompletedDateTime', simple('CompletedDateTime', forms.dateTime), 0),
    ar('ExpiredDateTime', simple('ExpiredDateTime', forms.dateTime), 0),
    ar('TimeEngaged', unchecked, 0),
    ar('Results', simple('Results', forms.nonNull), 0),
    ar('CreditCertificate', creditCertificateType, 0, unbounded),
    anyOther,
  ],
}));

const creditCertificateType = once(() => ({
  kind: 'complex',
  name: 'CreditCertificate',
  sequence: [ar('CreditReceived', creditReceivedType), ar('CreditID', simple('CreditID', forms.string))],
}));

const creditReceivedType = once(() => ({
  kind: 'complex',
  name: 'CreditReceived',
  sequence: [
    hx('accreditingBody', unchecked),
    hx('activityCertification', simple('activityCertification', forms.string)),
    hx('creditType', simple('creditType', creditTypeForm)),
    hx('creditUnit', simple('creditUnit', creditUnitForm)),
    hx('pacing', unchecked),
    hx('accreditedProvider', unchecked),
    hx('nonAccreditedProvider', unchecked, 0, unbounded),
    hx('releaseDate', simple('releaseDate', forms.date)),
    hx('expirationDate', simple('expirationDate', forms.date)),
    hx('numberOfCredits', simple('numberOfCredits', forms.decimal)),
    ar('CreditFocus', unchecked, 0, unbounded),
  ],
}));

const xtensibleInfoType = once(() => ({ kind: 'complex', name: 'XtensibleInfo', sequence: [anyOther] }));

const memberType = once(() => ({
  kind: 'complex',
  name: 'Member',
  sequence: [
    m('UniqueID', simple('UniqueID', forms.nonNull, [memberIdDomain])),
    m('Name', nameType),
    m('Address', unchecked),
    m('EducationInfo', unchecked),
    m('CertificationInfo', unchecked),
    m('LicenseInfo', licenseInfoType, 0, 1),
    m('DisciplinaryInfo', unchecked, 0, 1),
    m('ClinicalStatus', unchecked),
    m('OccupationInfo', unchecked),
    m('PersonalInfo', personalInfoType, 0, 1),
    m('MembershipInfo', unchecked),
    m('Attachment', unchecked),
    m('ModifiedDate', unchecked, 0, 1),
    m('XtensibleInfo', unchecked, 0, 1),
    anyOtherThan(namespaces.member),
  ],
}));

const nameString = (local: string) => simple(local, forms.nonNull);

const nameType = once(() => ({
  kind: 'complex',
  name: 'Name',
  sequence: [
    n('FormattedName', nameString('FormattedName'), 0, 1),
    n('Title', nameString('Title'), 0, 1),
    n('GivenName', nameString('GivenName')),
    n('FamilyName', nameString('FamilyName')),
    n('GenerationIdentifier', nameString('GenerationIdentifier'), 0, 1),
    n('Degree', nameString('Degree')),
    n('Alias', unchecked),
    n('FormerName', unchecked),
  ],
}));

const licenseInfoType = once(() => ({
  kind: 'complex',
  name: 'LicenseInfo',
  sequence: [m('License', licenseType, 1)],
}));

const licenseType = once(() => ({
  kind: 'complex',
  name: 'License',
  sequence: [
    m('LicensureEntity', unchecked, 1, 1),
    m('LicenseNumberAvailability', simple('LicenseNumberAvailability', licenseNumberAvailabilityForm), 1, 1),
    m('LicenseNumber', simple('LicenseNumber', forms.nonNull), 0, 1),
    m('LicenseCategory', unchecked, 0, 1),
    m('Profession', unchecked, 0, 1),
    m('Jurisdiction', jurisdictionType, 0, 1),
    m('InitialLicensureDate', unchecked, 0, 1),
    m('LicenseStatus', unchecked, 0, 1),
    m('LicenseExpirationDate', unchecked, 0, 1),
    m('Attachment', unchecked),
    m('LicenseNotices', unchecked, 0, 1),
  ],
}));

const jurisdictionType = once(() => ({
  kind: 'complex',
  name: 'Jurisdiction',
  sequence: [m('Country', unchecked, 1, 1), m('StateOrProvince', simple('StateOrProvince', forms.nonNull), 0, 1)],
}));

const personalInfoType = once(() => ({
  kind: 'complex',
  name: 'PersonalInfo',
  sequence: [
    m('PhysicalStatus', unchecked),
    m('BirthDate', simple('BirthDate', forms.date, [{ name: 'accuracy', form: accuracyForm }])),
    ...[
      'DeceasedDate',
      'Language',
      'Citizenship',
      'CountryOfResidence',
      'CountryOfBirth',
      'Gender',
      'Race',
      'Ethnicity',
      'ContactNumber',
      'EmailAddress',
      'URL',
      'NationalID',
      'FamilyMember',
      'PreferredMethodOfContact',
    ].map((local) => m(local, unchecked)),
  ],
}));

// ---------------------------------------------------------------------------------------------
// Value forms, as XML Schema defines them (whitespace collapsed for the non-string types).

const datePattern = /^-?\d{4,}-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const dateTimePattern = /^-?\d{4,}-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const decimalPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function validMonthDay(month: string, day: string): boolean {
  const monthNumber = Number(month);
  const dayNumber = Number(day);
  return monthNumber >= 1 && monthNumber <= 12 && dayNumber >= 1 && dayNumber <= 31;
}

/** Null when the value has the form; otherwise what the form is, in words. */
export function checkValueForm(value: string, form: ValueForm): string | null {
  const collapsed = value.trim();
  switch (form.kind) {
    case 'string':
      return null;
    case 'nonNull':
      return value.length > 0 ? null : 'a value that is not empty';
    case 'date': {
      const match = datePattern.exec(collapsed);
      return match && validMonthDay(match[1], match[2]) ? null : 'a date as YYYY-MM-DD';
    }
    case 'dateTime': {
      const match = dateTimePattern.exec(collapsed);
      return match && validMonthDay(match[1], match[2]) && Number(match[3]) <= 24 && Number(match[4]) < 60
        ? null
        : 'a date and time as YYYY-MM-DDThh:mm:ss';
    }
    case 'decimal':
      return decimalPattern.test(collapsed) ? null : 'a decimal number such as 1.25';
    case 'boolean':
      return ['true', 'false', '1', '0'].includes(collapsed) ? null : 'true or false';
    case 'enumeration':
      return form.values.includes(collapsed) ? null : `one of ${form.values.map((choice) => `"${choice}"`).join(', ')}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Content models: which child may come next.

/** Where a complex element is in its sequence. */
export type SequenceState = { particle: number; count: number };

/**
 * `missing` names required elements that should have come before this one: the child is still taken
 * where it fits, so that one omission is reported once instead of spoiling the rest of the element.
 */
export type ChildVerdict = { ok: true; type: ElementType; missing: readonly string[] } | { ok: false; message: string };

function describe(particle: Particle): string {
  if (particle.kind === 'anyOther') return 'an extension element';
  if (particle.kind === 'choice') return particle.choice.map((choice) => choice.local).join(' or ');
  return particle.local;
}

function matches(particle: Particle, namespace: string, local: string): ElementParticle | AnyOtherParticle | null {
  if (particle.kind === 'element') return particle.local === local && particle.namespace === namespace ? particle : null;
  if (particle.kind === 'anyOther') return namespace !== '' && namespace !== particle.otherThan ? particle : null;
  for (const choice of particle.choice) if (choice.local === local && choice.namespace === namespace) return choice;
  return null;
}

const noneMissing: readonly string[] = [];

/** Moves the sequence on to accept a child element, or says why the schema does not allow it here. */
export function acceptChild(type: ElementType & { kind: 'complex' }, state: SequenceState, namespace: string, local: string): ChildVerdict {
  let missing: string[] | null = null;
  for (let index = state.particle; index < type.sequence.length; index++) {
    const particle = type.sequence[index];
    const count = index === state.particle ? state.count : 0;
    const match = matches(particle, namespace, local);
    if (match && count < particle.max) {
      state.particle = index;
      state.count = count + 1;
      return { ok: true, type: match.kind === 'anyOther' ? unchecked() : match.type(), missing: missing ?? noneMissing };
    }
    if (count < particle.min) (missing ??= []).push(describe(particle));
  }
  return { ok: false, message: `${local} is not allowed at this place in ${type.name}` };
}

/** At the end of a complex element: the names of required children that never came. */
export function missingChildren(type: ElementType & { kind: 'complex' }, state: SequenceState): readonly string[] {
  let missing: string[] | null = null;
  for (let index = state.particle; index < type.sequence.length; index++) {
    const particle = type.sequence[index];
    const count = index === state.particle ? state.count : 0;
    if (count < particle.min) (missing ??= []).push(describe(particle));
  }
  return missing ?? noneMissing;
}
