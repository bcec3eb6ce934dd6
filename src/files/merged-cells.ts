import type { Readable } from 'node:stream';

/** Cells merged into one on a sheet: the value is the first row's, shown over every row down to the last. */
export type MergedRange = { column: number; firstRow: number; lastRow: number };

/**
 * Past this many merges spanning rows, the rest are not filled in (a sheet filled in by hand has a few
 * dozen); the rows under them are read as they are, their empty cells said to be missing.
 */
export const mostMergesFilled = 100_000;

const marker = 'mergeCell';
const mergeTag = /<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([A-Za-z]{1,3})(\d{1,7}):([A-Za-z]{1,3})(\d{1,7})["'][^>]*>/g;
/** Longest unfinished tag carried from one piece of the sheet to the next; a merge's tag is far shorter. */
const mostCarried = 512;

/**
 * The merges of a worksheet that span more than one row. A sheet lists its merges after all its rows, so
 * the whole part is unpacked, but only pieces holding a merge's tag are read as text: `<` in a cell's text
 * is always written `&lt;`, so a tag found is markup.
 */
export async function mergedRanges(sheetXml: Readable): Promise<MergedRange[]> {
  const ranges: MergedRange[] = [];
  let carried = '';
  for await (const piece of sheetXml as AsyncIterable<Buffer>) {
    const withMerge = piece.indexOf(marker) >= 0 || (carried !== '' && (carried + piece.toString('latin1', 0, marker.length)).includes(marker));
    if (!withMerge) {
      carried = unfinishedTag(carried, piece);
      continue;
    }
    const text = carried + piece.toString('latin1');
    let end = 0;
    for (const match of text.matchAll(mergeTag)) {
      end = (match.index ?? 0) + match[0].length;
      const range = spanningRows(match);
      if (range && ranges.length < mostMergesFilled) ranges.push(range);
    }
    const rest = text.slice(end);
    const open = rest.lastIndexOf('<');
    carried = open >= 0 && !rest.includes('>', open) && rest.length - open <= mostCarried ? rest.slice(open) : '';
  }
  return ranges.sort((a, b) => a.firstRow - b.firstRow);
}

/** The tag the sheet is in the middle of after this piece, if any: it may have begun pieces before. */
function unfinishedTag(carried: string, piece: Buffer): string {
  const open = piece.lastIndexOf('<');
  if (open < 0) return carried !== '' && piece.indexOf('>') < 0 && carried.length + piece.length <= mostCarried ? carried + piece.toString('latin1') : '';
  if (piece.length - open > mostCarried || piece.indexOf('>', open) >= 0) return '';
  return piece.toString('latin1', open);
}

function spanningRows(match: RegExpMatchArray): MergedRange | null {
  const [firstColumn, firstRow, , lastRow] = [columnIndex(match[1]), Number(match[2]), columnIndex(match[3]), Number(match[4])];
  if (lastRow <= firstRow) return null;
  return { column: firstColumn, firstRow, lastRow };
}

/** "A" is 0, "Z" 25, "AA" 26. */
function columnIndex(letters: string): number {
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

/**
 * Fills each row's empty cell under a merge with the value of the merge's first row, as the sheet shows it,
 * for rows below the header row only (a title merged over the header's rows is no value).
 */
export function mergedCellsFiller(ranges: readonly MergedRange[], headerRow: number): (rowNumber: number, cells: string[]) => void {
  const below = ranges.filter((range) => range.firstRow > headerRow);
  let next = 0;
  let open: { range: MergedRange; value: string | undefined }[] = [];
  return (rowNumber, cells) => {
    if (below.length === 0) return;
    open = open.filter(({ range }) => range.lastRow >= rowNumber);
    while (next < below.length && below[next].firstRow <= rowNumber) {
      const range = below[next];
      next += 1;
      // A merge whose first row was skipped (blank) has no value to give.
      open.push({ range, value: range.firstRow === rowNumber ? cells[range.column] : undefined });
    }
    for (const { range, value } of open) {
      if (range.firstRow < rowNumber && value !== undefined && value !== '' && (cells[range.column] ?? '') === '') cells[range.column] = value;
    }
  };
}
