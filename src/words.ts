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

const isFirstHalf = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
