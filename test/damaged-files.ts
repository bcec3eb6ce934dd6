import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { checkZipDirectory, openZipEntry } from '../src/files/zip-inspection.ts';
import { zipFile } from './container-files.ts';

// Files damaged on their way or by hand, in ways no one test foresees: bytes changed, cut off, repeated, a quote
// or a tag out of place. Whatever arrives, the sender must be answered with what to fix or the file taken in.

/** The same damage for every run: a seeded generator (a linear congruential one, as in C's rand). */
export function seeded(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const below = (count: number) => Math.floor(next() * count);
  return { next, below, pick: <T,>(items: readonly T[]): T => items[below(items.length)] };
}

export type Random = ReturnType<typeof seeded>;

const pieces = ['"', '""', ',', ';', '\t', '\r', '\n', '\0', '\xff', '=cmd', '-1', '1e309', '2026-02-30', '13/13/2026', '<', ']]>', '\u2028', '\ud800', 'é', '\uFEFF', '', 'A'.repeat(70_000), '__proto__'];

/** Up to `most` changes to the text: a piece or a character put in or in place of one, the rest cut off, some deleted or repeated. */
export function damageText(random: Random, text: string, most: number): string {
  for (let done = 0, times = 1 + random.below(most); done < times; done += 1) {
    const at = random.below(text.length + 1);
    switch (random.below(6)) {
      case 0: text = text.slice(0, at) + random.pick(pieces) + text.slice(at); break;
      case 1: text = text.slice(0, at); break;
      case 2: text = text.slice(0, at) + text.slice(at + random.below(50)); break;
      case 3: text = text.slice(0, at) + text.slice(at, at + random.below(200)).repeat(1 + random.below(4)) + text.slice(at); break;
      case 4: text = text.slice(0, at) + String.fromCharCode(random.below(0x3000)) + text.slice(at); break;
      default: text = text.slice(0, at) + random.pick(pieces) + text.slice(at + 1);
    }
  }
  return text;
}

/** Bytes changed here and there; or the file cut off, anywhere or inside a character of several bytes. */
export function damageBytes(random: Random, bytes: Buffer): Buffer {
  const damaged = Buffer.from(bytes);
  const characterStarts: number[] = [];
  damaged.forEach((byte, index) => {
    if (byte >= 0xc0) characterStarts.push(index);
  });
  switch (random.below(3)) {
    case 0:
      return damaged.subarray(0, random.below(damaged.length));
    case 1:
      return characterStarts.length > 0 ? damaged.subarray(0, random.pick(characterStarts) + 1) : damaged.subarray(0, random.below(damaged.length));
    default:
      for (let done = 0, times = 1 + random.below(6); done < times; done += 1) damaged[random.below(damaged.length)] = random.below(256);
      return damaged;
  }
}

/** A CSV file's text damaged, its bytes too now and then (read as Windows-1252 text, as Excel saves it). */
export function damagedCsv(random: Random, text: string): Buffer {
  const damaged = damageText(random, text, 4);
  return random.next() < 0.3 ? damageBytes(random, Buffer.from(damaged, 'latin1')) : Buffer.from(damaged);
}

/** The workbook's parts, one of them damaged as text, zipped again; or the whole file's bytes damaged. */
export async function damagedWorkbook(random: Random, workbook: Buffer): Promise<Buffer> {
  if (random.next() < 0.25) return damageBytes(random, workbook);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-damaged-'));
  try {
    const file = path.join(scratch, 'workbook.xlsx');
    fs.writeFileSync(file, workbook);
    const entries = await checkZipDirectory(file, { maxDecompressedBytes: 1e9, maxCompressionRatio: 1e9, maxSharedStringsBytes: 1e9 });
    const parts = await Promise.all(entries.map(async (entry) => ({ name: entry.name, content: await buffer(openZipEntry(file, entry)) })));
    const part = random.pick(parts);
    part.content = Buffer.from(damageText(random, part.content.toString('utf8'), 3));
    return zipFile(parts);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A message put together from a value that was not there: "undefined", "NaN" or "[object Object]" said to the sender. */
export function brokenWords(messages: readonly (string | null | undefined)[]): string[] {
  return messages.flatMap((message) => (typeof message === 'string' && /\bundefined\b|\bNaN\b|\[object /.test(message) ? [message] : []));
}

/** What went wrong with each of `variants` damaged files (`damage` makes the next), each told by its variant's number. */
export async function wrongAnswers(variants: number, damage: () => Buffer | Promise<Buffer>, answersOf: (file: Buffer) => Promise<string[]>): Promise<string[]> {
  const wrong: string[] = [];
  for (let variant = 0; variant < variants; variant += 1) {
    const file = await damage();
    wrong.push(...(await answersOf(file)).map((what) => `variant ${variant}: ${what}`));
  }
  return wrong;
}

/** A workbook of one sheet holding these rows, the file to damage. */
export async function workbookOf(sheetName: string, rows: readonly (readonly string[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const cells of rows) sheet.addRow([...cells]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
