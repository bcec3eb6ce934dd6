import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipFile } from '../../../test/container-files.ts';
import { startUploadScene } from '../../../test/upload-scene.ts';
import type { UploadScene } from '../../../test/upload-scene.ts';
import { checkZipDirectory, openZipEntry } from '../../files/zip-inspection.ts';
import { addDays, hubToday } from '../activities/dates.ts';

// Files damaged on their way or by hand, in ways no one test foresees: bytes changed, cut off, repeated, a quote
// or a tag out of place. Whatever arrives, the sender is answered with what to fix (a 4xx) or the file is taken
// in, and an upload taken in ends, finished or failed with its reason, with its receipt to download: never a 500.

/** The same damage for every run: a seeded generator (a linear congruential one, as in C's rand). */
function seeded(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const below = (count: number) => Math.floor(next() * count);
  return { next, below, pick: <T,>(items: readonly T[]): T => items[below(items.length)] };
}

const pieces = ['"', '""', ',', ';', '\t', '\r', '\n', '\0', '\xff', '=cmd', '-1', '1e309', '2026-02-30', '13/13/2026', '<', ']]>', '\u2028', '\ud800', 'é', '\uFEFF', '', 'A'.repeat(70_000), '__proto__'];

type Random = ReturnType<typeof seeded>;

/** Up to `most` changes to the text: a piece or a character put in or in place of one, the rest cut off, some deleted or repeated. */
function damageText(random: Random, text: string, most: number): string {
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
function damageBytes(random: Random, bytes: Buffer): Buffer {
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

describe('damaged learner files', () => {
  let scene: UploadScene;
  let scratch: string;
  const header = ['Reference', 'Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'CME credits', 'Consent'];
  const rows = (count: number) =>
    Array.from({ length: count }, (_, index) => [`D-${index}`, scene.activityId, addDays(hubToday(), -3), 'Zoë', 'Brontë', '1', '30', 'CA', `A2000${index % 8}`, '1.5', 'written']);

  beforeAll(async () => {
    scene = await startUploadScene({ title: 'Damaged files', providerActivityId: 'DMG-1' }, { chunkSize: 7 });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-damaged-'));
  });
  afterAll(async () => {
    await scene.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** The workbook's parts, one of them damaged as text, zipped again; or the whole file's bytes damaged. */
  async function damagedWorkbook(random: Random, workbook: Buffer): Promise<Buffer> {
    if (random.next() < 0.25) return damageBytes(random, workbook);
    const file = path.join(scratch, 'workbook.xlsx');
    fs.writeFileSync(file, workbook);
    const entries = await checkZipDirectory(file, { maxDecompressedBytes: 1e9, maxCompressionRatio: 1e9, maxSharedStringsBytes: 1e9 });
    const parts = await Promise.all(entries.map(async (entry) => ({ name: entry.name, content: await buffer(openZipEntry(file, entry)) })));
    const part = random.pick(parts);
    part.content = Buffer.from(damageText(random, part.content.toString('utf8'), 3));
    return zipFile(parts);
  }

  let address = 0;
  /** Sends the file from an address of its own (the rate limit counts by address), follows the upload to its end, and says what went wrong, if anything. */
  async function answersOf(file: Buffer, contentType: string, query: string): Promise<string[]> {
    address += 1;
    const from = { remoteAddress: `10.9.${address >> 8}.${address & 255}` };
    const sent = await scene.coordinator.request({ method: 'POST', url: `/api/v1/uploads${query}`, payload: file, headers: { 'content-type': contentType }, ...from });
    if (sent.statusCode >= 500) return [`sending: ${sent.statusCode} ${sent.body}`];
    if (sent.statusCode >= 400) return typeof sent.json().detail === 'string' && sent.json().detail.length > 0 ? [] : [`sending: ${sent.statusCode} without a message`];
    await scene.worker.idle();
    const id = sent.json().id;
    const wrong: string[] = [];
    const upload = (await scene.coordinator.request({ method: 'GET', url: `/api/v1/uploads/${id}`, ...from })).json();
    if (upload.status !== 'finished' && upload.status !== 'failed') wrong.push(`upload ${upload.status}`);
    if (upload.status === 'failed' && !(upload.error?.message?.length > 0)) wrong.push('failed without saying why');
    if (upload.status === 'failed' && upload.error?.code === 'internal_error') wrong.push(`failed on an unexpected error: ${upload.error.message}`);
    for (const url of [`/api/v1/uploads/${id}/receipt?format=csv`, `/api/v1/uploads/${id}/receipt?format=xlsx`, `/api/v1/uploads/${id}/rows?limit=100`]) {
      const response = await scene.coordinator.request({ method: 'GET', url, ...from });
      if (response.statusCode !== 200) wrong.push(`${url}: ${response.statusCode}`);
    }
    return wrong;
  }

  const variants = 40;

  it('answers every damaged CSV file with what to fix, or takes it in to the end', async () => {
    const random = seeded(6);
    const text = [header, ...rows(30)].map((cells) => cells.join(',')).join('\r\n');
    const wrong: string[] = [];
    for (let variant = 0; variant < variants; variant += 1) {
      const damaged = damageText(random, text, 4);
      const file = random.next() < 0.3 ? damageBytes(random, Buffer.from(damaged, 'latin1')) : Buffer.from(damaged);
      wrong.push(...(await answersOf(file, 'text/csv', '?fileName=damaged.csv&dates=month_first&consent=written')).map((what) => `variant ${variant}: ${what}`));
    }
    expect(wrong).toEqual([]);
  });

  it('answers every damaged workbook with what to fix, or takes it in to the end', async () => {
    const random = seeded(7);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Learners');
    sheet.addRow(header);
    for (const cells of rows(30)) sheet.addRow(cells);
    workbook.addWorksheet('Notes').addRow(['Sent by hand', 'é']);
    const whole = Buffer.from(await workbook.xlsx.writeBuffer());
    const wrong: string[] = [];
    for (let variant = 0; variant < variants; variant += 1) {
      const file = await damagedWorkbook(random, whole);
      wrong.push(...(await answersOf(file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '?fileName=damaged.xlsx&dates=month_first&consent=written')).map((what) => `variant ${variant}: ${what}`));
    }
    expect(wrong).toEqual([]);
  });

  it('answers every damaged MedBiquitous document with what to fix, or takes it in to the end', async () => {
    const random = seeded(8);
    const today = hubToday();
    const reports = rows(30).map(
      ([reference, activityId, completed, first, last, month, day, , license]) =>
        `<ActivityReport><ReportingOrganization>Demo</ReportingOrganization><Member><m:UniqueID domain="idd:ca.gov:license">${license}</m:UniqueID><m:Name><n:GivenName>${first}</n:GivenName><n:FamilyName>${last}</n:FamilyName></m:Name><m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-0${month}-${day}</m:BirthDate></m:PersonalInfo></Member><Activity><ProviderOrganization>1234567</ProviderOrganization><ActivityName>Rounds</ActivityName><Module><ModuleName moduleID="${activityId}">Rounds</ModuleName><Status>Completed</Status><CompletedDateTime>${completed}T00:00:00</CompletedDateTime><CreditCertificate><CreditReceived><hx:activityCertification>AMA PRA Category 1 Credit</hx:activityCertification><hx:creditUnit>Point</hx:creditUnit><hx:numberOfCredits>1</hx:numberOfCredits></CreditReceived><CreditID>ccid:1234567:${reference}</CreditID></CreditCertificate></Module></Activity></ActivityReport>`,
    );
    const document = `<?xml version="1.0" encoding="UTF-8"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/">
<DateTimeCreated>${today}T09:00:00</DateTimeCreated><ReportingStartDate>${today}</ReportingStartDate><ReportingEndDate>${today}</ReportingEndDate>
${reports.join('\n')}
</ActivityReports>`;
    const wrong: string[] = [];
    for (let variant = 0; variant < variants; variant += 1) {
      // One change at a time: XML is refused for the first thing out of place, so more would only hide the others.
      const damaged = Buffer.from(damageText(random, document, 1));
      const file = random.next() < 0.2 ? damageBytes(random, damaged) : damaged;
      wrong.push(...(await answersOf(file, 'application/xml', '?fileName=damaged.xml&consent=written')).map((what) => `variant ${variant}: ${what}`));
    }
    expect(wrong).toEqual([]);
  });
});
