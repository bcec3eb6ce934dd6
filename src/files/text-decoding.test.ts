import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from './text-decoding.ts';

/** The bytes in pieces of the given sizes, in turn, as a file is read: cut anywhere, even inside a character. */
async function decodeAll(bytes: Buffer, pieceSizes: number[] = [64 * 1024]) {
  async function* pieces() {
    for (let at = 0, turn = 0; at < bytes.length; turn++) {
      const size = pieceSizes[turn % pieceSizes.length];
      yield bytes.subarray(at, at + size);
      at += size;
    }
  }
  const decoded = await decodeText(pieces());
  let text = '';
  for await (const chunk of decoded.chunks) text += chunk;
  return { encoding: decoded.encoding, sample: decoded.sample, text };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const windows1252 = (text: string) => iconv.encode(text, 'windows-1252');
const asciiRows = (count: number) => Array.from({ length: count }, (_, index) => `R${index},Ascii,Row,${'x'.repeat(60)}\r\n`).join('');

describe('decoding CSV text', () => {
  it('reads each line as UTF-8 when it is valid UTF-8, else as Windows-1252, wherever the pieces are cut', async () => {
    const bytes = Buffer.concat([utf8('Reference,First,Last\r\nM1,José,Muñoz\r\n'), windows1252('M2,Zoë,Brontë\r\n'), utf8('M3,Łucja,Nowak’s\r\nM4,Ann,Lee')]);
    for (const pieceSizes of [[1], [2, 3], [5, 7, 11], [1000]]) {
      expect(await decodeAll(bytes, pieceSizes)).toMatchObject({
        encoding: 'windows-1252',
        text: 'Reference,First,Last\r\nM1,José,Muñoz\r\nM2,Zoë,Brontë\r\nM3,Łucja,Nowak’s\r\nM4,Ann,Lee',
      });
    }
  });

  it('reads a Windows-1252 line after the first 64 KB of a UTF-8 file, and a UTF-8 line after those of a Windows-1252 one', async () => {
    const late1252 = await decodeAll(Buffer.concat([utf8(asciiRows(1100)), windows1252('Z,Zoë,Muñoz\r\n')]));
    expect(late1252.encoding).toBe('utf8');
    expect(late1252.text.endsWith('Z,Zoë,Muñoz\r\n')).toBe(true);
    expect(late1252.text).not.toContain('\uFFFD');

    const lateUtf8 = await decodeAll(Buffer.concat([windows1252(`A,René,Peña\r\n${asciiRows(1100)}`), utf8('B,José,Muñoz\r\n')]));
    expect(lateUtf8.encoding).toBe('windows-1252');
    expect(lateUtf8.text.startsWith('A,René,Peña\r\n')).toBe(true);
    expect(lateUtf8.text.endsWith('B,José,Muñoz\r\n')).toBe(true);
  });

  it('tells lines apart by CR alone too, and drops a UTF-8 byte order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('First\rJosé\r'), windows1252('Zoë\r'), utf8('Łucja')]);
    expect(await decodeAll(bytes, [3])).toMatchObject({ encoding: 'utf8', text: 'First\rJosé\rZoë\rŁucja' });
  });

  it('reads a line longer than any row may be, UTF-8 or not, however it is cut', async () => {
    const long = 'é日'.repeat(700_000);
    expect((await decodeAll(utf8(`Name\n${long}`), [4099])).text).toBe(`Name\n${long}`);
    const long1252 = 'Zoë'.repeat(500_000);
    expect((await decodeAll(windows1252(`Name\n${long1252}`), [4099])).text).toBe(`Name\n${long1252}`);
  });

  it('reads UTF-16 without a byte order mark, told by the NULs of its Latin letters', async () => {
    const text = 'Reference\tFirst name\tLast name\r\nE1\tJosé\tMuñoz\r\nE3\tFrançois\tO’Neil\r\n';
    expect(await decodeAll(iconv.encode(text, 'utf16le'), [7])).toMatchObject({ encoding: 'utf16le', text });
    expect(await decodeAll(iconv.encode(text, 'utf16be'), [7])).toMatchObject({ encoding: 'utf16be', text });
    // A stray NUL in 8-bit text is no sign of UTF-16.
    expect((await decodeAll(utf8('First,Last\nAnn,Nu\0ll\nBen,Ok\n'))).encoding).toBe('utf8');
  });

  it('reads UTF-16 in whole characters: an emoji cut between pieces is joined, half of one alone is the replacement character', async () => {
    const text = 'First\tLast\r\nAnn\tLee😀\r\nBo\tChan😀😀\r\n';
    for (const pieceSizes of [[1], [3], [7], [1000]]) {
      expect((await decodeAll(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]), pieceSizes)).text, String(pieceSizes)).toBe(text);
    }
    // Half an emoji, as a program that cut one in two wrote it.
    const half = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('First\tLast\r\nAnn\tLee', 'utf16le'), Buffer.from([0x3d, 0xd8]), iconv.encode('\r\n', 'utf16le')]);
    for (const pieceSizes of [[1], [5], [1000]]) {
      expect((await decodeAll(half, pieceSizes)).text, String(pieceSizes)).toBe('First\tLast\r\nAnn\tLee\uFFFD\r\n');
    }
  });

  it('drops NUL characters, which are never text, whatever the encoding', async () => {
    expect((await decodeAll(utf8('First,Last\nAnn,Nu\0ll\n\0'), [3])).text).toBe('First,Last\nAnn,Null\n');
    expect((await decodeAll(windows1252('First,Last\nZoë,Nu\0ll\n'))).text).toBe('First,Last\nZoë,Null\n');
    expect((await decodeAll(iconv.encode('\uFEFFFirst\tLast\r\nAnn\tNu\0ll\r\n', 'utf16le'))).text).toBe('First\tLast\r\nAnn\tNull\r\n');
  });

  it('refuses bytes that are no text, saying so, and reads text with a few stray control codes', async () => {
    // The same random bytes every run: a file of no known kind picked by mistake (an executable, a video, a database).
    let seed = 7;
    const binary = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 23));
    await expect(decodeAll(binary)).rejects.toMatchObject({ status: 415, message: expect.stringMatching(/^The file is not text, nor a workbook or any other file the hub reads.*Check that you picked the right file/) });
    const strays = `First,Last\r\n${'Ann,Lee\x01\r\n'.repeat(3)}${asciiRows(10)}\x1a`;
    expect((await decodeAll(windows1252(strays))).text).toBe(strays);
    // UTF-16 is text, though half its bytes are NULs and some are control codes.
    const utf16 = iconv.encode('\uFEFFFirst\tLast\r\n' + 'Ann\tĀčēĔ\r\n'.repeat(50), 'utf16le');
    expect((await decodeAll(utf16)).encoding).toBe('utf16le');
  });

  // As Excel saves "CSV (Macintosh)" (CR line ends) and "CSV (MS-DOS)" (code page 437 in the US, 850 in Western Europe).
  const macRoman = (text: string) => iconv.encode(text, 'macintosh');
  const dos = (text: string, codePage: 'cp437' | 'cp850') => iconv.encode(text, codePage);

  it('reads a file saved as "CSV (Macintosh)" in Mac Roman, the letters of its names told from those of Windows-1252', async () => {
    const names = 'Reference,First name,Last name\rM1,Renée,Lefèvre\rM2,Jürgen,Müller\rM3,José,Muñoz\rM4,João,Gonçalves\rM5,Siobhán,O’Brien\r';
    expect(await decodeAll(macRoman(names), [5, 7])).toEqual({ encoding: 'macintosh', sample: names, text: names });
    // One name says it: read as Windows-1252 it would be "RenŽe", a capital within the word.
    expect(await decodeAll(macRoman('First,Last\rRenée,Dubois\r'))).toMatchObject({ encoding: 'macintosh', text: 'First,Last\rRenée,Dubois\r' });
    expect(await decodeAll(macRoman('First,Last\rAna,Gómez\rCarlos,Muñoz\r'))).toMatchObject({ encoding: 'macintosh', text: 'First,Last\rAna,Gómez\rCarlos,Muñoz\r' });
  });

  it('reads a file saved as "CSV (MS-DOS)" in code page 437, or 850 when its letters are only there', async () => {
    const us = 'Reference,First name,Last name\r\nD1,José,Muñoz\r\nD2,François,Côté\r\nD3,Jürgen,Müller\r\nD4,Raúl,Ibáñez\r\n';
    expect(await decodeAll(dos(us, 'cp437'), [3])).toMatchObject({ encoding: 'cp437', text: us });
    // ü is 0x81, which Windows-1252 leaves unassigned: "M�ller".
    expect(await decodeAll(dos('First,Last\nAnna,Müller\n', 'cp437'))).toMatchObject({ encoding: 'cp437', text: 'First,Last\nAnna,Müller\n' });
    const western = 'Reference,First name,Last name\r\nD1,João,Simões\r\nD2,Søren,Ødegård\r\nD3,Ángel,Núñez\r\n';
    expect(await decodeAll(dos(western, 'cp850'))).toMatchObject({ encoding: 'cp850', text: western });
  });

  it('keeps Windows-1252 for its own letters and marks, and where the bytes could be either', async () => {
    const czechAndQuotes =
      'Reference,First name,Last name,Notes\r\nW1,Tomáš,Novák,\r\nW2,Lukáš,Šimek,\r\nW3,Zuzana,Žáková,\r\nW4,Seán,O’Brien,Said “fine” – late…\r\nW5,Ann,Lee,Part 2 — online\r\n';
    expect(await decodeAll(windows1252(czechAndQuotes))).toMatchObject({ encoding: 'windows-1252', text: czechAndQuotes });
    for (const text of [
      'First,Last\r\nMary,O’Neil\r\nJo,Nowak’s\r\n',
      // Spaces that do not break, as pasted from a web page: "Lee\u00A0" is not "Leeá" in code page 437.
      'First,Last,Notes\r\nAnn,Lee\u00A0,\r\nMaria,de\u00A0la Cruz,\r\nBo,Ray,said“so”\r\n',
      // š between small letters is ö in Mac Roman (Kaöpar): nothing tells which, so Windows-1252 stays.
      'First,Last\r\nPetr,Kašpar\r\n',
    ]) {
      expect(await decodeAll(windows1252(text))).toMatchObject({ encoding: 'windows-1252', text });
    }
  });

  it('reads each line that is UTF-8 as UTF-8 in a Mac Roman file, and its lines past the first 64 KB in Mac Roman', async () => {
    const bytes = Buffer.concat([macRoman(`R1,Renée,Lefèvre\r\n${asciiRows(1100)}`), utf8('R2,Zoë,Brontë\r\n'), macRoman('R3,Jürgen,Müller\r\n')]);
    const decoded = await decodeAll(bytes, [4099]);
    expect(decoded.encoding).toBe('macintosh');
    expect(decoded.text.startsWith('R1,Renée,Lefèvre\r\n')).toBe(true);
    expect(decoded.text.endsWith('R2,Zoë,Brontë\r\nR3,Jürgen,Müller\r\n')).toBe(true);
  });

  it('reads a file whose first 64 KB are plain ASCII in the encoding its first 8-bit lines read best in, however it is cut', async () => {
    // A list sorted by name, its accented names all past the first 1,100 rows.
    const late = `R2,Renée,Lefèvre\r\nR3,Jürgen,Müller\r\n`;
    for (const [encode, encoding] of [[macRoman, 'macintosh'], [(text: string) => dos(text, 'cp850'), 'cp850'], [windows1252, 'windows-1252']] as const) {
      for (const pieces of [[64 * 1024], [4099], [3]]) {
        const decoded = await decodeAll(Buffer.concat([utf8(asciiRows(1100)), encode(late), utf8('R4,Ann,Lee\r\n')]), pieces);
        expect(decoded.text.endsWith(`${late}R4,Ann,Lee\r\n`), `${encoding} in pieces of ${pieces[0]}`).toBe(true);
      }
    }
    // The line cut by the end of the first 64 KB is weighed with the lines read after it, not alone: Schröder alone
    // reads as a name in Windows-1252 too (Schršder); Renée on the next line does not (RenŽe).
    const start = 'R1,Hans,Schr';
    const filler = `${'x'.repeat(64 * 1024 - start.length - 2)}\r\n`;
    const cut = await decodeAll(Buffer.concat([utf8(filler), macRoman(`${start}öder\r\nR2,Renée,Dubois\r\n`)]), [64 * 1024]);
    expect(cut.text.slice(filler.length)).toBe('R1,Hans,Schröder\r\nR2,Renée,Dubois\r\n');
    // A line longer than any row, past the first 64 KB, is read in the encoding it reads best in too.
    const long = await decodeAll(Buffer.concat([utf8(asciiRows(1100)), macRoman(`R2,Renée,${'Lefèvre '.repeat(200_000)}\r\n`)]), [64 * 1024]);
    expect(long.text.slice(-40)).toBe(`${'Lefèvre '.repeat(200_000)}\r\n`.slice(-40));
    expect(long.text).toContain('R2,Renée,Lefèvre Lefèvre');
  });

  it('gives whole lines for a sample, and the last line too when the file ends there', async () => {
    const start = await decodeAll(Buffer.concat([utf8(asciiRows(1000)), utf8('Last,Line')]), [70_000]);
    expect(start.sample.endsWith('\r\n')).toBe(true);
    expect(start.text.endsWith('Last,Line')).toBe(true);
    expect((await decodeAll(utf8('First;Last'))).sample).toBe('First;Last');
  });
});
