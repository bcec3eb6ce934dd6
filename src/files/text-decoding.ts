import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { refuseBinaryData } from './unread-formats.ts';

/**
 * The 8-bit encodings the hub reads, as Excel saves CSV: "CSV" on Windows (Windows-1252), "CSV (Macintosh)"
 * (Mac Roman) and "CSV (MS-DOS)" (code page 437 in the US, 850 in Western Europe).
 */
export type EightBitEncoding = 'windows-1252' | 'macintosh' | 'cp437' | 'cp850';

/** The text encodings the hub reads: what Excel, LibreOffice and provider systems write. */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | EightBitEncoding;

const sampleBytes = 64 * 1024;
const lf = 0x0a;
const cr = 0x0d;

/**
 * Picks the encoding from a byte order mark, else from the NULs UTF-16 has, else from whether the sample is
 * valid UTF-8; text that is not is 8-bit text, whose encoding its letters tell (`eightBitEncoding`).
 * (8-bit text is decoded line by line all the same: see `LineDecoder`.)
 */
export function detectEncoding(sample: Buffer, isWholeFile: boolean): { encoding: TextEncoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf16be', bomLength: 2 };
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  const isUtf8Text = isWholeFile ? isUtf8(sample) : wholeUtf8Length(sample) !== -1;
  return { encoding: isUtf8Text ? 'utf8' : eightBitEncoding(sample, isWholeFile), bomLength: 0 };
}

/**
 * UTF-16 saved without a byte order mark: text in Latin letters has a NUL for the high byte of nearly every
 * character (the odd bytes in little-endian, the even ones in big-endian), where 8-bit text has next to none.
 */
function utf16WithoutBom(sample: Buffer): 'utf16le' | 'utf16be' | null {
  let evenNuls = 0;
  let oddNuls = 0;
  for (let index = 0; index + 1 < sample.length; index += 2) {
    if (sample[index] === 0) evenNuls += 1;
    if (sample[index + 1] === 0) oddNuls += 1;
  }
  const characters = sample.length >> 1;
  if (oddNuls > characters / 2 && evenNuls < oddNuls / 10) return 'utf16le';
  if (evenNuls > characters / 2 && oddNuls < evenNuls / 10) return 'utf16be';
  return null;
}

/**
 * How many of the bytes are whole UTF-8 text, when all are but up to 3 at the end (bytes cut from a longer
 * text may end inside a character); -1 when they are not UTF-8.
 */
function wholeUtf8Length(bytes: Buffer): number {
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    if (isUtf8(bytes.subarray(0, bytes.length - cut))) return bytes.length - cut;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Which 8-bit encoding

/** What a character is beside a byte being weighed: a letter of a name, a digit, what parts words, or a symbol. */
type Neighbour = 'upper' | 'lower' | 'digit' | 'gap' | 'other';

type CodePage = {
  encoding: EightBitEncoding;
  /** The characters of the bytes 0x80 to 0xFF, U+FFFD for a byte the encoding leaves unassigned. */
  characters: string;
  neighbours: Neighbour[];
  /** Which of those bytes are accented letters that names have most (`commonLetters`). */
  commonLetters: boolean[];
};

/**
 * Letters of names (in Latin script), not counting ƒ (the florin sign, in these code pages), the ligatures ﬁ ﬂ,
 * which no one types in a name, and the Turkish ı, whose names these code pages do not write.
 */
function isNameLetter(character: string): boolean {
  return /[\p{Lu}\p{Ll}]/u.test(character) && /\p{Script=Latin}/u.test(character) && !'ƒﬁﬂı'.includes(character);
}

function neighbourOf(character: string): Neighbour {
  if (isNameLetter(character)) return /\p{Lu}/u.test(character) ? 'upper' : 'lower';
  if (/[0-9]/.test(character)) return 'digit';
  // Spaces, separators, quotes and dashes part words, as ASCII punctuation does.
  return character < '\u0080' || /[\p{P}\p{Zs}]/u.test(character) ? 'gap' : 'other';
}

const asciiNeighbours = Array.from({ length: 0x80 }, (_, byte) => neighbourOf(String.fromCharCode(byte)));

/** The accented letters names have most, which settle a tie between Mac Roman and a DOS code page (ö, not î). */
const commonLetters = 'éèêëàâäáíóúüöôçñãõß';

/** In the order a tie goes: Windows-1252 (today's reading), Mac Roman, then the US code page 437 before 850. */
const codePages: CodePage[] = (['windows-1252', 'macintosh', 'cp437', 'cp850'] as const).map((encoding) => {
  const characters = iconv.decode(Buffer.from(Array.from({ length: 0x80 }, (_, index) => 0x80 + index)), encoding);
  return {
    encoding,
    characters,
    neighbours: [...characters].map(neighbourOf),
    commonLetters: [...characters].map((character) => commonLetters.includes(character.toLowerCase())),
  };
});

function neighbourAt(page: CodePage, line: Buffer, at: number): Neighbour {
  if (at < 0 || at >= line.length) return 'gap';
  const byte = line[at];
  return byte < 0x80 ? asciiNeighbours[byte] : page.neighbours[byte - 0x80];
}

function isLetter(neighbour: Neighbour): boolean {
  return neighbour === 'upper' || neighbour === 'lower';
}

/** How many letters run from `at` on in `step`'s direction, up to `most`. */
function lettersFrom(page: CodePage, line: Buffer, at: number, step: 1 | -1, most: number): number {
  let letters = 0;
  while (letters < most && isLetter(neighbourAt(page, line, at + letters * step))) letters += 1;
  return letters;
}

/** An English ending after an apostrophe: Nowak’s, don’t, we’ll. */
function isClitic(page: CodePage, line: Buffer, at: number): boolean {
  const length = lettersFrom(page, line, at, 1, 3);
  let word = '';
  for (let index = at; index < at + length; index++) word += line[index] < 0x80 ? String.fromCharCode(line[index]) : page.characters[line[index] - 0x80];
  return ['s', 't', 'd', 'm', 'll', 're', 've'].includes(word.toLowerCase());
}

/**
 * How plausible a byte of 8-bit text is, read as the code page reads it, between the characters around it: 1
 * when it reads as names and notes are written (an accented letter within a word, an apostrophe within a name,
 * a dash between words), -1 when it does not (a capital after a small letter, a symbol within a word), 0 when
 * it may be either; null when the code page has no character for it.
 */
function plausibility(page: CodePage, line: Buffer, at: number): number | null {
  const character = page.characters[line[at] - 0x80];
  const before = neighbourAt(page, line, at - 1);
  const after = neighbourAt(page, line, at + 1);
  switch (character) {
    case '\uFFFD':
      return null;
    case '’':
    case '´':
    case '‘':
      // An apostrophe: O’Brien, Jones’, Nowak’s; ‘ opens a quote too.
      if (isLetter(before)) return after === 'upper' || after === 'gap' || isClitic(page, line, at + 1) ? 1 : after === 'lower' ? 0 : -1;
      return character === '‘' && before === 'gap' && after !== 'gap' ? 1 : -1;
    case '“':
    case '„':
    case '«':
      if (before === 'gap') return 1;
      // A quote opened without its space before: said“so”.
      return isLetter(before) && isLetter(after) ? 0 : -1;
    case '”':
    case '»':
      return after === 'gap' ? 1 : -1;
    case '–':
      if ((before === 'gap' && after === 'gap') || (before === 'digit' && after === 'digit')) return 1;
      return isLetter(before) && isLetter(after) ? -1 : 0;
    case '—':
      if (before === 'gap' && after === 'gap') return 1;
      if (!isLetter(before) || !isLetter(after)) return 0;
      // Words joined by a dash, as American English writes it; not a letter of a name on either side (G—mez, Ram—n).
      return lettersFrom(page, line, at - 1, -1, 2) === 2 && lettersFrom(page, line, at + 1, 1, 2) === 2 ? 1 : -1;
    case '…':
      return after === 'gap' ? 1 : -1;
    case '•':
      return before === 'gap' && after === 'gap' ? 1 : -1;
    case '\u00A0':
      // A space that does not break, as text pasted from a web page has.
      return isLetter(before) && isLetter(after) ? 0 : 1;
    case '\u00AD':
      return isLetter(before) && isLetter(after) ? 0 : -1;
    case '€':
    case '£':
      if (before === 'digit' || after === 'digit') return 1;
      return before === 'gap' && after === 'gap' ? 0 : -1;
    case '°':
    case 'º':
    case 'ª':
    case '½':
    case '¼':
    case '¾':
      return before === 'digit' ? 1 : -1;
    case '™':
    case '®':
    case '©':
      if (before !== 'gap' && after === 'gap') return 1;
      return before === 'gap' && after === 'gap' ? 0 : -1;
    case '¿':
    case '¡':
      return before === 'gap' && isLetter(after) ? 1 : -1;
  }
  const kind = neighbourAt(page, line, at);
  if (kind === 'lower') {
    if (after === 'upper') return -1;
    // Names end in é, è, ë or ê (José, Zoë), hardly in another accented letter: a DOS á there is a pasted space.
    if (isLetter(before)) return isLetter(after) || 'éèëê'.includes(character) ? 1 : 0;
    return before === 'gap' && after === 'lower' ? 0 : -1;
  }
  if (kind === 'upper') {
    // Within a word in capitals (MÜLLER, JOSÉ), not before a word's capital (OÕBrien, MŸller).
    if (before === 'upper') return after === 'lower' || (after === 'upper' && neighbourAt(page, line, at + 2) === 'lower') ? -1 : 1;
    if (before === 'gap') return isLetter(after) ? 1 : after === 'gap' ? 0 : -1;
    return -1;
  }
  return -1;
}

/**
 * The 8-bit encoding of text that is not UTF-8, as its bytes past ASCII read best: Windows-1252 unless the
 * text reads clearly better in Mac Roman or a DOS code page. Each such byte of the lines that are not UTF-8
 * (those that are are read as UTF-8) is weighed in each encoding (`plausibility`). Another encoding is taken
 * when its text is plausible on the whole (more points than not) and either Windows-1252 cannot be it (the
 * text holds a byte it leaves unassigned) or it reads at least a name's worth better (`clearMargin`).
 * Otherwise, when the bytes do not make it clear, Windows-1252 stays.
 */
function eightBitEncoding(sample: Buffer, isWholeFile: boolean): EightBitEncoding {
  const points = codePages.map(() => 0);
  const common = codePages.map(() => 0);
  const possible = codePages.map(() => true);
  const lineEnd = sample.includes(lf) ? lf : cr;
  for (let start = 0; start < sample.length; ) {
    const found = sample.indexOf(lineEnd, start);
    const end = found === -1 ? sample.length : found;
    const line = sample.subarray(start, end);
    start = end + 1;
    const cut = found === -1 && !isWholeFile;
    if (isAscii(line) || (cut ? wholeUtf8Length(line) !== -1 : isUtf8(line))) continue;
    for (let at = 0; at < line.length; at++) {
      if (line[at] < 0x80) continue;
      for (let index = 0; index < codePages.length; index++) {
        const page = codePages[index];
        const point = plausibility(page, line, at);
        if (point === null) possible[index] = false;
        else points[index] += point;
        if (point === 1 && page.commonLetters[line[at] - 0x80]) common[index] += 1;
      }
    }
  }
  let best = -1;
  for (let index = 1; index < codePages.length; index++) {
    if (!possible[index]) continue;
    if (best === -1 || points[index] > points[best] || (points[index] === points[best] && common[index] > common[best])) best = index;
  }
  if (best === -1 || points[best] <= 0) return 'windows-1252';
  return !possible[0] || points[best] - points[0] >= clearMargin ? codePages[best].encoding : 'windows-1252';
}

/** One accented letter that reads right in one encoding and wrong in the other (Renée, RenŽe). */
const clearMargin = 2;

/** Past any row's length limit: such a line is decoded as it comes rather than held whole. */
const longLineBytes = 1024 * 1024;

/**
 * Decodes 8-bit text a line at a time: a line that is valid UTF-8 is read as UTF-8, any other in the file's
 * 8-bit encoding, so that a file put together from two systems keeps the letters of both. CR and LF bytes
 * never occur inside a UTF-8 sequence and mean the same in every 8-bit encoding read, so lines are told apart
 * before they are decoded. A chunk whose whole lines are valid UTF-8 together (nearly every one) is decoded at once.
 */
class LineDecoder {
  /** The bytes after the last line end so far: a line not yet whole. */
  private partial: Buffer = Buffer.alloc(0);
  /** Null until told when the file's first 64 KB held no 8-bit line: the first chunk of lines with one tells it. */
  private eightBit: EightBitEncoding | null;

  constructor(eightBit: EightBitEncoding | null) {
    this.eightBit = eightBit;
  }

  /** The encoding of the lines that are not UTF-8; null while none has been read and the first 64 KB had none. */
  get eightBitRead(): EightBitEncoding | null {
    return this.eightBit;
  }

  /** The 8-bit encoding, told (once) from `lines` when it is not yet: all the whole lines of the chunk being read. */
  private eightBitOf(lines: () => Buffer): () => EightBitEncoding {
    return () => (this.eightBit ??= eightBitEncoding(lines(), true));
  }

  write(bytes: Buffer): string {
    const end = Math.max(bytes.lastIndexOf(lf), bytes.lastIndexOf(cr)) + 1;
    if (end === 0) {
      this.partial = Buffer.concat([this.partial, bytes]);
      return this.partial.length > longLineBytes ? this.takeLongLine() : '';
    }
    // The line begun in the last chunk is ended first, so that the rest is decoded without being copied.
    const partial = this.partial;
    const firstEnd = partial.length === 0 ? 0 : firstLineEnd(bytes) + 1;
    const eightBit = this.eightBitOf(() => Buffer.concat([partial, bytes.subarray(0, end)]));
    const text = firstEnd === 0 ? '' : decodeLines(Buffer.concat([partial, bytes.subarray(0, firstEnd)]), eightBit);
    this.partial = Buffer.from(bytes.subarray(end));
    return text + decodeLines(bytes.subarray(firstEnd, end), eightBit);
  }

  end(): string {
    const partial = this.partial;
    const text = decodeLines(partial, this.eightBitOf(() => partial));
    this.partial = Buffer.alloc(0);
    return text;
  }

  private takeLongLine(): string {
    const utf8Length = wholeUtf8Length(this.partial);
    // Its last bytes may begin a character that the next chunk ends.
    const partial = this.partial;
    const text = utf8Length === -1 ? iconv.decode(partial, this.eightBitOf(() => partial)()) : partial.toString('utf8', 0, utf8Length);
    this.partial = utf8Length === -1 ? Buffer.alloc(0) : Buffer.from(this.partial.subarray(utf8Length));
    return text;
  }
}

function firstLineEnd(bytes: Buffer): number {
  const lineFeed = bytes.indexOf(lf);
  const carriageReturn = bytes.indexOf(cr);
  if (lineFeed === -1 || carriageReturn === -1) return Math.max(lineFeed, carriageReturn);
  return Math.min(lineFeed, carriageReturn);
}

/** Whole lines, each as UTF-8 when it is valid UTF-8, else in the 8-bit encoding (asked for only then). */
function decodeLines(bytes: Buffer, eightBit: () => EightBitEncoding): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  // Lines are decoded in runs read the same way; a line of ASCII alone reads the same both ways. Lines end at
  // LF (a CR before it ends with it), or at CR in text that has no LF.
  const lineEnd = bytes.includes(lf) ? lf : cr;
  let text = '';
  let runStart = 0;
  let runIsUtf8 = true;
  for (let start = 0; start < bytes.length; ) {
    const found = bytes.indexOf(lineEnd, start);
    const end = found === -1 ? bytes.length : found + 1;
    const line = bytes.subarray(start, end);
    const staysInRun = runIsUtf8 ? isUtf8(line) : !isUtf8(line) || isAscii(line);
    if (!staysInRun) {
      text += decodeRun(bytes.subarray(runStart, start), runIsUtf8, eightBit);
      runStart = start;
      runIsUtf8 = !runIsUtf8;
    }
    start = end;
  }
  return text + decodeRun(bytes.subarray(runStart), runIsUtf8, eightBit);
}

function decodeRun(run: Buffer, isUtf8Run: boolean, eightBit: () => EightBitEncoding): string {
  return isUtf8Run ? run.toString('utf8') : iconv.decode(run, eightBit());
}

export type ChunkDecoder = { write(bytes: Buffer): string; end(): string | undefined };

/**
 * UTF-16 text as iconv decodes it, made of whole characters: a pair split between two chunks is held until it is
 * joined, and half of one alone (which UTF-16 files may hold, and no database stores) is the replacement character.
 */
export function wholeCharacters(decoder: ChunkDecoder): ChunkDecoder {
  let held = '';
  return {
    write(bytes) {
      const text = held + decoder.write(bytes);
      const endsInFirstHalf = /[\uD800-\uDBFF]$/.test(text);
      held = endsInFirstHalf ? text.slice(-1) : '';
      return (endsInFirstHalf ? text.slice(0, -1) : text).toWellFormed();
    },
    end() {
      const text = held + (decoder.end() ?? '');
      held = '';
      return text.toWellFormed();
    },
  };
}

/** A NUL is never text (a stray byte, or UTF-16 read as 8-bit), and PostgreSQL refuses to store one. */
function withoutNuls(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}

export type DecodedText = {
  /**
   * As the first 64 KB show it. A line of 8-bit text is read as UTF-8 when it is valid UTF-8 whatever this says,
   * any other in this 8-bit encoding; when this says UTF-8, in the one the first chunk of the file's lines with an
   * 8-bit line reads best in (`eightBitEncoding`).
   */
  encoding: TextEncoding;
  /** The first chunk of text, already decoded, for sniffing delimiters or declarations. */
  sample: string;
  /**
   * When the first 64 KB are UTF-8 (or ASCII) and a line read since is not: the 8-bit encoding such lines are read
   * in; null until then.
   */
  readonly eightBitLater: EightBitEncoding | null;
  chunks: AsyncIterable<string>;
  /** The bytes decoded so far (the BOM among them): those of the chunks handed out. */
  readonly bytesTaken: number;
};

/**
 * Decodes a byte stream to text, choosing the encoding from its first 64 KB (8-bit text line by line); the BOM
 * and any NUL are dropped.
 */
export async function decodeText(bytes: AsyncIterable<Buffer>): Promise<DecodedText> {
  const iterator = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < sampleBytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headLength += next.value.length;
  }
  const headBuffer = Buffer.concat(head);
  const { encoding, bomLength } = detectEncoding(headBuffer, ended);
  const utf16 = encoding === 'utf16le' || encoding === 'utf16be';
  if (!utf16) refuseBinaryData(headBuffer);
  const lineDecoder = utf16 ? null : new LineDecoder(encoding === 'utf8' ? null : encoding);
  const decoder: ChunkDecoder = lineDecoder ?? wholeCharacters(iconv.getDecoder(encoding));
  // A sample holds whole lines: the last is held back until its end is read, unless the file ends there.
  const sample = withoutNuls(decoder.write(headBuffer.subarray(bomLength)) + (ended ? (decoder.end() ?? '') : ''));
  let bytesTaken = headLength;

  async function* rest(): AsyncGenerator<string> {
    try {
      if (sample) yield sample;
      if (!ended) {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          bytesTaken += next.value.length;
          const text = withoutNuls(decoder.write(next.value));
          if (text) yield text;
        }
        const tail = withoutNuls(decoder.end() ?? '');
        if (tail) yield tail;
      }
    } finally {
      // Stopping early must release the file behind the stream.
      await iterator.return?.();
    }
  }
  return {
    encoding,
    sample,
    chunks: rest(),
    get eightBitLater() {
      return encoding === 'utf8' ? (lineDecoder?.eightBitRead ?? null) : null;
    },
    get bytesTaken() {
      return bytesTaken;
    },
  };
}
