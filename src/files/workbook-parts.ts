import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';
import type { Problem } from '../http/errors.ts';
import { HeaderFinder } from './columns.ts';
import type { ColumnSpec } from './columns.ts';
import { tooManyRows } from './limits.ts';
import type { FileLimits, ProgressListener } from './limits.ts';
import { openZipEntry } from './zip-inspection.ts';
import type { ZipEntry } from './zip-inspection.ts';
import { excelWorksheetPart, locateWorkbookParts } from './workbook-relationships.ts';
import { damagedWorkbook } from './file-errors.ts';
import type { Cells, RawRow } from './tabular-rows.ts';
import { dateOfDayCount } from './written-dates.ts';

// A workbook's own parts read as Excel reads them (the sheets in the order of the tabs, shared text, styles, the date
// system), and a sheet's XML read into rows of cell text, its cells' values as exceljs's streaming reader gives them.

/** What a worksheet's cells are read with: the sheet's XML, and what its cells refer to. */
type WorksheetSource = {
  iterator: AsyncIterable<Buffer>;
  sharedStrings?: SharedStrings;
  formats: CellFormats;
  /** The workbook counts its days from 1904. */
  date1904: boolean;
};

/** A worksheet as `workbookParts` gives it: with the zip part that holds it, and whether Excel shows it. */
export type WorkbookSheet = WorksheetSource & { part: string; name: string; hidden: boolean };

/**
 * The worksheets of a workbook, in the order of its tabs, with what the workbook's own parts say of them (shared
 * strings, styles, the date system, each sheet's name and whether it is hidden). The parts are read straight from
 * the zip entries that `checkZipDirectory` checked, each sheet only when its rows are read: a sheet passed over is
 * never unpacked.
 */
export async function workbookParts(filePath: string, entries: readonly ZipEntry[], onProgress?: ProgressListener, sharedStringsUpTo = Number.POSITIVE_INFINITY) {
  const open = new Set<Readable>();
  // The file's bytes up to each part, for the progress: a sheet passed over counts as read.
  let bytesBefore = 0;
  const startOf = (entry: ZipEntry): number => {
    const before = bytesBefore;
    bytesBefore += entry.compressedSize;
    return before;
  };
  const openEntry = (entry: ZipEntry, before = startOf(entry)): Readable => {
    const stream = openZipEntry(filePath, entry, onProgress && ((bytes) => onProgress(before + bytes)));
    open.add(stream);
    stream.once('close', () => open.delete(stream));
    return stream;
  };

  async function* worksheets(): AsyncGenerator<WorkbookSheet> {
    const located = await locateWorkbookParts(entries, (entry) => openZipEntry(filePath, entry));
    const { tabs, date1904 } = located.workbook ? await readWorkbookPart(openEntry(located.workbook)) : { tabs: [], date1904: false };
    const sharedStrings = located.sharedStrings ? await readSharedStrings(openEntry(located.sharedStrings), sharedStringsUpTo) : undefined;
    // Styles tell dates from numbers.
    const formats = located.styles ? await readCellFormats(openEntry(located.styles)) : new CellFormats([], new Map());
    /** A sheet's place among the tabs, a sheet no tab lists last. */
    const placeOf = (relationshipId: string | null) => {
      const place = relationshipId === null ? -1 : tabs.findIndex((tab) => tab.relationshipId === relationshipId);
      return place === -1 ? Number.MAX_SAFE_INTEGER : place;
    };
    // Tabs moved in a spreadsheet program may keep their parts' order (sheet1.xml, sheet2.xml...) in the file.
    const byTab = located.sheets
      .map(({ entry, relationshipId }, index) => ({ entry, number: Number(excelWorksheetPart.exec(entry.name)?.[1] ?? index + 1), place: placeOf(relationshipId) }))
      .sort((one, other) => one.place - other.place);
    for (const { entry, number, place } of byTab) {
      const tab = tabs[place];
      const before = startOf(entry);
      yield {
        iterator: { [Symbol.asyncIterator]: () => openEntry(entry, before)[Symbol.asyncIterator]() },
        sharedStrings,
        formats,
        date1904,
        part: entry.name,
        name: tab?.name ?? `Sheet${number}`,
        // "hidden", or "veryHidden" for a sheet only a macro shows.
        hidden: tab?.state === 'hidden' || tab?.state === 'veryHidden',
      };
    }
  }

  return {
    worksheets: worksheets(),
    close() {
      for (const stream of open) stream.destroy();
    },
  };
}

/** The namespaces of SpreadsheetML (Transitional, Strict), and none, as some writers leave it out. */
const spreadsheetNamespaces = new Set(['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main', '']);
const relationshipNamespaces = new Set(['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships']);

/** A sheet's tab: its name, whether it is shown, and the relationship that finds its part. */
type Tab = { name: string | undefined; state: string | undefined; relationshipId: string | undefined };

/** Far more tabs than any workbook has, so that a part made to list millions cannot fill the memory. */
const mostTabs = 10_000;

/**
 * The tabs of xl/workbook.xml, and whether the workbook counts its dates from 1904, as Excel for Mac once did and
 * LibreOffice still may: `date1904` is an XML boolean, which LibreOffice writes "true" and Excel "1"; read as counted
 * from 1900, every date would be four years and a day early, birth days a day off.
 */
async function readWorkbookPart(part: Readable): Promise<{ tabs: Tab[]; date1904: boolean }> {
  const tabs: Tab[] = [];
  let date1904: boolean | undefined;
  await readSpreadsheetPart(part, (node) => {
    if (node.local === 'workbookPr') date1904 ??= ['1', 'true'].includes((node.attributes.date1904?.value ?? '').trim());
    if (node.local !== 'sheet') return;
    if (tabs.length >= mostTabs) throw damagedWorkbook();
    const relationship = Object.values(node.attributes).find((attribute) => attribute.local === 'id' && relationshipNamespaces.has(attribute.uri));
    tabs.push({ name: node.attributes.name?.value, state: node.attributes.state?.value, relationshipId: relationship?.value });
  });
  return { tabs, date1904: date1904 ?? false };
}

/**
 * Reads a small part of a workbook (its tabs, its styles) by its SpreadsheetML elements, whatever prefix they are
 * written with (`<x:sheet>`, as the Open XML SDK's writer writes them): `onOpen` and `onClose` are given those alone.
 */
async function readSpreadsheetPart(part: Readable, onOpen: (node: SaxesTagNS) => void, onClose?: (node: SaxesTagNS) => void): Promise<void> {
  const parser = new SaxesParser({ xmlns: true });
  let failure: unknown = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  const guarded = (handle: (node: SaxesTagNS) => void) => (node: SaxesTagNS) => {
    if (failure || !spreadsheetNamespaces.has(node.uri)) return;
    try {
      handle(node);
    } catch (error) {
      failure = error;
    }
  };
  parser.on('opentag', guarded(onOpen));
  if (onClose) parser.on('closetag', guarded(onClose));
  const decoder = new TextDecoder();
  try {
    for await (const chunk of part) {
      parser.write(decoder.decode(chunk as Buffer, { stream: true }));
      if (failure) throw failure;
    }
    parser.write(decoder.decode()).close();
    if (failure) throw failure;
  } finally {
    part.destroy();
  }
}

const require = createRequire(import.meta.url);
const excelUtils = require('exceljs/lib/utils/utils.js') as { xmlDecode(text: string): string };
const excelColumns = require('exceljs/lib/utils/col-cache.js') as { decodeAddress(address: string): { col: number | undefined }; n2l(column: number): string };

/** The cell being read; one object for all of them, as only one is open at a time. */
type CellDraft = { open: boolean; ref: string | undefined; s: number; t: string | undefined; f: string | null; v: string | null };

/**
 * The names of the SpreadsheetML elements of a sheet or its shared text without the prefix they may be written with
 * (`<x:row>`, as the Open XML SDK's writer writes them); an element of another namespace keeps its prefix, and so is
 * none of them. A prefix is known by its declaration on the part's first element or on the element it names: the
 * XML parser's own namespace processing would take twice as long to read a sheet.
 */
class SpreadsheetNames {
  /** Each prefix seen, and whether it stands for SpreadsheetML. */
  private readonly prefixes = new Map<string, boolean>();
  /**
   * Each prefixed name seen and the name it is read as: a sheet writes the same few names on every row and cell, cut
   * once each. Held to the first `namesKept`, so that a part of made-up names does not grow it with the file.
   */
  private readonly prefixedNames = new Map<string, string>();
  private static readonly namesKept = 256;
  private first = true;

  of(node: { name: string; attributes: Record<string, unknown> }): string {
    if (this.first) {
      this.first = false;
      for (const [attribute, value] of Object.entries(node.attributes)) {
        if (attribute.startsWith('xmlns:')) this.prefixes.set(attribute.slice(6), spreadsheetNamespaces.has(String(value)));
      }
    }
    const colon = node.name.indexOf(':');
    if (colon === -1) return node.name;
    const kept = this.prefixedNames.get(node.name);
    if (kept !== undefined) return kept;
    const prefix = node.name.slice(0, colon);
    let spreadsheet = this.prefixes.get(prefix);
    if (spreadsheet === undefined) {
      const declared = node.attributes[`xmlns:${prefix}`];
      spreadsheet = declared !== undefined && spreadsheetNamespaces.has(String(declared));
      this.prefixes.set(prefix, spreadsheet);
    }
    const name = spreadsheet ? node.name.slice(colon + 1) : node.name;
    if (this.prefixedNames.size < SpreadsheetNames.namesKept) this.prefixedNames.set(node.name, name);
    return name;
  }
}

/** A cell uses shared text past the entries read. */
export class SharedStringsCutShort extends Error {}

/**
 * The shared strings of a workbook, which Excel writes for every text cell: in a file of a million rows,
 * millions of distinct strings (references, names, license numbers). Kept as exceljs's reader would
 * read them, but packed: the texts of each block of entries joined into one string, with where each one
 * starts, instead of millions of string objects.
 */
class SharedStrings {
  static readonly blockEntries = 1 << 14;
  private readonly blocks: string[] = [];
  private readonly starts: Uint32Array[] = [];
  /** Entries that are not plain text: none (null) and rich text, as exceljs gives them. */
  private readonly others = new Map<number, unknown>();
  private pending: string[] = [];
  private pendingStarts = new Uint32Array(SharedStrings.blockEntries + 1);
  private pendingLength = 0;
  size = 0;
  /** False when only the first entries were read: asking for a later one throws `SharedStringsCutShort`. */
  complete = true;

  add(entry: unknown): void {
    if (typeof entry === 'string') {
      this.pending.push(entry);
      this.pendingLength += entry.length;
    } else {
      this.others.set(this.size, entry);
    }
    this.size += 1;
    this.pendingStarts[this.size % SharedStrings.blockEntries || SharedStrings.blockEntries] = this.pendingLength;
    if (this.size % SharedStrings.blockEntries === 0) this.seal();
  }

  /** Ends the block being filled; the last one is ended once every entry is in. */
  seal(): void {
    if (this.blocks.length * SharedStrings.blockEntries >= this.size) return;
    this.blocks.push(this.pending.join(''));
    this.starts.push(this.pendingStarts);
    this.pending = [];
    this.pendingStarts = new Uint32Array(SharedStrings.blockEntries + 1);
    this.pendingLength = 0;
  }

  get(index: number): unknown {
    if (!(index >= 0 && index < this.size)) {
      if (!this.complete && index >= this.size) throw new SharedStringsCutShort();
      // A text cell whose text is not in the workbook: the file is damaged, and the cell's value unknown.
      throw damagedWorkbook();
    }
    const other = this.others.get(index);
    if (other !== undefined || this.others.has(index)) return other;
    const block = Math.floor(index / SharedStrings.blockEntries);
    const position = index % SharedStrings.blockEntries;
    const starts = this.starts[block];
    return this.blocks[block].slice(starts[position], starts[position + 1]);
  }
}

/**
 * Reads xl/sharedStrings.xml as exceljs's streaming reader does (the same events and the same rules:
 * text collected from everything inside an entry, a <t> starting it afresh, rich text by runs), but without
 * the phonetic reading an entry may carry, into a packed table.
 */
async function readSharedStrings(entry: AsyncIterable<Buffer>, upTo = Number.POSITIVE_INFINITY): Promise<SharedStrings> {
  const table = new SharedStrings();
  const parser = new SaxesParser();
  let failure: Error | null = null;
  let text: string | null = null;
  let runs: { text: string | null }[] = [];
  // Inside the phonetic reading of a text (East Asian workbooks): not part of the text shown.
  let inPhonetic = false;
  parser.on('error', (error) => {
    failure = error;
  });
  const names = new SpreadsheetNames();
  parser.on('opentag', (node) => {
    const name = names.of(node);
    if (name === 'rPh') {
      inPhonetic = true;
    } else if (inPhonetic) {
      return;
    } else if (name === 'si') {
      runs = [];
      text = null;
    } else if (name === 't') {
      text = null;
    }
  });
  parser.on('text', (value) => {
    if (!inPhonetic) text = text ? text + value : value;
  });
  parser.on('closetag', (node) => {
    const name = names.of(node);
    if (name === 'rPh') {
      inPhonetic = false;
    } else if (inPhonetic) {
      return;
    } else if (name === 'r') {
      runs.push({ text: text === null ? null : excelEscapesDecoded(text) });
      text = null;
    } else if (name === 'si') {
      table.add(runs.length > 0 ? { richText: runs } : text === null ? null : excelEscapesDecoded(text));
      runs = [];
      text = null;
    }
  });
  const decoder = new TextDecoder();
  const write = (chunk: string) => {
    parser.write(chunk);
    if (failure) throw failure;
  };
  for await (const chunk of entry) {
    write(decoder.decode(chunk, { stream: true }));
    if (table.size >= upTo) {
      table.complete = false;
      break;
    }
  }
  if (table.complete) write(decoder.decode());
  table.seal();
  return table;
}

/** exceljs's xmlDecode, which its worksheet reader applies to text values (once more after the XML parser). */
function xmlDecode(text: string): string {
  return text.includes('&') ? excelUtils.xmlDecode(text) : text;
}

/**
 * A character XML cannot hold as it is (the carriage return of text pasted from Windows, a tab, a control
 * character) is written by Excel as _xHHHH_, its code in hex; _x005F_ stands for the "_" of a text that itself reads
 * "_x0041_". exceljs leaves them as they are written. What is no text once decoded is not kept, as in a CSV file: a
 * NUL is dropped, and half of a character written in two (a lone surrogate, _xD83D_) is the replacement character.
 */
function excelEscapesDecoded(text: string): string {
  if (!text.includes('_x')) return text;
  const decoded = text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return decoded.replaceAll('\u0000', '').toWellFormed();
}

/** The columns a sheet may have, A to XFD. */
const maxSheetColumns = 16_384;

/** The column of a cell reference such as "B12", as exceljs decodes it; exceljs's own decoding for unusual ones. */
function columnOf(ref: string): number | undefined {
  let column = 0;
  let index = 0;
  for (; index < ref.length; index++) {
    const code = ref.charCodeAt(index);
    if (code < 65 || code > 90) break;
    column = column * 26 + code - 64;
  }
  if (index === 0 || index === ref.length) return excelColumns.decodeAddress(ref).col;
  for (let digit = index; digit < ref.length; digit++) {
    const code = ref.charCodeAt(digit);
    if (code < 48 || code > 57) return excelColumns.decodeAddress(ref).col;
  }
  if (column > maxSheetColumns) return excelColumns.decodeAddress(ref).col;
  return column;
}

/**
 * The rows of one worksheet, each cell's value read as exceljs's streaming worksheet reader reads it
 * (the same XML events, the same rules for shared strings and dates), but without the Row and Cell
 * objects it builds for every cell: those took most of the time of reading a large workbook. A formula is
 * read as the result Excel saved with it, as a value of the cell's type; an error, or a formula without
 * a result, is a problem of its row. Yields the rows of each chunk of the sheet's XML together.
 */
export async function* sheetRowBatches(sheet: WorksheetSource, limits: FileLimits): AsyncGenerator<RawRow[], undefined> {
  const { sharedStrings, formats, date1904 } = sheet;
  const parser = new SaxesParser();
  // Where exceljs would fail: XML that is not well-formed and a cell it cannot address stop the chunk
  // before its rows are handed on; a row past the limit stops after the rows before it.
  let failure: unknown = null;
  let failureAfterRows: unknown = null;
  let batch: RawRow[] = [];
  let count = 0;
  let inRows = false;
  let row: { number: number; style: number; values: unknown[]; addressable: boolean; hidden: boolean } | null = null;
  const cell: CellDraft = { open: false, ref: undefined, s: Number.NaN, t: undefined, f: null, v: null };
  // The value element whose text is being read, if any.
  let current: 'f' | 'v' | null = null;
  // Inside the phonetic reading of an inline text (East Asian workbooks): not part of the text shown.
  let inPhonetic = false;
  // A row or cell may leave out its reference (writers built on the Open XML SDK often do): it follows the one before.
  let lastRowNumber = 0;
  let lastColumn = 0;
  // The columns the sheet hides (`<cols>`, before its rows), by index from 0: a header row read there says so.
  const hiddenColumns = new Set<number>();

  const cellValue = (draft: CellDraft, rowStyle: number): unknown => {
    if (draft.v === null) {
      return draft.f === null
        ? undefined
        : new UnreadableCell('formula_without_result', draft.ref as string, 'holds a formula with no saved result. Open the file in Excel and save it, or type the value');
    }
    const text = draft.v;
    switch (draft.t) {
      case 's':
        // A text cell in a workbook without shared text is damaged.
        if (!sharedStrings) throw damagedWorkbook();
        return sharedStrings.get(Number.parseInt(text, 10));
      case 'inlineStr':
      case 'str':
        return excelEscapesDecoded(xmlDecode(text));
      case 'e':
        return new UnreadableCell('cell_error', draft.ref as string, `shows the error ${text} instead of a value. Correct it in Excel, or type the value`);
      case 'b':
        return Number.parseInt(text, 10) !== 0;
      case 'd':
        return isoCellDate(xmlDecode(text));
      default: {
        // A cell of no style of its own (or style 0) takes its row's.
        const shown = formats.of(draft.s || rowStyle);
        const number = Number.parseFloat(text);
        if (shown === 'date') return dateOfDayCount(number, date1904);
        // A whole number as its format shows it, an identifier's zeros and letters with it: MD60012345, not 60012345.
        return shown && Number.isSafeInteger(number) && number >= 0 ? `${shown.before}${String(number).padStart(shown.digits, '0')}${shown.after}` : number;
      }
    }
  };

  parser.on('error', (error) => {
    failure = error;
  });
  const names = new SpreadsheetNames();
  parser.on('opentag', (node) => {
    if (failure || failureAfterRows) return;
    const attributes = node.attributes as Record<string, string>;
    switch (names.of(node)) {
      case 'sheetData':
        inRows = true;
        break;
      case 'col':
        if (!inRows && (attributes.hidden === '1' || attributes.hidden === 'true')) {
          const [first, last] = [Number.parseInt(attributes.min, 10), Number.parseInt(attributes.max, 10)];
          // A sheet has at most 16,384 columns; a range past them is the rest of the sheet, hidden.
          for (let column = first; column <= Math.min(last, maxSheetColumns); column++) hiddenColumns.add(column - 1);
        }
        break;
      case 'row':
        if (inRows) {
          const number = attributes.r === undefined ? lastRowNumber + 1 : Number.parseInt(attributes.r, 10);
          lastColumn = 0;
          row = {
            number,
            style: attributes.s ? Number.parseInt(attributes.s, 10) : Number.NaN,
            values: [],
            addressable: /^\d+$/.test(String(number)),
            hidden: attributes.hidden === '1' || attributes.hidden === 'true',
          };
        }
        break;
      case 'c':
        if (row) {
          cell.open = true;
          cell.ref = attributes.r;
          cell.s = attributes.s === undefined ? Number.NaN : Number.parseInt(attributes.s, 10);
          cell.t = attributes.t;
          cell.f = null;
          cell.v = null;
          current = null;
        }
        break;
      case 'f':
        if (cell.open) {
          cell.f = '';
          current = 'f';
        }
        break;
      case 'v':
        if (cell.open) {
          cell.v = '';
          current = 'v';
        }
        break;
      case 'is':
        if (cell.open) cell.v = '';
        break;
      // An inline text's runs (<r><t>…</t></r>, each formatted its own way) make one text together.
      case 't':
        if (cell.open && !inPhonetic) {
          cell.v ??= '';
          current = 'v';
        }
        break;
      case 'rPh':
        inPhonetic = true;
        break;
    }
  });
  parser.on('text', (text) => {
    if (current === 'f') cell.f += text;
    else if (current === 'v') cell.v += text;
  });
  parser.on('closetag', (node) => {
    if (failure || failureAfterRows) return;
    switch (names.of(node)) {
      case 'f':
      case 'v':
      case 't':
        current = null;
        break;
      case 'rPh':
        inPhonetic = false;
        break;
      case 'sheetData':
        inRows = false;
        break;
      case 'row': {
        if (!row) {
          failureAfterRows = new Error('A row closes that never opened');
          break;
        }
        // As exceljs's row values: up to the last column that holds a value.
        const { values } = row;
        let width = values.length;
        while (width > 1 && values[width - 1] === undefined) width -= 1;
        // Every row with a value counts, header rows too: a sheet past the limit is refused, whatever it holds. A row
        // with none is no row of the file, though formatting a whole column writes one down to the sheet's last.
        if (width > 1) count += 1;
        if (count > limits.maxRows + HeaderFinder.rowsToSearch) {
          failureAfterRows = tooManyRows(limits.maxRows);
          break;
        }
        const cells: Cells = new Array<string>(Math.max(0, width - 1));
        const problems: Problem[] = [];
        for (let column = 1; column < width; column++) {
          const value = values[column];
          if (value instanceof UnreadableCell) {
            problems.push(value.at(row.number, column - 1));
            cells[column - 1] = '';
          } else {
            cells[column - 1] = cellText(value);
          }
        }
        const raw: RawRow = row.hidden ? { rowNumber: row.number, cells, problems, hidden: true } : { rowNumber: row.number, cells, problems };
        if (hiddenColumns.size > 0) raw.hiddenColumns = hiddenColumns;
        batch.push(raw);
        lastRowNumber = row.number;
        row = null;
        break;
      }
      case 'c':
        if (row && cell.open) {
          const column = cell.ref === undefined ? lastColumn + 1 : columnOf(cell.ref);
          // exceljs refuses an address it cannot write back as a cell reference.
          if (!row.addressable || column === undefined || column < 1 || column > 16384) {
            failure = new Error(`Invalid Address: ${cell.ref}`);
            break;
          }
          cell.ref ??= `${excelColumns.n2l(column)}${row.number}`;
          const value = cellValue(cell, row.style);
          row.values[column] = value === null ? undefined : value;
          lastColumn = column;
          cell.open = false;
        }
        break;
    }
  });

  const decoder = new TextDecoder();
  const write = function* (text: string): Generator<RawRow[]> {
    parser.write(text);
    if (failure) throw failure;
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (failureAfterRows) throw failureAfterRows;
  };
  for await (const chunk of sheet.iterator) {
    // In pieces of the size exceljs read a sheet in: the rows of each piece are handed on together.
    for (let at = 0; at < chunk.length; at += sheetPieceBytes) yield* write(decoder.decode(chunk.subarray(at, at + sheetPieceBytes), { stream: true }));
  }
  yield* write(decoder.decode());
  return undefined;
}

/** How a cell style shows a number: as a date (or a time), as a whole number among text and zeros of its own, or as it is. */
type NumberShown = 'date' | WholeNumberShown | null;

/** The number format of each cell style of a workbook: how a style shows its cells' numbers. */
class CellFormats {
  private readonly formatOfStyle: readonly number[];
  private readonly codes: ReadonlyMap<number, string>;
  private readonly shown = new Map<number, NumberShown>();

  /** `formatOfStyle`: the number format id of each cell style (cellXfs); `codes`: the formats the workbook writes out. */
  constructor(formatOfStyle: readonly number[], codes: ReadonlyMap<number, string>) {
    this.formatOfStyle = formatOfStyle;
    this.codes = codes;
  }

  of(style: number): NumberShown {
    let shown = this.shown.get(style);
    if (shown === undefined) {
      const id = this.formatOfStyle[style];
      const code = id === undefined ? undefined : this.codes.get(id);
      if (code === undefined) shown = id !== undefined && builtInDateFormats.has(id) ? 'date' : null;
      else shown = showsDate(code) ? 'date' : wholeNumberShown(code);
      this.shown.set(style, shown);
    }
    return shown;
  }
}

type WholeNumberShown = { before: string; digits: number; after: string };

/**
 * A format that shows a whole number as an identifier is written: with zeros before it, text of its own beside it, or
 * both (`0000000`: 0012345; `"MD"00000000` or `\M\D00000000`: MD60012345). Text with a space in it is a unit (`0" h"`),
 * which the columns read themselves; any other format is none.
 */
function wholeNumberShown(format: string): WholeNumberShown | null {
  const written = zerosAmongText.exec(format);
  if (!written) return null;
  const [, before, zeros, after] = written;
  const text = (part: string) => part.replace(quotedOrEscaped, (literal) => (literal.startsWith('"') ? literal.slice(1, -1) : literal.slice(1)));
  const shown = { before: text(before), digits: zeros.length, after: text(after) };
  if (/\s/.test(shown.before + shown.after) || (shown.digits === 1 && !shown.before && !shown.after)) return null;
  return shown;
}

/** The first section of a format (that of numbers above zero), a colour or locale before it: text, zeros, text. */
const zerosAmongText = /^(?:\[[^\]<>=]*\])*((?:"[^"]*"|\\.)*)(0+)((?:"[^"]*"|\\.)*)(?:;|$)/s;
const quotedOrEscaped = /"[^"]*"|\\./gs;

/**
 * The formats Excel has without writing them out (ECMA-376, 18.8.30) that show dates and times: those of every locale
 * (14 to 22, 45 to 47), and those whose code a locale gives, East Asian (27 to 36, 50 to 58) and Thai (71 to 81).
 */
const builtInDateFormats = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58, 71, 72, 73, 74, 75, 76, 77,
  78, 79, 80, 81,
]);

/**
 * The number formats of xl/styles.xml, read here: exceljs drops the backslash before an escaped letter, and a
 * license number shown as MD60023456 by `\M\D00000000` would be a date shown by "MD".
 */
async function readCellFormats(part: Readable): Promise<CellFormats> {
  const formatOfStyle: number[] = [];
  const codes = new Map<number, string>();
  let inside: 'numFmts' | 'cellXfs' | null = null;
  await readSpreadsheetPart(
    part,
    (node) => {
      const { numFmtId, formatCode } = node.attributes;
      if (node.local === 'numFmts' || node.local === 'cellXfs') inside = node.local;
      else if (inside === 'numFmts' && node.local === 'numFmt') codes.set(Number(numFmtId?.value), formatCode?.value ?? '');
      else if (inside === 'cellXfs' && node.local === 'xf') formatOfStyle.push(Number(numFmtId?.value ?? 0));
    },
    (node) => {
      if (node.local === inside) inside = null;
    },
  );
  return new CellFormats(formatOfStyle, codes);
}

/**
 * Whether a number format shows its number as a date or a time, as Excel tells: by the letters of one (y m d h s,
 * and an era's e g b) left once what the format shows as written is set aside: text in quotes, a character after a
 * backslash, the padding `_x` and `*x`, a colour, condition or locale in brackets (an elapsed time, [h] [mm] [ss],
 * being a time), "General" and a scientific format's exponent (E+). A license shown as MD60023456 by
 * `\M\D00000000`, or credits shown as "1.5 h" by `0.0\ \h`, are numbers.
 */
function showsDate(format: string): boolean {
  const shown = format.replace(shownAsWritten, (part) => (elapsedTime.test(part) ? 'h' : ''));
  return dateOrTimeLetter.test(shown);
}

const shownAsWritten = /"[^"]*(?:"|$)|\\.|[_*].|\[[^\]]*\]?|General|E[+-]/gis;
const elapsedTime = /^\[(?:h+|m+|s+)\]$/i;
const dateOrTimeLetter = /[ymdhsegb]/i;

/** exceljs read a sheet copied to a temporary file (as every sheet of a file Excel wrote) in pieces of 64 KB. */
const sheetPieceBytes = 64 * 1024;

/**
 * Cell values as text the way a person reads them: dates as YYYY-MM-DD, numbers without float noise,
 * TRUE and FALSE as the Yes and No that columns of choices take.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value instanceof Date) return dateText(value);
  const { richText } = value as { richText?: { text: string | null }[] };
  if (richText) return richText.map((part) => part.text ?? '').join('');
  return String(value);
}

/**
 * A cell with no value to take: an error Excel shows instead of one (#REF!, #N/A...), or a formula saved
 * without its result. A problem of its row, named by its column once the header is known (`namedCellProblems`).
 */
export class UnreadableCell implements Problem {
  readonly code: string;
  readonly message: string;
  row = 0;
  /** The cell's place in its row, from 0, as the header's columns count. */
  column = 0;
  private readonly ref: string;
  private readonly reason: string;

  constructor(code: string, ref: string, reason: string) {
    this.code = code;
    this.ref = ref;
    this.reason = reason;
    this.message = `Cell ${ref} ${reason}.`;
  }

  at(row: number, column: number): this {
    this.row = row;
    this.column = column;
    return this;
  }

  named(spec: ColumnSpec): Problem {
    return { code: this.code, field: spec.name, row: this.row, message: `${spec.label}: the cell ${this.ref} ${this.reason}.` };
  }
}

/**
 * A date cell written as ISO 8601 text (`t="d"`, as a workbook saved as Strict Open XML, and some programs, write
 * them): its day and time as written, whatever zone it names, as a day counted from 1900 is read. Text that is no
 * such date is kept as written, for the row to say what is wrong with it.
 */
function isoCellDate(text: string): Date | string {
  const written = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text.trim());
  if (!written) return text;
  const [year, month, day, hours = 0, minutes = 0, seconds = 0] = written.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  const date = new Date(Date.UTC(year!, month! - 1, day!, hours, minutes, seconds));
  return date.getUTCMonth() === month! - 1 && date.getUTCDate() === day ? date : text;
}

function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

