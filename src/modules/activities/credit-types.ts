// The credit types an activity may designate and a learner may be reported for. One list for the
// whole hub: activities designate them, learner reports carry them, boards read them.

export const AMA_PRA_CAT1 = 'AMA_PRA_CAT1';

/** Credit for professions other than physicians, offered alongside AMA PRA Category 1 (joint accreditation). */
export const OTHER_CREDIT_TYPES = {
  IPCE: 'IPCE credit',
  NURSING: 'Nursing contact hours (ANCC)',
  PHARMACY: 'Pharmacy contact hours (ACPE)',
  AAPA_CAT1: 'AAPA Category 1 CME (physician assistants)',
  PSYCHOLOGY: 'Psychology credit (APA)',
  OPTOMETRY: 'Optometry credit (COPE)',
  SOCIAL_WORK: 'Social work credit (ASWB ACE)',
  DENTISTRY: 'Dental credit (ADA CERP)',
  DIETETICS_CPEU: 'Dietetics CPEU (CDR)',
  ATHLETIC_TRAINING_CEU: 'Athletic training CEU (BOC)',
} as const satisfies Record<string, string>;

/**
 * The certifying boards that take MOC / continuing certification registrations, with the kinds of
 * credit each offers (board names are in the reference list of certifying boards). A MOC credit
 * type code is `MOC_<BOARD>_<KIND>`, e.g. `MOC_ABIM_MK`.
 */
export const MOC_CREDIT_KINDS = {
  ABA: { LL: 'Lifelong learning (MOCA)', PS: 'Patient safety', QI: 'Quality improvement' },
  ABIM: { MK: 'Medical knowledge', PR: 'Practice assessment', PS: 'Patient safety' },
  ABOHNS: { SA: 'Self-assessment', IMP: 'Improvement in medical practice' },
  ABOS: { SA: 'Self-assessment' },
  ABP: { LA: 'Lifelong learning and self-assessment (Part 2)', QI: 'Quality improvement (Part 4)' },
  ABPATH: { LL: 'Lifelong learning', SA: 'Self-assessment module' },
  ABS: { AC: 'Accredited CME', SA: 'Self-assessment' },
  ABTS: { AC: 'Accredited CME', SA: 'Self-assessment' },
} as const satisfies Record<string, Record<string, string>>;

export type MocBoard = keyof typeof MOC_CREDIT_KINDS;
export const MOC_BOARD_CODES = Object.keys(MOC_CREDIT_KINDS) as MocBoard[];

export function isMocBoard(code: string): code is MocBoard {
  return Object.hasOwn(MOC_CREDIT_KINDS, code);
}

export function mocCreditType(board: MocBoard, kind: string): string {
  return `MOC_${board}_${kind}`;
}

/** Every MOC credit type code with its label, e.g. `MOC_ABIM_MK` -> `ABIM: Medical knowledge`. */
export const MOC_CREDIT_TYPES: Record<string, string> = Object.fromEntries(
  MOC_BOARD_CODES.flatMap((board) =>
    Object.entries(MOC_CREDIT_KINDS[board]).map(([kind, label]) => [mocCreditType(board, kind), `${board}: ${label}`]),
  ),
);

/** Every credit type code the hub knows, with a label a coordinator recognises. */
export const CREDIT_TYPES: Record<string, string> = {
  [AMA_PRA_CAT1]: 'AMA PRA Category 1 Credit™',
  ...OTHER_CREDIT_TYPES,
  ...MOC_CREDIT_TYPES,
};

/**
 * A credit type as coordinators know it, with the code a file's credit type column takes when that is not
 * the label: "AMA PRA Category 1 Credit™", "ABIM: Medical knowledge (MOC_ABIM_MK)". An unknown code as it is.
 */
export function creditTypeName(code: string): string {
  if (!isCreditType(code)) return code;
  return code === AMA_PRA_CAT1 ? CREDIT_TYPES[code] : `${CREDIT_TYPES[code]} (${code})`;
}

export function isCreditType(code: string): boolean {
  return Object.hasOwn(CREDIT_TYPES, code);
}

export function isMocCreditType(code: string): boolean {
  return Object.hasOwn(MOC_CREDIT_TYPES, code);
}

/**
 * Reads a board's MOC credit type as a person may write it: the full code (`MOC_ABIM_MK`) or just the
 * kind (`MK`), any case. Returns the full code, or null when the board does not offer it.
 */
export function parseMocCreditType(board: MocBoard, written: string): string | null {
  const upper = written.trim().toUpperCase();
  const kinds: Record<string, string> = MOC_CREDIT_KINDS[board];
  const prefix = `MOC_${board}_`;
  const kind = upper.startsWith(prefix) ? upper.slice(prefix.length) : upper;
  return Object.hasOwn(kinds, kind) ? mocCreditType(board, kind) : null;
}

/**
 * Credit amounts are designated and claimed in quarter credits, a computed 1.7499999999999998 being 1.75; a sliver
 * above 0 (0.0000000001) is not one, as it would be stored as 0.
 */
export function isQuarterStep(amount: number): boolean {
  const quarters = Math.round(amount * 4);
  return Number.isFinite(amount) && Math.abs(amount * 4 - quarters) < 1e-9 && (quarters !== 0 || amount === 0);
}

/** The largest amount `numeric(6,2)` holds that is also a quarter step. */
export const MAX_CREDIT_AMOUNT = 9999.75;
