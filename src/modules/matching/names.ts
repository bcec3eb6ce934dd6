import nicknameTable from './nicknames.json' with { type: 'json' };

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
  'faap', 'facog', 'facc', 'frcpc', 'esq',
]);
/** Suffixes that are also real surname tokens ("Do", "Ma", "Pa"): dropped only after a comma or when dotted. */
const SUFFIXES_NEEDING_MARK = new Set(['do', 'ma', 'pa', 'ms', 'v', 'np', 'rn']);

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
