import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** The text encodings the hub reads: what Excel, LibreOffice and provider systems write. */
export type TextEncoding = 'utf8' | 'windows-1252' | 'utf16le' | 'utf16be';

const sampleBytes = 64 * 1024;

/**
 * Picks the encoding from a byte order mark, else from the NULs UTF-16 has, else from whether the sample is
 * valid UTF-8: text that is not is taken as Windows-1252, which is what Excel writes for "CSV" on Windows.
 * (8-bit text is decoded line by line all the same: see `LineDecoder`.)
 */
export function detectEncoding(sample: Buffer, isWholeFile: boolean): { encoding: TextEncoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf16be', bomLength: 2 };
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  const isUtf8Text = isWholeFile ? isUtf8(sample) : wholeUtf8Length(sample) !== -1;
  return { encoding: isUtf8Text ? 'utf8' : 'windows-1252', bomLength: 0 };
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

const lf = 0x0a;
const cr = 0x0d;
/** Past any row's length limit: such a line is decoded as it comes rather than held whole. */
const longLineBytes = 1024 * 1024;

/**
 * Decodes 8-bit text a line at a time: a line that is valid UTF-8 is read as UTF-8, any other as
 * Windows-1252, so that a file put together from two systems keeps the letters of both. CR and LF bytes
 * never occur inside a UTF-8 sequence and mean the same in Windows-1252, so lines are told apart before
 * they are decoded. A chunk whose whole lines are valid UTF-8 together (nearly every one) is decoded at once.
 */
class LineDecoder {
  /** The bytes after the last line end so far: a line not yet whole. */
  private partial: Buffer = Buffer.alloc(0);

  write(bytes: Buffer): string {
    const end = Math.max(bytes.lastIndexOf(lf), bytes.lastIndexOf(cr)) + 1;
    if (end === 0) {
      this.partial = Buffer.concat([this.partial, bytes]);
      return this.partial.length > longLineBytes ? this.takeLongLine() : '';
    }
    // The line begun in the last chunk is ended first, so that the rest is decoded without being copied.
    const firstEnd = this.partial.length === 0 ? 0 : firstLineEnd(bytes) + 1;
    const text = firstEnd === 0 ? '' : decodeLines(Buffer.concat([this.partial, bytes.subarray(0, firstEnd)]));
    this.partial = Buffer.from(bytes.subarray(end));
    return text + decodeLines(bytes.subarray(firstEnd, end));
  }

  end(): string {
    const text = decodeLines(this.partial);
    this.partial = Buffer.alloc(0);
    return text;
  }

  private takeLongLine(): string {
    const utf8Length = wholeUtf8Length(this.partial);
    // Its last bytes may begin a character that the next chunk ends.
    const text = utf8Length === -1 ? iconv.decode(this.partial, 'windows-1252') : this.partial.toString('utf8', 0, utf8Length);
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

/** Whole lines, each as UTF-8 when it is valid UTF-8, else as Windows-1252. */
function decodeLines(bytes: Buffer): string {
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
      text += decodeRun(bytes.subarray(runStart, start), runIsUtf8);
      runStart = start;
      runIsUtf8 = !runIsUtf8;
    }
    start = end;
  }
  return text + decodeRun(bytes.subarray(runStart), runIsUtf8);
}

function decodeRun(bytes: Buffer, isUtf8Run: boolean): string {
  return isUtf8Run ? bytes.toString('utf8') : iconv.decode(bytes, 'windows-1252');
}

/** A NUL is never text (a stray byte, or UTF-16 read as 8-bit), and PostgreSQL refuses to store one. */
function withoutNuls(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}

export type DecodedText = {
  /** As the first 64 KB show it; a line of 8-bit text is read as UTF-8 or Windows-1252 whatever this says. */
  encoding: TextEncoding;
  /** The first chunk of text, already decoded, for sniffing delimiters or declarations. */
  sample: string;
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
  const decoder: { write(bytes: Buffer): string; end(): string | undefined } =
    encoding === 'utf16le' || encoding === 'utf16be' ? iconv.getDecoder(encoding) : new LineDecoder();
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
    get bytesTaken() {
      return bytesTaken;
    },
  };
}
