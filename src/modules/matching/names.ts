import nicknameTable from './nicknames.json' with { type: 'json' };

/** The longest first, middle or last name taken, from providers and boards alike: longer is a note, or a whole row. */
export const NAME_MAX_LENGTH = 100;

/** A person name reduced to what comparison needs: lower-case ASCII tokens without punctuation or suffixes. */
export interface NormalizedName {
  /** All tokens joined without separators: "O'Brien-Smith" -> "obriensmith". */
  key: string;
  /** Tokens split at spaces, hyphens and periods: "O'Brien-Smith" -> ["obrien", "smith"]. */
  tokens: string[];
}

/** Generational suffixes and credentials written after a name; dropped when they are not the whole name. */
const TRAILING_SUFFIXES = new Set([
  'jr', 'sr', 'ii', 'iii', 'iv', 'md', 'phd', 'mph', 'mba', 'mbbs', 'dds', 'dmd', 'facp', 'facs', 'faafp',
  'faap', 'facog', 'facc', 'facep', 'fccp', 'frcpc', 'frcp', 'frcs', 'mrcp', 'esq',
  // A sign-in sheet's other professions: nurse practitioners, physician assistants ("PA-C"), nurses, pharmacists.
  'np', 'aprn', 'fnp', 'dnp', 'crna', 'pac', 'rn', 'bsn', 'msn', 'pharmd', 'rph',
]);
/** Suffixes that are also real surname tokens ("Do", "Ma", "Pa"): dropped only after a comma or when dotted. */
const SUFFIXES_NEEDING_MARK = new Set(['do', 'ma', 'pa', 'ms', 'v']);

const SPECIAL_LETTERS: Record<string, string> = {
  'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i',
};

function foldToAscii(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter);
}

function isDottedSuffix(rawToken: string): boolean {
  return /\./.test(rawToken);
}

/**
 * Normalizes a name as people type it: case, accents, apostrophes ("O'Brien" = "OBrien"), hyphens, periods
 * and spaces, and trailing suffixes (Jr, III, MD, "D.O." or ", DO").
 */
export function normalizeName(raw: string | null | undefined): NormalizedName {
  if (!raw) return { key: '', tokens: [] };
  const folded = foldToAscii(raw);
  const [beforeComma, ...afterComma] = folded.split(',');
  // Whatever follows a comma is kept only if it is not a run of suffixes ("Smith, Jr., MD").
  const tail = afterComma.join(' ');
  const tailTokens = tokenize(tail);
  const tailIsSuffixes = tailTokens.every((t) => TRAILING_SUFFIXES.has(t) || SUFFIXES_NEEDING_MARK.has(t));
  const rawTokens = (tailIsSuffixes ? beforeComma : `${beforeComma} ${tail}`)
    .replace(/['’‘`´ʼ]/g, '')
    .split(/[\s\-‐‑–—_/]+/)
    .filter((t) => t.length > 0);

  while (rawTokens.length > 1) {
    const last = rawTokens[rawTokens.length - 1];
    const bare = last.replace(/[^a-z0-9]/g, '');
    const isSuffix = TRAILING_SUFFIXES.has(bare) || (SUFFIXES_NEEDING_MARK.has(bare) && isDottedSuffix(last));
    if (!isSuffix && bare.length > 0) break;
    rawTokens.pop();
  }
  const tokens = rawTokens.flatMap((t) => tokenize(t));
  return { key: tokens.join(''), tokens };
}

function tokenize(text: string): string[] {
  return text
    .replace(/['’‘`´ʼ]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** Keys under which a last name is indexed and looked up: the whole key plus each part of a compound name. */
export function lastNameSearchKeys(name: NormalizedName): string[] {
  const keys = new Set<string>();
  if (name.key) keys.add(name.key);
  if (name.tokens.length > 1) {
    for (const token of name.tokens) if (token.length >= 3) keys.add(token);
  }
  return [...keys];
}

/**
 * The letters of a name key in sorted order. Two adjacent letters swapped leave it unchanged, so looking a
 * last name up by this key finds the exact name and its transpositions in one index probe.
 */
export function anagramKey(key: string): string {
  return [...key].sort().join('');
}

const nicknameGroups: Map<string, Set<number>> = buildNicknameGroups();

function buildNicknameGroups(): Map<string, Set<number>> {
  const groups = new Map<string, Set<number>>();
  let groupId = 0;
  for (const [formal, shortForms] of Object.entries(nicknameTable)) {
    if (formal.startsWith('_') || !Array.isArray(shortForms)) continue;
    groupId += 1;
    for (const name of [formal, ...shortForms]) {
      const key = normalizeName(name).key;
      const memberOf = groups.get(key) ?? new Set<number>();
      memberOf.add(groupId);
      groups.set(key, memberOf);
    }
  }
  return groups;
}

/** True when both given names are forms of one formal name (Bob and Robert, Bob and Rob), not just similar. */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return false;
  const groupsOfA = nicknameGroups.get(a);
  const groupsOfB = nicknameGroups.get(b);
  if (!groupsOfA || !groupsOfB) return false;
  for (const group of groupsOfA) if (groupsOfB.has(group)) return true;
  return false;
}

export type SpellingDifference = 'transposed' | 'typo';

/**
 * Classifies a one-edit difference between two keys: two adjacent letters swapped ("Smtih"), or one letter
 * added, missing or changed ("Jonhson" is transposed, "Smyth" a typo). Short names are left alone: a changed
 * letter in a three-letter name makes another name.
 */
export function spellingDifference(reported: string, registered: string): SpellingDifference | null {
  if (reported === registered) return null;
  const shorter = Math.min(reported.length, registered.length);
  if (reported.length === registered.length) {
    const diffs: number[] = [];
    for (let i = 0; i < reported.length && diffs.length <= 2; i += 1) {
      if (reported[i] !== registered[i]) diffs.push(i);
    }
    if (
      diffs.length === 2 && diffs[1] === diffs[0] + 1 && shorter >= 3 &&
      reported[diffs[0]] === registered[diffs[1]] && reported[diffs[1]] === registered[diffs[0]]
    ) {
      return 'transposed';
    }
    return diffs.length === 1 && shorter >= 4 ? 'typo' : null;
  }
  if (Math.abs(reported.length - registered.length) !== 1 || shorter < 4) return null;
  const [longer, short] = reported.length > registered.length ? [reported, registered] : [registered, reported];
  let i = 0;
  while (i < short.length && short[i] === longer[i]) i += 1;
  return short.slice(i) === longer.slice(i + 1) ? 'typo' : null;
}

/** True when one name is a run of whole parts of the other ("Garcia" in "Garcia Lopez", "Jones" in "Smith-Jones"). */
export function isNamePart(shorter: NormalizedName, longer: NormalizedName): boolean {
  if (shorter.tokens.length === 0 || shorter.tokens.length >= longer.tokens.length) return false;
  if (shorter.key.length < 3) return false;
  const width = shorter.tokens.length;
  for (let start = 0; start + width <= longer.tokens.length; start += 1) {
    if (longer.tokens.slice(start, start + width).join('') === shorter.key) return true;
  }
  return false;
}

export type NameParts = { firstName: string; middleName: string; lastName: string };

/** Titles written before a name; dropped, one or several ("Prof. Dr."), when a first and a last name remain. */
const TITLES = new Set(['dr', 'doctor', 'prof', 'professor', 'mr', 'mrs', 'ms', 'miss', 'mx']);
/** Generational suffixes: part of the last name as written ("Okafor Jr."); matching drops them. */
const GENERATIONAL = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
/** Words that begin a last name of several words ("van der Berg", "de la Cruz", "St. John"). */
const SURNAME_PARTICLES = new Set(['de', 'del', 'della', 'der', 'den', 'di', 'da', 'das', 'dos', 'du', 'la', 'le', 'van', 'von', 'ter', 'ten', 'st', 'ste', 'saint', 'bin', 'ibn', 'al', 'el']);

const bareWord = (word: string) => foldToAscii(word).replace(/[^a-z0-9]/g, '');
/** A credential ("MD", "D.O."); one that is also a surname ("Do") only when dotted or, `afterComma`, on its own. */
const isCredential = (word: string, afterComma = false) => {
  const bare = bareWord(word);
  return !GENERATIONAL.has(bare) && (TRAILING_SUFFIXES.has(bare) || (SUFFIXES_NEEDING_MARK.has(bare) && (afterComma || isDottedSuffix(word))));
};

/** What a sheet writes beside a name, never part of it: a note in brackets ("(Resident)", "[PGY-2]"), a nickname in double quotes ("Mia"). */
const asidesInName = /\([^)]*\)|\[[^\]]*\]|"[^"]*"|“[^”]*”/g;

const lettersOf = (word: string) => word.replace(/[^\p{L}]/gu, '');
/** A word written in capitals, of two letters or more ("LOPEZ", "O'BRIEN"); initials such as "J." are not. */
const inCapitals = (word: string) => lettersOf(word).length >= 2 && lettersOf(word) === lettersOf(word).toUpperCase() && lettersOf(word) !== lettersOf(word).toLowerCase();

/**
 * Splits a whole name as people write it in one cell: "Maria Lopez", "Lopez, Maria J.", "Dr. Ana de la Cruz, MD",
 * "Jim Okafor Jr.", "LOPEZ Maria", "OKAFOR JAMES A". Titles, credentials and asides (a note in brackets, a nickname
 * in quotes) go; a generational suffix stays with the last name; a comma, a last name in capitals before given names
 * that are not, or a middle initial at the end puts the last name first. Null for a name of one word, which names no
 * first and last name.
 */
export function splitFullName(written: string): NameParts | null {
  const parts = written
    .replace(asidesInName, ' ')
    .split(',').map((part) => part.trim()).filter((part) => part !== '');
  // Credentials after a comma ("Maria Lopez, MD, FACP") name no one; a generational suffix belongs to the last name.
  let generational = '';
  while (parts.length > 1) {
    const words = parts[parts.length - 1].split(/\s+/);
    if (words.every((word) => GENERATIONAL.has(bareWord(word)))) generational = [parts.pop(), generational].filter(Boolean).join(' ');
    else if (words.every((word) => isCredential(word, true))) parts.pop();
    else break;
  }
  // Credentials only at the end, and never the only word after the first: "Kofi Mba" is a name.
  const wordsOf = (text: string, keep: number) => {
    const words = text.split(/\s+/).filter((word) => word !== '');
    while (words.length > keep && isCredential(words[words.length - 1])) words.pop();
    return words;
  };
  const withoutTitle = (words: string[]) => {
    let first = 0;
    while (words.length - first > 2 && TITLES.has(bareWord(words[first]))) first += 1;
    return words.slice(first);
  };
  const withSuffix = (last: string) => [last, generational].filter(Boolean).join(' ');

  if (parts.length >= 2) {
    const given = withoutTitle(wordsOf(parts.slice(1).join(' '), 1));
    const last = parts[0];
    if (given.length === 0 || !last) return null;
    return { firstName: given[0], middleName: given.slice(1).join(' '), lastName: withSuffix(last) };
  }
  const words = withoutTitle(wordsOf(parts[0] ?? '', 2));
  while (words.length > 2 && GENERATIONAL.has(bareWord(words[words.length - 1]))) generational = [words.pop(), generational].filter(Boolean).join(' ');
  if (words.length < 2) return null;
  // A middle initial at the end ("OKAFOR JAMES A", "Okafor James A."), as records systems write a name: last name first.
  let lastEnd = 0;
  while (lastEnd < words.length - 1 && SURNAME_PARTICLES.has(bareWord(words[lastEnd]))) lastEnd += 1;
  if (words.length >= lastEnd + 3 && lettersOf(words[words.length - 1]).length === 1 && lettersOf(words[lastEnd + 1]).length > 1) {
    return { firstName: words[lastEnd + 1], middleName: words.slice(lastEnd + 2).join(' '), lastName: withSuffix(words.slice(0, lastEnd + 1).join(' ')) };
  }
  // A last name in capitals before the given names ("LOPEZ Maria", "DE LA CRUZ Ana"), as records systems write one.
  const givenStart = words.findIndex((word) => !inCapitals(word));
  if (givenStart > 0 && words.slice(0, givenStart).some((word) => lettersOf(word).length >= 3)) {
    return { firstName: words[givenStart], middleName: words.slice(givenStart + 1).join(' '), lastName: withSuffix(words.slice(0, givenStart).join(' ')) };
  }
  let lastStart = words.length - 1;
  while (lastStart > 1 && SURNAME_PARTICLES.has(bareWord(words[lastStart - 1]))) lastStart -= 1;
  return { firstName: words[0], middleName: words.slice(1, lastStart).join(' '), lastName: withSuffix(words.slice(lastStart).join(' ')) };
}

/**
 * What to say of a name with a "?" (or the replacement character) in it, null for any other name: no name has
 * one, but a file saved in a character set without one of its letters does ("?ukasik" for Łukasik, saved as
 * Western European text), and a name so stored would match no one and show wrong on every page.
 */
export function lostLetterMessage(label: string, name: string): string | null {
  if (!hasLostLetter(name)) return null;
  return `${label} "${name}" has a "?" where a letter was lost, as when a file is saved in a character set without that letter (Ł, ő, ă…): save it as CSV UTF-8, or as a workbook, and send it again`;
}

export const hasLostLetter = (name: string) => lostLetter.test(name);

/**
 * What to say of a reported name no person has, null for a name: one with a letter lost (`lostLetterMessage`), one
 * without a letter ("12345": a column of numbers under the name's heading), or one that starts as a spreadsheet
 * formula does ("=SUM(1)", "+Chen", "@Lee"). Taken in, it would match no one in the registry and no physician would
 * ever be offered it to claim: the report would be pending for good.
 */
export function reportedNameMessage(label: string, name: string): string | null {
  if (name === '') return null;
  const lost = lostLetterMessage(label, name);
  if (lost) return lost;
  if (!anyLetter.test(name)) return `${label} "${name}" has no letters: write the learner's name as on their license (is another column's value under the name's heading?)`;
  if (formulaStart.test(name)) return `${label} "${name}" starts with "${name[0]}", as a spreadsheet formula does and no name does: write the learner's name as on their license`;
  return null;
}

/** Whether a reported name is none (`reportedNameMessage`), without the words. */
export const isNoReportedName = (name: string) => hasLostLetter(name) || !anyLetter.test(name) || formulaStart.test(name);

const anyLetter = /\p{L}/u;
const formulaStart = /^[=+@]/;

const lostLetter = /[?\uFFFD]/;
