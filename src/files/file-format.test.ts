import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.ts';
import { detectTabularFormat, peekFirstChunk } from './file-format.ts';

const legacyExcel = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const zip = Buffer.from('PK\u0003\u0004rest of the archive');
const csv = Buffer.from('First name,Last name\r\nAnn,Lee\r\n');

describe('telling a workbook from a CSV file', () => {
  it('takes an Excel 97-2003 file or one saved with a password for a workbook, whatever it is called, for the workbook reader to refuse', () => {
    for (const fileName of ['roster.xls', 'roster.xlsx', 'roster.csv', null]) {
      expect(detectTabularFormat({ fileName, contentType: 'text/csv', head: legacyExcel })).toBe('xlsx');
    }
  });

  it('refuses a compressed file, saying to send it uncompressed', () => {
    const gzipped = gzipSync(csv);
    for (const fileName of ['completions.csv.gz', 'completions.csv', null]) {
      let refused: unknown;
      try {
        detectTabularFormat({ fileName, contentType: 'text/csv', head: gzipped });
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ status: 415, message: expect.stringContaining('compressed (gzip') });
      expect((refused as Error).message).toContain('send the file inside');
    }
  });

  it('goes by the bytes before the name: a workbook saved as .csv is read as a workbook', () => {
    expect(detectTabularFormat({ fileName: 'export.csv', contentType: 'text/csv', head: zip })).toBe('xlsx');
    expect(detectTabularFormat({ fileName: 'export.csv', contentType: 'text/csv', head: csv })).toBe('csv');
  });

  it('takes the name or the content type of a workbook at its word, so that a damaged one is called a damaged workbook', () => {
    expect(detectTabularFormat({ fileName: 'Roster.XLSX', contentType: undefined, head: csv })).toBe('xlsx');
    expect(
      detectTabularFormat({ fileName: null, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; charset=binary', head: csv }),
    ).toBe('xlsx');
    expect(detectTabularFormat({ fileName: null, contentType: 'application/octet-stream', head: csv })).toBe('csv');
  });

  it('gives back every byte of the stream after looking at its first chunk', async () => {
    const { first, stream } = await peekFirstChunk(Readable.from([Buffer.from('Reference,'), Buffer.from('NPI\r\n'), Buffer.from('R-1,1234567893\r\n')]));
    expect(first?.toString()).toBe('Reference,');
    expect(await text(stream)).toBe('Reference,NPI\r\nR-1,1234567893\r\n');
    expect((await peekFirstChunk(Readable.from([]))).first).toBeNull();
  });
});
