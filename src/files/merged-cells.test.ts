import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mergedCellsFiller, mergedRanges } from './merged-cells.ts';

const inPieces = (xml: string, size: number) => Readable.from(Array.from({ length: Math.ceil(xml.length / size) }, (_, index) => Buffer.from(xml.slice(index * size, (index + 1) * size))));

describe('the merges of a sheet', () => {
  const rows = Array.from({ length: 200 }, (_, index) => `<row r="${index + 1}"><c r="A${index + 1}" t="inlineStr"><is><t>&lt;mergeCell ref="A1:A9"/&gt; ${index}</t></is></c></row>`).join('');
  const xml = `<x:worksheet xmlns:x="main"><x:sheetData>${rows}</x:sheetData><x:mergeCells count="3"><x:mergeCell ref="B5:B9"/><x:mergeCell ref="A1:E1"/><x:mergeCell ref="AA12:AB20" xr:uid="{1}"/></x:mergeCells></x:worksheet>`;

  it.each([7, 64, 1000, xml.length])('finds the merges spanning rows however the sheet is cut into pieces (%i bytes), and none in a cell\'s text', async (size) => {
    expect(await mergedRanges(inPieces(xml, size))).toEqual([
      { column: 1, firstRow: 5, lastRow: 9 },
      { column: 26, firstRow: 12, lastRow: 20 },
    ]);
  });

  it('fills an empty cell under a merge below the header with the merge\'s first value, and leaves a cell with its own value', () => {
    const fill = mergedCellsFiller(
      [
        { column: 0, firstRow: 1, lastRow: 4 },
        { column: 1, firstRow: 3, lastRow: 5 },
      ],
      2,
    );
    const sheet = [
      [3, ['', 'June']],
      [4, ['', '']],
      [5, ['', 'July']],
      [6, ['', '']],
    ] as const;
    const filled = sheet.map(([rowNumber, cells]) => {
      const copy = [...cells];
      fill(rowNumber, copy);
      return copy;
    });
    expect(filled).toEqual([
      ['', 'June'],
      ['', 'June'],
      ['', 'July'],
      ['', ''],
    ]);
  });
});
