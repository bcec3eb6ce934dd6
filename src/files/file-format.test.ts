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
    const archives: [number[], string][] = [
      [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4], '7-Zip, .7z'],
      [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 1, 0], 'RAR, .rar'],
      [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 4], 'xz, .xz'],
      [[0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x1f], 'Zstandard, .zst'],
      [[...Buffer.from('BZh91AY&SY'), 0x4e, 0xec], 'bzip2, .bz2'],
    ];
    for (const [bytes, kind] of archives) {
      expect(() => detectTabularFormat({ fileName: 'completions.csv', contentType: 'text/csv', head: Buffer.from(bytes) })).toThrow(
        `The file is compressed (${kind}), and the hub reads files only uncompressed. Extract it with your archive program and send the file inside.`,
      );
    }
    // Named by the sender as CSV, it is still compressed; a format named is taken for any other file.
    expect(() => detectTabularFormat({ declared: 'csv', fileName: 'activities.csv', contentType: 'text/csv', head: gzipSync(csv) })).toThrow('compressed (gzip, .gz)');
    expect(detectTabularFormat({ declared: 'xlsx', fileName: 'activities', contentType: null, head: csv })).toBe('xlsx');
    // A CSV file whose first heading begins as bzip2's mark does is a CSV file.
    expect(detectTabularFormat({ fileName: 'completions.csv', contentType: 'text/csv', head: Buffer.from('BZh9 code,First name\r\n') })).toBe('csv');
  });

  it('refuses a photo or scan of a sheet, a web page or an XML Spreadsheet 2003 exported "to Excel" and an Access database, whatever they are called, saying what to send', () => {
    const refusal = (head: Buffer, fileName: string) => {
      try {
        detectTabularFormat({ fileName, contentType: 'application/vnd.ms-excel', head });
      } catch (error) {
        return error;
      }
      return null;
    };
    const pictures: [Buffer, string][] = [
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'a PNG picture'],
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]), 'a JPEG photo'],
      [Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]), 'a HEIC photo, as iPhones take'],
      [Buffer.from('II*\0\x08\0\0\0', 'latin1'), 'a TIFF picture, as scanners write'],
    ];
    for (const [head, kind] of pictures) {
      for (const fileName of ['sign-in.csv', 'IMG_2041.jpg']) {
        expect(refusal(head, fileName)).toMatchObject({ status: 415, message: expect.stringMatching(new RegExp(`^The file is ${kind}: a photo or scan of a sign-in sheet.*Type its learners into the template`)) });
      }
    }
    for (const page of ['<!DOCTYPE html>\n<html><body><table>', '\ufeff  <html lang="en">', '<TABLE border=1><TR><TD>Reference</TD>', '<meta http-equiv="Content-Type" content="text/html">']) {
      expect(refusal(Buffer.from(page), 'Completions_Export.xls')).toMatchObject({ status: 415, message: expect.stringMatching(/^The file is a web page \(HTML\), as some systems write when they "export to Excel".*save it as an Excel Workbook \(\.xlsx\) or as CSV/) });
    }
    // An "XML Spreadsheet 2003", under an Excel name or an XML one, with or without its processing instruction.
    const spreadsheets = [
      '<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
      '\ufeff<?xml version="1.0" encoding="UTF-8"?><ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">',
    ];
    for (const spreadsheet of spreadsheets) {
      for (const fileName of ['Completions_Export.xls', 'completions.xml']) {
        expect(refusal(Buffer.from(spreadsheet), fileName)).toMatchObject({ status: 415, message: expect.stringMatching(/^The file is an Excel "XML Spreadsheet 2003".*save it as an Excel Workbook \(\.xlsx\) or as CSV/) });
      }
    }
    // A MedBiquitous document is no spreadsheet.
    expect(refusal(Buffer.from('<?xml version="1.0"?><ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/">'), 'completions.xml')).toBeNull();
    const access = Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.from('Standard ACE DB\0', 'latin1')]);
    expect(refusal(access, 'attendance.accdb')).toMatchObject({ status: 415, message: expect.stringMatching(/^The file is a Microsoft Access database.*export the table or query of completions to Excel/) });
    // A CSV file whose first heading only looks like a tag is a CSV file.
    expect(refusal(Buffer.from('<Reference>,First name\r\nR-1,Ann\r\n'), 'export.csv')).toBeNull();
    expect(refusal(Buffer.from('BMI,GIF,Name\r\n'), 'export.csv')).toBeNull();
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
