import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** The text encodings the hub reads: what Excel, LibreOffice and provider systems write. */
export type TextEncoding = 'utf8' | 'windows-1252' | 'utf16le' | 'utf16be';

const sampleBytes = 64 * 1024;

/**
 * Picks the encoding from a byte order mark, else from whether the sample is valid UTF-8: text
 * that is not is taken as Windows-1252, which is what Excel writes for "CSV" on Windows.
 */
export function detectEncoding(sample: Buffer, isWholeFile: boolean): { encoding: TextEncoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf16be', bomLength: 2 };
  return { encoding: isUtf8Prefix(sample, isWholeFile) ? 'utf8' : 'windows-1252', bomLength: 0 };
}

/** A sample cut from a longer file may end inside a multi-byte character; forgive up to 3 trailing bytes. */
function isUtf8Prefix(sample: Buffer, isWholeFile: boolean): boolean {
  if (isUtf8(sample)) return true;
  if (isWholeFile) return false;
  for (let cut = 1; cut <= 3 && cut < sample.length; cut++) {
    if (isUtf8(sample.subarray(0, sample.length - cut))) return true;
  }
  return false;
}

export type DecodedText = {
  encoding: TextEncoding;
  /** The first chunk of text, already decoded, for sniffing delimiters or declarations. */
  sample: string;
  chunks: AsyncIterable<string>;
  /** The bytes decoded so far (the BOM among them): those of the chunks handed out. */
  readonly bytesTaken: number;
};

/** Decodes a byte stream to text, choosing the encoding from its first 64 KB; the BOM is dropped. */
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
  const decoder = iconv.getDecoder(encoding);
  const sample = decoder.write(headBuffer.subarray(bomLength));
  let bytesTaken = headLength;

  async function* rest(): AsyncGenerator<string> {
    try {
      if (sample) yield sample;
      if (!ended) {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          bytesTaken += next.value.length;
          const text = decoder.write(next.value);
          if (text) yield text;
        }
      }
      const tail = decoder.end();
      if (tail) yield tail;
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
