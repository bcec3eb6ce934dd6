import type { Executor } from '../../db/database.ts';
import {
  NO_CANDIDATES, decideMatch, invalidOutcome, prepareIdentity,
  type CandidateName, type CandidatePerson, type LearnerIdentity, type LicenseHolder, type MatchCandidates, type MatchOutcome,
  type PreparedIdentity,
} from './match-rules.ts';
import { normalizeLicenseNumber } from './license-numbers.ts';
import { anagramKey, normalizeName, type NormalizedName } from './names.ts';
import { findCandidates, findCandidatesStaged, type CandidateRow, type CandidateSearch } from './matching.repository.ts';

export type { LearnerIdentity, MatchOutcome, MatchProblem, MatchRule, MatchStatus } from './match-rules.ts';

export interface MatchingServiceOptions {
  /** Batches larger than this are staged in a temporary table rather than sent inline. */
  stagingThreshold?: number;
}

function toSearch(index: number, identity: PreparedIdentity): CandidateSearch {
  const hasIdentifier = Boolean(identity.license || identity.npi || identity.boardId);
  const [stateAloneReading, otherReading] = identity.birthReadings;
  return {
    index,
    state: identity.state,
    numberKey: identity.license?.key ?? null,
    numberDigits: identity.license?.digits ?? null,
    npi: identity.npi,
    boardCode: identity.board,
    boardIdKey: identity.board ? identity.boardId : null,
    lastNameAnagrams: hasIdentifier ? null : identity.lastNameKeys.map(anagramKey),
    birthMonth: hasIdentifier ? null : stateAloneReading.month,
    birthDay: hasIdentifier ? null : stateAloneReading.day,
    swappedBirthMonth: hasIdentifier || !otherReading ? null : otherReading.month,
    swappedBirthDay: hasIdentifier || !otherReading ? null : otherReading.day,
  };
}

/** Groups candidate rows by identity; each person, and each distinct name, is normalized once per batch. */
function groupCandidates(rows: CandidateRow[]): Map<number, MatchCandidates> {
  const names = new Map<string, NormalizedName>();
  const normalized = (raw: string | null): NormalizedName => {
    const text = raw ?? '';
    let name = names.get(text);
    if (!name) {
      name = normalizeName(text);
      names.set(text, name);
    }
    return name;
  };
  const nameOf = (first: string | null, middle: string | null, last: string): CandidateName => ({
    first: normalized(first), middle: normalized(middle), last: normalized(last),
  });
  const persons = new Map<string, CandidatePerson>();
  const personOf = (row: CandidateRow): CandidatePerson => {
    let person = persons.get(row.person_id);
    if (!person) {
      person = {
        personId: row.person_id,
        name: nameOf(row.first_name, row.middle_name, row.last_name),
        otherNames: (row.other_names ?? []).map((name) => nameOf(name.first_name, name.middle_name, name.last_name)),
        birthMonth: row.birth_month,
        birthDay: row.birth_day,
      };
      persons.set(row.person_id, person);
    }
    return person;
  };
  const byIdentity = new Map<number, MatchCandidates>();
  for (const row of rows) {
    let candidates = byIdentity.get(row.index);
    if (!candidates) {
      candidates = { stateLicenses: [], otherStateLicenses: [], npiHolders: [], boardIdHolders: [], stateNamesakes: [] };
      byIdentity.set(row.index, candidates);
    }
    const person = personOf(row);
    if (row.source === 'state_license' || row.source === 'other_state_license') {
      const holder: LicenseHolder = {
        person,
        number: normalizeLicenseNumber(row.license_number) ?? { key: '', digits: '', hasLetters: false },
        status: row.license_status ?? 'unknown',
      };
      (row.source === 'state_license' ? candidates.stateLicenses : candidates.otherStateLicenses).push(holder);
    } else if (row.source === 'npi') {
      candidates.npiHolders.push(person);
    } else if (row.source === 'board_id') {
      candidates.boardIdHolders.push(person);
    } else {
      candidates.stateNamesakes.push(person);
    }
  }
  return byIdentity;
}

/**
 * Matches learner identities to registry persons. Used by the validation tool, learner reporting and batch
 * uploads; a whole batch is matched with one candidate query, whatever its size.
 */
export function createMatchingService(options: MatchingServiceOptions = {}) {
  const stagingThreshold = options.stagingThreshold ?? 2_000;

  /** Outcomes in the order of `identities`. `executor` may be the database or an open transaction. */
  async function matchIdentities(executor: Executor, identities: LearnerIdentity[]): Promise<MatchOutcome[]> {
    const outcomes: MatchOutcome[] = new Array(identities.length);
    const prepared: Array<{ index: number; identity: PreparedIdentity }> = [];
    identities.forEach((input, index) => {
      const result = prepareIdentity(input);
      if (result.ok) prepared.push({ index, identity: result.identity });
      else outcomes[index] = invalidOutcome(result.problems);
    });

    const searches = prepared.map(({ index, identity }) => toSearch(index, identity));
    const rows = searches.length > stagingThreshold
      ? await findCandidatesStaged(executor, searches)
      : await findCandidates(executor, searches);
    const candidates = groupCandidates(rows);
    for (const { index, identity } of prepared) {
      outcomes[index] = decideMatch(identity, candidates.get(index) ?? NO_CANDIDATES);
    }
    return outcomes;
  }

  return { matchIdentities };
}

export type MatchingService = ReturnType<typeof createMatchingService>;
