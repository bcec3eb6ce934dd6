import { npiCheckDigit } from '../../src/modules/matching/npi.ts';
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, SURNAME_SYLLABLES } from './name-lists.ts';
import { randomFor, weightedPicker, zipfWeights } from './random.ts';

/** Approximate share of physicians by state (population in millions), so CA and TX hold many, WY few. */
const STATE_WEIGHTS: Record<string, number> = {
  CA: 39, TX: 30, FL: 22, NY: 20, PA: 13, IL: 12.5, OH: 11.8, GA: 11, NC: 10.7, MI: 10, NJ: 9.3, VA: 8.7, WA: 7.8,
  AZ: 7.4, TN: 7, MA: 7, IN: 6.8, MO: 6.2, MD: 6.2, WI: 5.9, CO: 5.8, MN: 5.7, SC: 5.3, AL: 5.1, LA: 4.6, KY: 4.5,
  OR: 4.2, OK: 4, CT: 3.6, UT: 3.4, IA: 3.2, NV: 3.2, AR: 3, MS: 2.9, KS: 2.9, NM: 2.1, NE: 2, ID: 1.9, WV: 1.8,
  HI: 1.4, NH: 1.4, ME: 1.4, MT: 1.1, RI: 1.1, DE: 1, SD: 0.9, ND: 0.8, AK: 0.7, DC: 0.7, VT: 0.65, WY: 0.58, PR: 3.2,
};
export const STATES = Object.keys(STATE_WEIGHTS);
const pickState = weightedPicker(STATES, Object.values(STATE_WEIGHTS));

/** How each state's board writes its numbers: no prefix, a letter per license type, or "MD"/"DO". */
type NumberStyle = 'digits' | 'letter' | 'degree';
const STYLES: NumberStyle[] = ['digits', 'letter', 'degree'];
function numberStyle(state: string): NumberStyle {
  return STYLES[STATES.indexOf(state) % STYLES.length];
}

const pickMaleFirst = weightedPicker(MALE_FIRST_NAMES, zipfWeights(MALE_FIRST_NAMES.length, 8));
const pickFemaleFirst = weightedPicker(FEMALE_FIRST_NAMES, zipfWeights(FEMALE_FIRST_NAMES.length, 8));
const pickListedLast = weightedPicker(LAST_NAMES, zipfWeights(LAST_NAMES.length, 15));
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface GeneratedLicense {
  state: string;
  type: 'MD' | 'DO';
  number: string;
  status: 'Active' | 'Expired' | 'Inactive';
}

export interface GeneratedPerson {
  index: number;
  firstName: string;
  middleName: string | null;
  lastName: string;
  previousLastName: string | null;
  birthMonth: number;
  birthDay: number;
  npi: string | null;
  licenses: GeneratedLicense[];
}

function surname(random: () => number): string {
  // About half of physicians carry a surname outside any short list: the long tail.
  if (random() < 0.55) return pickListedLast(random);
  const syllables = 2 + Math.floor(random() * 2);
  let name = '';
  for (let i = 0; i < syllables; i += 1) name += SURNAME_SYLLABLES[Math.floor(random() * SURNAME_SYLLABLES.length)];
  return name[0].toUpperCase() + name.slice(1);
}

export function npiFor(index: number): string {
  const firstNine = String(100_000_000 + index * 3);
  return firstNine + String(npiCheckDigit(firstNine));
}

/** A bijection of the index onto 7 digits, different in each state, so numbers look unrelated across states. */
function licenseDigits(index: number, state: string): string {
  const s = STATES.indexOf(state) + 1;
  const multiplier = [7_919, 104_729, 1_299_709, 15_485_863][s % 4];
  return String((index * multiplier + s * 7_777) % 10_000_000).padStart(7, '0');
}

export function licenseNumber(index: number, state: string, type: 'MD' | 'DO'): string {
  const digits = licenseDigits(index, state);
  switch (numberStyle(state)) {
    case 'digits':
      return digits;
    case 'letter':
      return `${type === 'MD' ? 'A' : 'C'}${digits}`;
    case 'degree':
      return `${type}${digits}`;
  }
}

/**
 * Person `index` of the synthetic registry, generated from the index alone (so a million of them need no
 * memory). About 1 in 5 holds licenses in several states; 1 in 100 shares another person's name with another
 * birthday; 1 in 20 has a former last name.
 */
export function personAt(seed: number, index: number): GeneratedPerson {
  const random = randomFor(seed, index);
  const female = random() < 0.45;
  let firstName = female ? pickFemaleFirst(random) : pickMaleFirst(random);
  let lastName = surname(random);
  if (index > 1000 && random() < 0.01) {
    const namesake = personAt(seed, index - 1 - Math.floor(random() * 1000));
    firstName = namesake.firstName;
    lastName = namesake.lastName;
  }
  const middleRoll = random();
  const middleName = middleRoll < 0.35 ? (random() < 0.5 ? pickMaleFirst(random) : pickFemaleFirst(random)) : middleRoll < 0.6 ? String.fromCharCode(65 + Math.floor(random() * 26)) : null;
  const previousLastName = female && random() < 0.1 ? surname(random) : null;
  const birthMonth = 1 + Math.floor(random() * 12);
  const birthDay = 1 + Math.floor(random() * DAYS_IN_MONTH[birthMonth - 1]);
  const npi = random() < 0.85 ? npiFor(index) : null;
  const type: 'MD' | 'DO' = random() < 0.9 ? 'MD' : 'DO';
  const licenseCount = random() < 0.8 ? 1 : 2 + Math.floor(random() * 3);
  const states = new Set<string>();
  while (states.size < licenseCount) states.add(pickState(random));
  const licenses = [...states].map((state, i): GeneratedLicense => ({
    state,
    type,
    number: licenseNumber(index, state, type),
    status: i === 0 || random() < 0.7 ? 'Active' : random() < 0.5 ? 'Expired' : 'Inactive',
  }));
  return { index, firstName, middleName, lastName, previousLastName, birthMonth, birthDay, npi, licenses };
}
