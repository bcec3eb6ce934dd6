import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { damagedWorkbook } from './file-errors.ts';
import type { ZipEntry } from './zip-inspection.ts';

// Where a workbook's parts are, as its relationships say. Excel writes them at fixed places (xl/workbook.xml,
// xl/worksheets/sheet1.xml, targets relative to xl/); other writers may not: the Open XML SDK names a sheet
// /xl/worksheets/sheet.xml and writes absolute targets, some write xl/SharedStrings.xml. Part names are compared
// without regard to case, as the packaging standard (OPC) says.

type Relationship = { id: string; type: string; target: string };

/** The parts of a workbook the hub reads; each undefined when the file has none. */
export type LocatedParts = {
  workbook: ZipEntry | undefined;
  sharedStrings: ZipEntry | undefined;
  styles: ZipEntry | undefined;
  /** The worksheets the workbook lists, with the relationship id its tabs refer to them by; or, without relationships to go by, every part named as Excel names sheets. */
  sheets: { entry: ZipEntry; relationshipId: string | null }[];
};

const officeDocument = /\/officeDocument$/;
const worksheetType = /\/worksheet$/;
const sharedStringsType = /\/sharedStrings$/;
const stylesType = /\/styles$/;

/** A sheet part as Excel names it: its number tells the sheets apart when the workbook says nothing of them. */
export const excelWorksheetPart = /^xl\/worksheets\/sheet(\d+)\.xml$/i;

/** Any part that can be a worksheet, however its writer named it. */
export const anyWorksheetPart = /(?:^|\/)worksheets\/[^/]+\.xml$/i;

/** The workbook part, its shared text, styles and worksheets, where `_rels/.rels` and the workbook's own relationships say. */
export async function locateWorkbookParts(entries: readonly ZipEntry[], open: (entry: ZipEntry) => Readable): Promise<LocatedParts> {
  const byName = new Map(entries.map((entry) => [entry.name.toLowerCase(), entry]));
  const find = (name: string) => byName.get(name.toLowerCase());

  const packageRelationships = find('_rels/.rels');
  const documentTarget = packageRelationships ? (await readRelationships(open(packageRelationships))).find((relation) => officeDocument.test(relation.type)) : undefined;
  const workbookName = documentTarget ? partName('', documentTarget.target) : 'xl/workbook.xml';
  const workbook = find(workbookName) ?? find('xl/workbook.xml');
  // A part's relationships are in the _rels folder beside it, named after it: xl/_rels/workbook.xml.rels.
  const workbookPath = workbook?.name ?? 'xl/workbook.xml';
  const folder = workbookPath.replace(/[^/]*$/, '');
  const ownRelationships = find(`${folder}_rels/${workbookPath.slice(folder.length)}.rels`);
  const relationships = ownRelationships ? await readRelationships(open(ownRelationships)) : [];
  const target = (type: RegExp, fallback: string) => {
    const relation = relationships.find((candidate) => type.test(candidate.type));
    return (relation && find(partName(folder, relation.target))) ?? find(fallback);
  };

  // A worksheet by its relationship's type, or by where its part lies (for writers that name the type otherwise).
  const listed = relationships.flatMap((relation) => {
    const name = partName(folder, relation.target);
    const entry = worksheetType.test(relation.type) || anyWorksheetPart.test(name) ? find(name) : undefined;
    return entry ? [{ entry, relationshipId: relation.id }] : [];
  });
  const sheets = listed.length > 0 ? listed : entries.filter((entry) => excelWorksheetPart.test(entry.name)).map((entry) => ({ entry, relationshipId: null }));
  return { workbook, sharedStrings: target(sharedStringsType, 'xl/sharedStrings.xml'), styles: target(stylesType, 'xl/styles.xml'), sheets };
}

/**
 * The zip name of the part a relationship targets: relative to the folder of the part it belongs to, or from the root
 * when it starts with "/". A target is a URI, so a part named with a space or an accent is targeted percent-escaped
 * ("worksheets/Learner%20list.xml"), its zip name being as written.
 */
function partName(folder: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : `${folder}${target}`;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(unescaped(segment));
  }
  return segments.join('/');
}

/** A URI segment percent-decoded; as written when it is not validly escaped (a "%" that escapes nothing). */
function unescaped(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Far more than any workbook has (one a sheet, and a few more), so that a part made to hold millions cannot fill the memory. */
const mostRelationships = 10_000;

async function readRelationships(part: Readable): Promise<Relationship[]> {
  const parser = new SaxesParser();
  const relationships: Relationship[] = [];
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure = error;
  });
  parser.on('opentag', (node) => {
    // By its local name: a writer may give the element a prefix (<pr:Relationship>), as it does the sheet's.
    if (node.name.slice(node.name.indexOf(':') + 1) !== 'Relationship') return;
    const attributes = node.attributes as Record<string, string>;
    if (attributes.TargetMode === 'External') return;
    if (relationships.length >= mostRelationships) failure = damagedWorkbook();
    else relationships.push({ id: attributes.Id ?? '', type: attributes.Type ?? '', target: attributes.Target ?? '' });
  });
  const decoder = new TextDecoder();
  for await (const chunk of part) {
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
    if (failure) throw failure;
  }
  parser.write(decoder.decode()).close();
  if (failure) throw failure;
  return relationships;
}
