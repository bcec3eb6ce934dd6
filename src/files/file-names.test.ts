import { describe, expect, it } from 'vitest';
import { attachmentHeader, downloadName, sentFileName } from './file-names.ts';

describe('file names', () => {
  it('keeps a sent name without control characters, of whole characters, at most 255', () => {
    expect(sentFileName('a\u0000b.csv')).toBe('a b.csv');
    expect(sentFileName('year end\r\nX-Other: 1.csv')).toBe('year end X-Other: 1.csv');
    expect(sentFileName('Lee\ud83d.csv')).toBe('Lee\ufffd.csv');
    expect(sentFileName('😀'.repeat(300))).toBe('😀'.repeat(255));
    expect(sentFileName('  ')).toBeNull();
    expect(sentFileName(undefined)).toBeNull();
  });

  it('names a download after the file sent, in any language, without what a file system refuses', () => {
    expect(downloadName('receipt', 'Übersicht März.xlsx', '1a2b3c4d')).toBe('receipt-Übersicht_März-1a2b3c4d');
    expect(downloadName('receipt', '../../etc/passwd.csv')).toBe('receipt-etc_passwd');
    expect(downloadName('receipt', 'rapport "final".csv')).toBe('receipt-rapport_final');
    expect(downloadName('receipt', null, 'abc')).toBe('receipt-abc');
    expect(downloadName('receipt', `${'𝒜'.repeat(100)}.csv`)).toBe(`receipt-${'𝒜'.repeat(60)}`);
    expect(downloadName('receipt', '😀.csv')).toBe('receipt');
  });

  it('says a name that is not ASCII in UTF-8 beside an ASCII one, for every client', () => {
    expect(attachmentHeader('receipt-march.csv')).toBe('attachment; filename="receipt-march.csv"');
    expect(attachmentHeader('receipt-Übersicht_März.csv')).toBe(
      'attachment; filename="receipt-Ubersicht_Marz.csv"; filename*=UTF-8\'\'receipt-%C3%9Cbersicht_M%C3%A4rz.csv',
    );
    expect(attachmentHeader('receipt-日本.csv')).toBe('attachment; filename="receipt-__.csv"; filename*=UTF-8\'\'receipt-%E6%97%A5%E6%9C%AC.csv');
  });
});
