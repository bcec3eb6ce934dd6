import leven from 'leven';

/** Items as a sentence lists them: "a", "a and b", "a, b and c" (or "a, b or c"). */
export function inWords(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/**
 * `text` cut to at most `most` characters (UTF-16 units, as Excel and JavaScript count them), ending in "…"; never
 * between the two halves of a character such as an emoji, which PostgreSQL's JSON and a workbook refuse alone.
 */
export function cutShort(text: string, most: number): string {
  if (text.length <= most) return text;
  const end = isFirstHalf(text.charCodeAt(most - 2)) ? most - 2 : most - 1;
  return `${text.slice(0, end)}…`;
}

/** How many characters `text` has when more than `most`, else null: counted as zod's limits count them (an emoji is one). */
export function charactersPast(text: string, most: number): number | null {
  if (text.length <= most) return null;
  const count = [...text].length;
  return count > most ? count : null;
}

/** A value past its length limit, said with both numbers: "Reference is at most 200 characters (this one has 3,000)". */
export const lengthPastMessage = (label: string, most: number, count: number) =>
  `${label} is at most ${most.toLocaleString('en-US')} characters (this one has ${count.toLocaleString('en-US')})`;

/**
 * A value as written, in quotes, for a message: whole up to 100 characters, which any value meant for a field is;
 * a note pasted into a cell is cut, so that the message says what to fix rather than repeating the note.
 */
export const quoted = (text: string) => `"${cutShort(text, 100)}"`;

/**
 * How many letters a misspelt word may be off from the spelling it was meant to have: two for a word of eight letters
 * or more, one for four to seven, none under four, where a letter or two makes another word of "NPI".
 */
export function lettersOffAllowed(word: string): number {
  return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
}

/**
 * The value `written` was most likely meant to name, misspelt: of `spellings` (each a spelling and the value it
 * names), the value of the one fewest letters from it (Levenshtein, two neighbours swapped counting as one), at
 * most `allowed`: by default as the length of `written` allows (`lettersOffAllowed`), or as a function gives it for
 * each spelling. Null when none is that close,
 * when no letter is allowed, or when two different values are as close: a guess between two is not said.
 * `exactExcluded`: a spelling that is `written` exactly names nothing it was meant to be, where the caller looked it
 * up as written already.
 */
export function closestSpelling<Value>(
  written: string,
  spellings: Iterable<readonly [spelling: string, value: Value]>,
  {
    allowed = lettersOffAllowed(written),
    exactExcluded = false,
  }: { allowed?: number | ((spelling: string) => number); exactExcluded?: boolean } = {},
): Value | null {
  if (typeof allowed === 'number' && allowed < 1) return null;
  let best: { value: Value; distance: number; tied: boolean } | null = null;
  for (const [spelling, value] of spellings) {
    const most = typeof allowed === 'number' ? allowed : allowed(spelling);
    if (most < 1) continue;
    const distance = swapsTwoLetters(written, spelling) ? 1 : leven(written, spelling, { maxDistance: most + 1 });
    if (distance > most || (exactExcluded && distance === 0)) continue;
    if (!best || distance < best.distance) best = { value, distance, tied: false };
    else if (distance === best.distance && value !== best.value) best.tied = true;
  }
  return best && !best.tied ? best.value : null;
}

/** Whether two spellings differ by two neighbouring letters typed the other way round ("Frist", "First"): one slip of the fingers, where Levenshtein counts two. */
function swapsTwoLetters(written: string, spelling: string): boolean {
  if (written.length !== spelling.length) return false;
  let first = 0;
  while (first < written.length && written[first] === spelling[first]) first += 1;
  return (
    first + 1 < written.length &&
    written[first] === spelling[first + 1] &&
    written[first + 1] === spelling[first] &&
    written.slice(first + 2) === spelling.slice(first + 2)
  );
}

const isFirstHalf = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
