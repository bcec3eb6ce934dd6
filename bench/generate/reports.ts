import { areNicknames } from '../../src/modules/matching/names.ts';
import type { LearnerIdentity } from '../../src/modules/matching/match-rules.ts';
import nicknames from '../../src/modules/matching/nicknames.json' with { type: 'json' };
import { licenseNumber, personAt, STATES, type GeneratedPerson } from './population.ts';
import { seededRandom } from './random.ts';

export interface GeneratedReport {
  identity: LearnerIdentity;
  /** The registry person the report is about, or null for a physician the registry does not hold. */
  truth: number | null;
  /** What was changed from the registry's data, as a provider would get it wrong. */
  changes: string[];
}

const shortForms = new Map<string, string[]>(
  Object.entries(nicknames).filter(([formal]) => !formal.startsWith('_')).map(([formal, forms]) => [formal, forms as string[]]),
);

function capitalize(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}

function transpose(name: string, random: () => number): string {
  if (name.length < 4) return name;
  const at = 1 + Math.floor(random() * (name.length - 2));
  if (name[at] === name[at + 1]) return name;
  return name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2);
}

function typo(name: string, random: () => number): string {
  if (name.length < 5) return name;
  const at = 1 + Math.floor(random() * (name.length - 2));
  const roll = random();
  if (roll < 0.33) return name.slice(0, at) + name.slice(at + 1);
  if (roll < 0.66) return name.slice(0, at) + name[at] + name.slice(at);
  const letter = 'aeiourstln'[Math.floor(random() * 10)];
  return name.slice(0, at) + letter + name.slice(at + 1);
}

/** License numbers as providers type them: spaces, dashes, lower case, leading zeros, the prefix left out. */
function reformatLicense(number: string, random: () => number, changes: string[]): string {
  const roll = random();
  const match = /^([A-Z]*)(\d+)$/.exec(number);
  if (!match) return number;
  const [, prefix, digits] = match;
  if (roll < 0.08) { changes.push('license_spaced'); return `${prefix} ${digits}`; }
  if (roll < 0.14) { changes.push('license_dashed'); return prefix ? `${prefix}-${digits}` : `${digits.slice(0, 2)}-${digits.slice(2)}`; }
  if (roll < 0.2) { changes.push('license_lower_case'); return number.toLowerCase(); }
  if (roll < 0.26) { changes.push('license_zeros_dropped'); return prefix + digits.replace(/^0+/, ''); }
  if (roll < 0.3) { changes.push('license_zero_added'); return `${prefix}0${digits}`; }
  if (roll < 0.33 && prefix) { changes.push('license_prefix_missing'); return digits; }
  return number;
}

/** A report about a registry person, with the slips providers really make. */
function reportAbout(person: GeneratedPerson, random: () => number, stateAloneShare: number): GeneratedReport {
  const changes: string[] = [];
  let firstName = person.firstName;
  let lastName = person.lastName;
  let birthMonth = person.birthMonth;
  let birthDay = person.birthDay;

  const forms = shortForms.get(firstName.toLowerCase());
  const nameRoll = random();
  if (forms && nameRoll < 0.1) {
    const form = forms[Math.floor(random() * forms.length)];
    if (areNicknames(form, firstName.toLowerCase())) {
      firstName = capitalize(form);
      changes.push('nickname');
    }
  } else if (nameRoll < 0.12) {
    firstName = `${firstName[0]}.`;
    changes.push('first_initial');
  } else if (nameRoll < 0.14) {
    firstName = transpose(firstName, random);
    changes.push('first_name_transposed');
  }
  const lastRoll = random();
  if (person.previousLastName && lastRoll < 0.4) {
    lastName = person.previousLastName;
    changes.push('previous_last_name');
  } else if (lastRoll < 0.03) {
    lastName = transpose(lastName, random);
    changes.push('last_name_transposed');
  } else if (lastRoll < 0.05) {
    lastName = typo(lastName, random);
    changes.push('last_name_typo');
  } else if (lastRoll < 0.06 && person.previousLastName === null) {
    lastName = `${lastName}-${capitalize(['smith', 'garcia', 'lee', 'brown'][Math.floor(random() * 4)])}`;
    changes.push('last_name_hyphenated');
  }
  if (random() < 0.08) {
    firstName = firstName.toUpperCase();
    lastName = lastName.toUpperCase();
    changes.push('upper_case');
  }
  if (random() < 0.02 && birthDay <= 12 && birthDay !== birthMonth) {
    [birthMonth, birthDay] = [birthDay, birthMonth];
    changes.push('day_month_swapped');
  }

  const identity: LearnerIdentity = { firstName, lastName, birthMonth, birthDay };
  if (random() < 0.3 && person.middleName) identity.middleName = person.middleName;
  const license = person.licenses[Math.floor(random() * person.licenses.length)];
  // Identifiers: 62% license, 20% NPI, 8% both (of the share left after the state alone).
  const mode = (random() * 0.9) / (1 - stateAloneShare);
  if (mode < 0.62 || (mode < 0.9 && !person.npi)) {
    identity.state = license.state;
    identity.licenseNumber = reformatLicense(license.number, random, changes);
  } else if (mode < 0.82) {
    identity.npi = random() < 0.1 ? `${person.npi!.slice(0, 4)} ${person.npi!.slice(4)}` : person.npi;
  } else if (mode < 0.9) {
    identity.state = license.state;
    identity.licenseNumber = reformatLicense(license.number, random, changes);
    identity.npi = person.npi;
  } else {
    identity.state = license.state;
    changes.push('state_only');
  }

  // Errors no rule may tolerate: the report cannot be matched until the provider fixes it.
  const errorRoll = random();
  if (identity.licenseNumber && errorRoll < 0.004) {
    identity.licenseNumber = identity.licenseNumber.replace(/\d(?=\d{2}$)/, (d) => String((Number(d) + 1) % 10));
    changes.push('wrong_license_digit');
  } else if (errorRoll < 0.006) {
    identity.birthDay = birthDay === 28 ? 27 : birthDay + 1;
    changes.push('wrong_birth_day');
  }
  return { identity, truth: person.index, changes };
}

/**
 * A report about a physician who is not in the registry: a person beyond the loaded range, sometimes with the
 * name and state of a registry person (a namesake with another birthday).
 */
function reportAboutStranger(seed: number, registrySize: number, random: () => number, stateAloneShare: number): GeneratedReport {
  const stranger = personAt(seed, registrySize + Math.floor(random() * registrySize));
  const changes = ['not_in_registry'];
  if (random() < 0.3) {
    const namesake = personAt(seed, Math.floor(random() * registrySize));
    stranger.firstName = namesake.firstName;
    stranger.lastName = namesake.lastName;
    stranger.licenses = [{ ...stranger.licenses[0], state: namesake.licenses[0].state }];
    stranger.birthDay = namesake.birthDay === 1 ? 2 : namesake.birthDay - 1;
    stranger.birthMonth = namesake.birthMonth;
    changes.push('namesake_other_birthday');
  }
  const identity: LearnerIdentity = {
    firstName: stranger.firstName, lastName: stranger.lastName, birthMonth: stranger.birthMonth, birthDay: stranger.birthDay,
  };
  const mode = (random() * 0.9) / (1 - stateAloneShare);
  const state = stranger.licenses[0].state;
  if (mode < 0.6) {
    identity.state = state;
    identity.licenseNumber = licenseNumber(registrySize * 2 + Math.floor(random() * registrySize), state, 'MD');
  } else if (mode < 0.9 && stranger.npi) {
    identity.npi = stranger.npi;
  } else {
    identity.state = STATES.includes(state) ? state : 'CA';
    changes.push('state_only');
  }
  return { identity, truth: null, changes };
}

/**
 * `count` learner reports: 92% about registry persons (with realistic slips), 8% about physicians it does not
 * hold. `stateAloneShare` of them give the state without license number or NPI (PARS itself requires one).
 */
export function generateReports(seed: number, registrySize: number, count: number, stateAloneShare = 0.04): GeneratedReport[] {
  const random = seededRandom(seed ^ 0x5eed);
  const reports: GeneratedReport[] = [];
  for (let i = 0; i < count; i += 1) {
    if (random() < 0.92) reports.push(reportAbout(personAt(seed, Math.floor(random() * registrySize)), random, stateAloneShare));
    else reports.push(reportAboutStranger(seed, registrySize, random, stateAloneShare));
  }
  return reports;
}
