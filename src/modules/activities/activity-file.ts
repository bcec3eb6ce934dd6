// The activity batch file: its columns, how a row becomes an activity request, and the template.
// A row sets only the columns the file has; a blank cell in a column the file has clears that value.

import type { ColumnSpec } from '../../files/columns.ts';
import type { Problem } from '../../http/errors.ts';
import { tableDownload } from '../../files/tabular-writer.ts';
import type { FileDownload, OutputColumn } from '../../files/tabular-writer.ts';
import { calendarDate, completionDateMessage } from '../../files/written-dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { ActivityRequest } from './activities.service.ts';
import { isIsoDate } from './dates.ts';
import { AMA_PRA_CAT1, MOC_BOARD_CODES, MOC_CREDIT_KINDS, OTHER_CREDIT_TYPES } from './credit-types.ts';
import type { MocBoard } from './credit-types.ts';
import { ACTIVITY_STATUSES } from './lifecycle.ts';
import {
  ACTIVITY_TYPES,
  CATALOG_FEES,
  CATALOG_REGISTRATIONS,
  DELIVERY_METHODS,
  OUTCOMES,
  PROVIDERSHIPS,
  REMS_PROGRAMS,
  TOPICS,
} from './vocabulary.ts';
import type { Outcome } from './vocabulary.ts';

export type FileColumn = ColumnSpec & {
  /** What to write, shown in the template's help sheet and as the cell prompt. */
  help: string;
  /** The values a drop-down in the XLSX template offers. */
  choices?: readonly string[];
};

const YES_NO = ['yes', 'no'] as const;
const MEASURED = ['objective', 'subjective', 'both'] as const;
const codes = (vocabulary: Record<string, string>) => Object.keys(vocabulary);
const described = (vocabulary: Record<string, string>) =>
  Object.entries(vocabulary)
    .map(([code, label]) => `${code} (${label})`)
    .join(', ');

export function creditColumnName(creditType: string): string {
  return creditType === AMA_PRA_CAT1 ? 'ama_pra_cat1_credits' : `${creditType.toLowerCase()}_credits`;
}
const mocColumnName = (board: MocBoard, part: 'points' | 'credit_types' | 'claim_date') => `moc_${board.toLowerCase()}_${part}`;
const outcomeColumnName = (outcome: Outcome) => `outcome_${outcome}`;

export const ACTIVITY_FILE_COLUMNS: readonly FileColumn[] = [
  {
    name: 'provider_activity_id',
    label: 'Provider activity ID',
    synonyms: ['Your activity ID', 'Provider activity identifier'],
    required: true,
    help: 'Your own ID for the activity, unique within your organization. A row with an ID the hub already has updates that activity.',
  },
  { name: 'title', label: 'Title', synonyms: ['Activity title', 'Activity name'], help: 'Up to 500 characters.' },
  { name: 'description', label: 'Description', help: 'Up to 2,500 characters.' },
  {
    name: 'type',
    label: 'Activity type',
    synonyms: ['Type', 'Activity format', 'Format'],
    help: `One of ${described(ACTIVITY_TYPES)}.`,
    choices: codes(ACTIVITY_TYPES),
  },
  {
    name: 'delivery_method',
    label: 'Delivery method',
    synonyms: ['Delivery'],
    help: `One of ${codes(DELIVERY_METHODS).join(', ')}. Required for C and RSS.`,
    choices: codes(DELIVERY_METHODS),
  },
  { name: 'start_date', label: 'Start date', synonyms: ['Activity start date', 'Start'], help: 'YYYY-MM-DD (or M/D/YYYY; D/M/YYYY when the upload says its dates are day first).' },
  { name: 'end_date', label: 'End date', synonyms: ['Activity end date', 'End'], help: 'YYYY-MM-DD (or M/D/YYYY; D/M/YYYY when the upload says its dates are day first), not before the start date.' },
  { name: 'city', label: 'City', help: 'Required for an in-person C or RSS.' },
  {
    name: 'state',
    label: 'State',
    synonyms: ['State or province', 'Province'],
    help: '2-letter code, such as CA; required for a location in the USA.',
  },
  { name: 'country', label: 'Country', help: '3-letter ISO code, such as USA or CAN (or the name, such as Canada); required for an in-person C or RSS.' },
  {
    name: 'providership',
    label: 'Providership',
    synonyms: ['Sponsorship', 'Activity sponsorship'],
    help: 'direct or joint; blank means direct.',
    choices: codes(PROVIDERSHIPS),
  },
  {
    name: 'joint_providers',
    label: 'Joint providers',
    synonyms: ['Joint provider names'],
    help: 'Names of the joint providers, separated by semicolons. Required to close a joint activity.',
  },
  {
    name: creditColumnName(AMA_PRA_CAT1),
    label: 'AMA PRA Category 1 credits',
    synonyms: ['AMA credits', 'Credits', 'Credits designated', 'Max credits'],
    help: 'Required. Credits designated, more than 0 in steps of 0.25, such as 1.5.',
  },
  ...Object.entries(OTHER_CREDIT_TYPES).map(
    ([code, label]): FileColumn => ({
      name: creditColumnName(code),
      label,
      help: `${label} offered, in steps of 0.25; blank if not offered.`,
    }),
  ),
  {
    name: 'topics',
    label: 'Topics',
    synonyms: ['State content tags', 'Content tags'],
    help: `Codes separated by semicolons: ${codes(TOPICS).join(', ')}.`,
  },
  { name: 'specialties', label: 'Specialties', help: 'Specialties, separated by semicolons.' },
  ...MOC_BOARD_CODES.flatMap((board): FileColumn[] => [
    {
      name: mocColumnName(board, 'points'),
      label: `${board} MOC points`,
      help: `${board} MOC points offered, in steps of 0.25, at most the AMA credits; blank if not registered for ${board} MOC.`,
    },
    {
      name: mocColumnName(board, 'credit_types'),
      label: `${board} MOC credit types`,
      help: `${Object.entries(MOC_CREDIT_KINDS[board]).map(([kind, label]) => `${kind} (${label})`).join(', ')}; several separated by semicolons.`,
    },
    {
      name: mocColumnName(board, 'claim_date'),
      label: `${board} MOC claim date`,
      help: 'Last day learners may claim the MOC credit, YYYY-MM-DD. Required to close.',
    },
  ]),
  {
    name: 'rems',
    label: 'FDA REMS',
    synonyms: ['REMS', 'REMS program'],
    help: `${codes(REMS_PROGRAMS).join(' or ')}; blank if not part of a REMS.`,
    choices: codes(REMS_PROGRAMS),
  },
  { name: 'rems_identifier', label: 'REMS identifier', help: 'The REMS-related identifier, if any.' },
  { name: 'mips', label: 'MIPS improvement activity', synonyms: ['MIPS'], help: 'yes or no.', choices: YES_NO },
  {
    name: 'catalog_listed',
    label: 'List in catalog',
    synonyms: ['For public list', 'Catalog listing', 'Listed'],
    help: 'yes to show the activity in the public catalog (then URL, fee and registration are required).',
    choices: YES_NO,
  },
  { name: 'catalog_url', label: 'Catalog URL', synonyms: ['URL', 'Activity URL'], help: 'Web address learners go to, starting with https://.' },
  { name: 'catalog_fee', label: 'Fee', synonyms: ['Fee for participation'], help: codes(CATALOG_FEES).join(', '), choices: codes(CATALOG_FEES) },
  {
    name: 'catalog_registration',
    label: 'Registration',
    synonyms: ['Activity registration'],
    help: `${codes(CATALOG_REGISTRATIONS).join(' or ')} (open to all, or limited).`,
    choices: codes(CATALOG_REGISTRATIONS),
  },
  {
    name: 'commercial_support',
    label: 'Commercial support',
    synonyms: ['Commercial support received'],
    help: 'yes or no. Required to close.',
    choices: YES_NO,
  },
  {
    name: 'commercial_supporters',
    label: 'Commercial supporters',
    synonyms: ['Commercial support sources'],
    help: 'Each supporter as Name=amount in whole dollars, or Name=in-kind, separated by semicolons: Acme Pharma=5000; Beta Devices=in-kind.',
  },
  { name: 'physician_learners', label: 'Physician learners', synonyms: ['Number of physicians'], help: 'Whole number, 0 or more. Required to close.' },
  { name: 'other_learners', label: 'Other learners', synonyms: ['Number of other learners'], help: 'Whole number, 0 or more. Required to close.' },
  ...Object.entries(OUTCOMES).map(
    ([code, label]): FileColumn => ({
      name: outcomeColumnName(code as Outcome),
      label: `Outcome measured: ${label.toLowerCase()}`,
      help: `objective, subjective or both when ${label.toLowerCase()} was measured; blank if not. At least one outcome is required to close.`,
      choices: MEASURED,
    }),
  ),
  {
    name: 'status',
    label: 'Status',
    help: `${codes(ACTIVITY_STATUSES).join(', ')}. Blank keeps the status (a new activity is a draft).`,
    choices: codes(ACTIVITY_STATUSES),
  },
];

const columnsByName = new Map(ACTIVITY_FILE_COLUMNS.map((column) => [column.name, column]));

/** The columns of dates: read as learner files read a completion date (`calendarDate`), in the order the upload says. */
const dateColumnNames = new Set(['start_date', 'end_date', ...MOC_BOARD_CODES.map((board) => mocColumnName(board, 'claim_date'))]);
export const activityDateColumns = ACTIVITY_FILE_COLUMNS.filter((column) => dateColumnNames.has(column.name));

export type RowReading = {
  request: ActivityRequest;
  /** Cells that could not be read at all (not a number, not yes/no); the field rules check the rest. */
  problems: Problem[];
};

/**
 * Turns one row into the request that saves it. `present` names the columns the file has; for an
 * existing activity, `base` holds its current values, and columns the file does not have keep them.
 */
export function readActivityRow(
  record: Record<string, string>, present: ReadonlySet<string>, base: ActivityRequest | undefined, dateOrder: DateOrder | null = null,
): RowReading {
  const request: ActivityRequest = structuredClone(base ?? {});
  const problems: Problem[] = [];
  const has = (name: string) => present.has(name);
  const cell = (name: string) => record[name]?.trim() ?? '';
  const textOrNull = (name: string) => cell(name) || null;
  const problem = (column: string, code: string, message: string) => problems.push({ code, field: column, message });

  if (has('provider_activity_id')) request.providerActivityId = textOrNull('provider_activity_id');
  if (has('title')) request.title = textOrNull('title');
  if (has('description')) request.description = textOrNull('description');
  if (has('type')) request.type = textOrNull('type');
  if (has('delivery_method')) request.deliveryMethod = textOrNull('delivery_method');
  // A date that is none in the upload's order is said as written, with what to write; month first when unsaid, as it is read.
  const readDateCell = (column: string) => {
    const written = cell(column);
    if (!written) return null;
    const date = calendarDate(written, dateOrder);
    if (!isIsoDate(date)) problem(column, 'invalid_date', `${columnsByName.get(column)?.label}: ${completionDateMessage(written, dateOrder ?? 'month_first')}.`);
    return date;
  };
  if (has('start_date')) request.startDate = readDateCell('start_date');
  if (has('end_date')) request.endDate = readDateCell('end_date');
  if (has('city') || has('state') || has('country')) {
    request.location = {
      ...request.location,
      ...(has('city') ? { city: textOrNull('city') } : {}),
      ...(has('state') ? { state: textOrNull('state') } : {}),
      ...(has('country') ? { country: textOrNull('country') } : {}),
    };
  }
  if (has('providership')) request.providership = textOrNull('providership');
  if (has('joint_providers')) request.jointProviders = splitList(cell('joint_providers'), /;/);
  if (has('topics')) request.topics = splitList(cell('topics'), /[;,]/);
  if (has('specialties')) request.specialties = splitList(cell('specialties'), /;/);

  for (const type of [AMA_PRA_CAT1, ...Object.keys(OTHER_CREDIT_TYPES)]) {
    const column = creditColumnName(type);
    if (!has(column)) continue;
    const others = (request.credits ?? []).filter((credit) => credit.type.toUpperCase() !== type);
    const written = cell(column);
    const amount = readNumber(written);
    if (written && amount === null) {
      problem(column, 'invalid_number', `${columnsByName.get(column)?.label} must be a number such as 1.5, not "${written}".`);
    }
    request.credits = amount === null ? others : [...others, { type, amount }];
  }

  for (const board of MOC_BOARD_CODES) {
    const columns = { points: mocColumnName(board, 'points'), types: mocColumnName(board, 'credit_types'), claim: mocColumnName(board, 'claim_date') };
    if (!has(columns.points) && !has(columns.types) && !has(columns.claim)) continue;
    const others = (request.mocRegistrations ?? []).filter((registration) => registration.board.toUpperCase() !== board);
    const current = (request.mocRegistrations ?? []).find((registration) => registration.board.toUpperCase() === board);
    const writtenPoints = has(columns.points) ? cell(columns.points) : current ? String(current.points) : '';
    const creditTypes = has(columns.types) ? splitList(cell(columns.types), /[;,\s]+/) : (current?.creditTypes ?? []);
    const claimDate = has(columns.claim) ? readDateCell(columns.claim) : (current?.claimDate ?? null);
    if (!writtenPoints && creditTypes.length === 0 && !claimDate) {
      request.mocRegistrations = others;
      continue;
    }
    const points = readNumber(writtenPoints);
    if (writtenPoints && points === null) {
      problem(columns.points, 'invalid_number', `${board} MOC points must be a number such as 1.5, not "${writtenPoints}".`);
    }
    request.mocRegistrations = [...others, { board, points: points ?? 0, creditTypes, claimDate }];
  }

  if (has('rems')) {
    const program = cell('rems');
    request.rems = program ? { program, identifier: has('rems_identifier') ? textOrNull('rems_identifier') : (request.rems?.identifier ?? null) } : null;
  } else if (has('rems_identifier') && request.rems) {
    request.rems = { ...request.rems, identifier: textOrNull('rems_identifier') };
  }
  if (has('mips')) request.mipsImprovementActivity = readYesNo('mips') ?? false;

  if (has('catalog_listed') || has('catalog_url') || has('catalog_fee') || has('catalog_registration')) {
    request.catalog = {
      ...request.catalog,
      ...(has('catalog_listed') ? { listed: readYesNo('catalog_listed') ?? false } : {}),
      ...(has('catalog_url') ? { url: textOrNull('catalog_url') } : {}),
      ...(has('catalog_fee') ? { fee: textOrNull('catalog_fee') } : {}),
      ...(has('catalog_registration') ? { registration: textOrNull('catalog_registration') } : {}),
    };
  }

  if (has('commercial_support') || has('commercial_supporters')) {
    const received = has('commercial_support') ? readYesNo('commercial_support') : request.commercialSupport?.received;
    const sources = has('commercial_supporters') ? readSupporters(cell('commercial_supporters')) : (request.commercialSupport?.sources ?? []);
    request.commercialSupport = received === null && sources.length === 0 ? null : { received, sources };
  }

  if (has('physician_learners') || has('other_learners')) {
    request.learners = {
      ...request.learners,
      ...(has('physician_learners') ? { physicians: readCount('physician_learners') } : {}),
      ...(has('other_learners') ? { others: readCount('other_learners') } : {}),
    };
  }

  for (const outcome of Object.keys(OUTCOMES) as Outcome[]) {
    const column = outcomeColumnName(outcome);
    if (!has(column)) continue;
    const others = (request.outcomes ?? []).filter((entry) => entry.outcome !== outcome);
    const written = cell(column).toLowerCase();
    if (!written) {
      request.outcomes = others;
    } else if (written === 'both') {
      request.outcomes = [...others, { outcome, measurements: ['objective', 'subjective'] }];
    } else {
      request.outcomes = [...others, { outcome, measurements: splitList(written, /[;,/]|\s+and\s+/) }];
    }
  }

  if (has('status') && cell('status')) request.status = cell('status');
  return { request, problems };

  function readYesNo(column: string): boolean | null {
    const written = cell(column).toLowerCase();
    if (!written) return null;
    if (['yes', 'y', 'true', '1', 'x'].includes(written)) return true;
    if (['no', 'n', 'false', '0'].includes(written)) return false;
    problem(column, 'invalid_yes_no', `${columnsByName.get(column)?.label} must be yes or no, not "${cell(column)}".`);
    return null;
  }

  function readCount(column: string): number | null {
    const written = cell(column).replaceAll(',', '');
    if (!written) return null;
    const count = readNumber(written);
    if (count === null || !Number.isInteger(count) || count < 0) {
      problem(column, 'invalid_count', `${columnsByName.get(column)?.label} must be a whole number, 0 or more, not "${cell(column)}".`);
      return null;
    }
    return count;
  }

  function readSupporters(written: string) {
    return splitList(written, /;/).map((entry) => {
      const separator = entry.lastIndexOf('=');
      const name = separator === -1 ? entry : entry.slice(0, separator).trim();
      const detail = separator === -1 ? '' : entry.slice(separator + 1).trim().toLowerCase();
      const inKind = /in[\s-]?kind/.test(detail);
      const money = detail.replace(/in[\s-]?kind/, '').replace(/[$,+\s]/g, '');
      const amount = money ? readNumber(money) : null;
      if (money && amount === null) {
        problem('commercial_supporters', 'invalid_supporter', `Write each supporter as Name=5000 or Name=in-kind; "${entry}" is not.`);
      }
      return { name, amount, inKind };
    });
  }
}

function readNumber(written: string): number | null {
  if (!/^\d*\.?\d+$/.test(written)) return null;
  return Number(written);
}

function splitList(written: string, separator: RegExp): string[] {
  return written
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * The column a problem belongs to: field rules speak of API fields (`credits.1.amount`), a file row
 * of its columns (`nursing_credits`).
 */
export function columnForField(field: string | undefined, request: ActivityRequest): string | undefined {
  if (!field) return undefined;
  const [head, index, leaf] = field.split('.');
  const position = Number(index);
  switch (head) {
    case 'credits': {
      const type = request.credits?.[position]?.type?.toUpperCase();
      return creditColumnName(type ?? AMA_PRA_CAT1);
    }
    case 'mocRegistrations': {
      const board = request.mocRegistrations?.[position]?.board?.toUpperCase() as MocBoard | undefined;
      if (!board || !MOC_BOARD_CODES.includes(board)) return 'moc_abim_points';
      return mocColumnName(board, leaf === 'creditTypes' ? 'credit_types' : leaf === 'claimDate' ? 'claim_date' : 'points');
    }
    case 'outcomes': {
      const outcome = request.outcomes?.[position]?.outcome as Outcome | undefined;
      return outcome && Object.hasOwn(OUTCOMES, outcome) ? outcomeColumnName(outcome) : outcomeColumnName('learner_competence');
    }
    case 'location':
      return index;
    case 'commercialSupport':
      return index === 'received' ? 'commercial_support' : 'commercial_supporters';
    case 'learners':
      return index === 'physicians' ? 'physician_learners' : 'other_learners';
    case 'catalog':
      return `catalog_${index}`;
    case 'rems':
      return index === 'identifier' ? 'rems_identifier' : 'rems';
    default:
      return fieldColumns[head] ?? head;
  }
}

const fieldColumns: Record<string, string> = {
  providerActivityId: 'provider_activity_id',
  deliveryMethod: 'delivery_method',
  startDate: 'start_date',
  endDate: 'end_date',
  jointProviders: 'joint_providers',
  mipsImprovementActivity: 'mips',
};

/** The empty template: the header row, drop-downs and prompts on the first rows (XLSX), and a help sheet. */
export function templateFile(format: 'csv' | 'xlsx'): FileDownload {
  const columns: OutputColumn<unknown>[] = ACTIVITY_FILE_COLUMNS.map((column) => ({
    header: column.label,
    value: () => '',
    width: Math.max(14, column.label.length + 2),
    text: true,
    choices: column.choices,
    prompt: column.help,
  }));
  const help = [
    'CME Hub activity batch file',
    'One row per activity. A row whose provider activity ID the hub already has updates that activity; any other row creates one.',
    'Columns you leave out of the file keep their current values; a blank cell in a column you keep clears that value.',
    'Each row is saved on its own: a row with a problem changes nothing, and the receipt says what to fix.',
    '',
    ...ACTIVITY_FILE_COLUMNS.map((column) => `${column.label}${column.required ? ' (required)' : ''}: ${column.help}`),
  ];
  return tableDownload(format, 'activities-template', { name: 'Activities', columns, rows: [], templateRows: 500 }, [{ name: 'Help', lines: help }]);
}
