import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readActivityReports } from './medbiq-activity-report.ts';
import type { MedbiqReportItem } from './medbiq-activity-report.ts';

const reference = path.join(import.meta.dirname, 'testdata', 'medbiq');
const sampleDocument = `${reference}/activityreport/v2/sample_activityreport.xml`;
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cmehub-medbiq-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const learnerReport = `
  <ActivityReport>
    <ReportingOrganization>Nonesuch University</ReportingOrganization>
    <Member>
      <m:UniqueID domain="idd:nppes.cms.hhs.gov:npi">1234567893</m:UniqueID>
      <m:UniqueID domain="idd:abim.org:id">123456</m:UniqueID>
      <m:Name>
        <n:GivenName>José</n:GivenName>
        <n:GivenName>María</n:GivenName>
        <n:FamilyName>Núñez</n:FamilyName>
      </m:Name>
      <m:LicenseInfo>
        <m:License>
          <m:LicensureEntity><m:LicensureEntityName>Medical Board of California</m:LicensureEntityName></m:LicensureEntity>
          <m:LicenseNumberAvailability>Available</m:LicenseNumberAvailability>
          <m:LicenseNumber>A123456</m:LicenseNumber>
          <m:Jurisdiction><m:Country><a:CountryCode>840</a:CountryCode></m:Country><m:StateOrProvince>CA</m:StateOrProvince></m:Jurisdiction>
        </m:License>
      </m:LicenseInfo>
      <m:PersonalInfo>
        <m:BirthDate accuracy="DayMonth">1900-05-17</m:BirthDate>
      </m:PersonalInfo>
    </Member>
    <Activity>
      <ProviderOrganization>0001234</ProviderOrganization>
      <ActivityName>Pain Management Update</ActivityName>
      <Module>
        <ModuleName moduleID="123456789">Pain Management Update</ModuleName>
        <Status>Completed</Status>
        <CompletedDateTime>2024-06-30T00:00:00</CompletedDateTime>
        <CreditCertificate>
          <CreditReceived>
            <hx:activityCertification>AMA PRA Category 1 Credit</hx:activityCertification>
            <hx:creditUnit>Point</hx:creditUnit>
            <hx:numberOfCredits>1.25</hx:numberOfCredits>
          </CreditReceived>
          <CreditID>ccid:0001234:abc-1</CreditID>
        </CreditCertificate>
        <CreditCertificate>
          <CreditReceived>
            <hx:activityCertification>ABIM MOC Points</hx:activityCertification>
            <hx:creditUnit>Point</hx:creditUnit>
            <hx:numberOfCredits>1</hx:numberOfCredits>
          </CreditReceived>
          <CreditID>ccid:0001234:abc-2</CreditID>
        </CreditCertificate>
      </Module>
    </Activity>
    <XtensibleInfo><x:LearnerRecordAction>add</x:LearnerRecordAction></XtensibleInfo>
  </ActivityReport>`;

function documentOf(reports: string, head = '<?xml version="1.0" encoding="UTF-8"?>'): string {
  return `${head}
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/" xmlns:a="http://ns.medbiq.org/address/v2/" xmlns:x="urn:example:provider-extensions">
  <DateTimeCreated>2025-01-15T09:00:00</DateTimeCreated>
  <ReportingStartDate>2024-01-01</ReportingStartDate>
  <ReportingEndDate>2024-12-31</ReportingEndDate>${reports}
</ActivityReports>
`;
}

const validDocument = documentOf(learnerReport);

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const filePath = path.join(directory, name);
  await writeFile(filePath, content);
  return filePath;
}

async function readAll(source: string | Readable, limits = {}): Promise<MedbiqReportItem[]> {
  const items: MedbiqReportItem[] = [];
  for await (const item of readActivityReports(source, { limits })) items.push(item);
  return items;
}

/** What the real schema says, through the reference validation script (xmllint with the local catalog). */
function schemaAccepts(filePath: string): boolean {
  const result = spawnSync(`${reference}/validate.sh`, [filePath], { encoding: 'utf8' });
  return result.status === 0;
}

function schemaProblems(items: MedbiqReportItem[]): string[] {
  return items.flatMap((item) => item.problems.filter((problem) => problem.code === 'xml_schema').map((problem) => problem.message));
}

describe('reading MedBiquitous Activity Report v2', () => {
  it('reads the learner, the activity and every credit line of a report', async () => {
    const items = await readAll(await fileWith('valid.xml', validDocument));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ rowNumber: 1, line: 31, problems: [] });
    expect(items[0].report).toEqual({
      reportingOrganization: 'Nonesuch University',
      providerOrganization: '0001234',
      activityName: 'Pain Management Update',
      activityId: '123456789',
      status: 'Completed',
      completionDate: '2024-06-30',
      learner: {
        firstName: 'José',
        middleName: 'María',
        lastName: 'Núñez',
        birthMonth: '5',
        birthDay: '17',
        state: 'CA',
        licenseNumber: 'A123456',
        npi: '1234567893',
        board: 'ABIM',
        boardId: '123456',
      },
      identifiers: [
        { domain: 'idd:nppes.cms.hhs.gov:npi', value: '1234567893' },
        { domain: 'idd:abim.org:id', value: '123456' },
      ],
      licenseFrom: 'LicenseInfo',
      credits: [
        { certification: 'AMA PRA Category 1 Credit', creditType: '', unit: 'Point', amount: '1.25', creditId: 'ccid:0001234:abc-1' },
        { certification: 'ABIM MOC Points', creditType: '', unit: 'Point', amount: '1', creditId: 'ccid:0001234:abc-2' },
      ],
      action: 'add',
    });
  });

  it('reads the identifier domains of either form: by organization, or by the kind named', async () => {
    const edited = validDocument
      .replace('<m:UniqueID domain="idd:nppes.cms.hhs.gov:npi">1234567893</m:UniqueID>', '<m:UniqueID domain="idd:accme.org:NPI">1234567893</m:UniqueID><m:UniqueID domain="idd:accme.org:WA">MD60012345</m:UniqueID>')
      .replace('idd:abim.org:id', 'idd:accme.org:ABP')
      .replace(/<m:LicenseInfo>[\s\S]*<\/m:LicenseInfo>/, '');
    const [item] = await readAll(await fileWith('domains.xml', edited));
    expect(item.report.learner).toMatchObject({ npi: '1234567893', state: 'WA', licenseNumber: 'MD60012345', board: 'ABP', boardId: '123456' });
    const byOrganization = validDocument
      .replace(/<m:LicenseInfo>[\s\S]*<\/m:LicenseInfo>/, '')
      .replace('<m:UniqueID domain="idd:abim.org:id">123456</m:UniqueID>', '<m:UniqueID domain="idd:abim.org:id">123456</m:UniqueID><m:UniqueID domain="idd:ny.gov:license">301234</m:UniqueID>');
    const [other] = await readAll(await fileWith('organizations.xml', byOrganization));
    expect(other.report.learner).toMatchObject({ npi: '1234567893', state: 'NY', licenseNumber: '301234', board: 'ABIM', boardId: '123456' });
  });

  it("reads no identifier from a domain it does not know: a provider's own learner ID, the AMA's ME number, a school's ID", async () => {
    const withIdentifiers = (identifiers: string) =>
      validDocument
        .replace(/<m:LicenseInfo>[\s\S]*<\/m:LicenseInfo>/, '')
        .replace('<m:UniqueID domain="idd:nppes.cms.hhs.gov:npi">1234567893</m:UniqueID>', identifiers)
        .replace('<m:UniqueID domain="idd:abim.org:id">123456</m:UniqueID>', '');
    // Their own ID first: no Idaho license, and the real license after it is read.
    const ownFirst = withIdentifiers(
      '<m:UniqueID domain="idd:demo-academy.example.org:id">884422</m:UniqueID><m:UniqueID domain="idd:ama-assn.org:ME">0123456789</m:UniqueID><m:UniqueID domain="idd:accme.org:CA">A23456</m:UniqueID>',
    );
    const [item] = await readAll(await fileWith('own-ids.xml', ownFirst));
    expect(item.report.learner).toMatchObject({ state: 'CA', licenseNumber: 'A23456' });
    expect(item.report.learner.board).toBeFalsy();
    // A domain of no state nor board is no board ID either: the NPI beside it is the learner's only identifier.
    const school = withIdentifiers('<m:UniqueID domain="idd:nonesuch.edu:ce">77</m:UniqueID><m:UniqueID domain="idd:demo-academy.example.org:learner">L-9</m:UniqueID><m:UniqueID domain="idd:nppes.cms.hhs.gov:npi">1234567893</m:UniqueID>');
    const [other] = await readAll(await fileWith('school-ids.xml', school));
    expect(other.problems).toEqual([]);
    expect(other.report.learner).toMatchObject({ npi: '1234567893' });
    expect(other.report.learner.board).toBeFalsy();
    expect(other.report.learner.licenseNumber).toBeFalsy();
    // An Idaho license is still read where the domain says so, in capitals.
    const [idaho] = await readAll(await fileWith('idaho.xml', withIdentifiers('<m:UniqueID domain="idd:accme.org:ID">M-1234</m:UniqueID>')));
    expect(idaho.report.learner).toMatchObject({ state: 'ID', licenseNumber: 'M-1234' });
  });

  it('reads a last name given in two FamilyName elements whole, and a name wrapped over lines as one line', async () => {
    const named = validDocument
      .replace('<n:FamilyName>Núñez</n:FamilyName>', '<n:FamilyName>García</n:FamilyName><n:FamilyName>de la\n          Cruz</n:FamilyName>')
      .replace('<n:GivenName>María</n:GivenName>', '<n:GivenName>María\n   Elena</n:GivenName>');
    const [item] = await readAll(await fileWith('names.xml', named));
    expect(item.problems).toEqual([]);
    expect(item.report.learner).toMatchObject({ firstName: 'José', middleName: 'María Elena', lastName: 'García de la Cruz' });
  });

  it('never passes on the birth year', async () => {
    const items = await readAll(await fileWith('year.xml', validDocument.replace('1900-05-17', '1971-05-17')));
    expect(JSON.stringify(items)).not.toContain('1971');
  });

  it('takes each module of a report as one completion, numbered in document order', async () => {
    const twoModules = learnerReport.replace(
      '</Module>',
      '</Module><Module><ModuleName moduleID="223456789">Part 2</ModuleName><CompletedDateTime>2024-07-01T10:00:00</CompletedDateTime></Module>',
    );
    const items = await readAll(await fileWith('modules.xml', documentOf(twoModules + learnerReport)));
    expect(items.map((item) => [item.rowNumber, item.report.activityId, item.report.learner.lastName])).toEqual([
      [1, '123456789', 'Núñez'],
      [2, '223456789', 'Núñez'],
      [3, '123456789', 'Núñez'],
    ]);
    expect(items[1].problems.map((problem) => problem.code)).toEqual(['no_credits']);
  });

  it('reads the consortium sample as valid, and says it carries no learner to credit', async () => {
    const items = await readAll(sampleDocument);
    expect(schemaProblems(items)).toEqual([]);
    expect(items[0].problems.map((problem) => problem.code)).toEqual(['no_learner', 'no_activity_id', 'no_completion_date', 'no_credits']);
    expect(items[0].problems[0].message).toMatch(/^Line 41: /);
  });

  it('reads the encoding the declaration names, and a stream as well as a file', async () => {
    const latin = iconv.encode(validDocument.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
    const items = await readAll(Readable.from([latin.subarray(0, 500), latin.subarray(500)]));
    expect(items[0].report.learner).toMatchObject({ firstName: 'José', lastName: 'Núñez' });
  });

  it('reads a document labelled ISO-8859-1, in any spelling, as Windows-1252, as browsers do: a Windows program writes its apostrophe so', async () => {
    for (const label of ['ISO-8859-1', 'ISO8859-1', 'iso_8859-1', 'latin1']) {
      const bytes = iconv.encode(validDocument.replace('encoding="UTF-8"', `encoding="${label}"`).replace('Núñez', 'O’Núñez'), 'windows-1252');
      expect(bytes.includes(0x92), label).toBe(true);
      const items = await readAll(Readable.from([bytes]));
      expect(items[0].report.learner, label).toMatchObject({ firstName: 'José', lastName: 'O’Núñez' });
    }
  });

  it('reads UTF-16 without its byte order mark, from the "<?" it starts with', async () => {
    const utf16 = validDocument.replace('encoding="UTF-8"', 'encoding="UTF-16"');
    for (const encoding of ['utf16le', 'utf16-be'] as const) {
      const bytes = iconv.encode(utf16, encoding);
      const items = await readAll(Readable.from([bytes.subarray(0, 501), bytes.subarray(501)]));
      expect(items[0].report.learner, encoding).toMatchObject({ firstName: 'José', lastName: 'Núñez' });
    }
  });

  it('reads UTF-16 in whole characters, half of one alone being the replacement character', async () => {
    const [before, after] = validDocument.replace('encoding="UTF-8"', 'encoding="UTF-16"').split('Núñez');
    const bytes = Buffer.concat([iconv.encode(`${before}Núñez`, 'utf16le'), Buffer.from([0x3d, 0xd8]), iconv.encode(after, 'utf16le')]);
    for (const cut of [501, 502, before.length * 2 + 11]) {
      const items = await readAll(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]));
      expect(items[0].report.learner.lastName, String(cut)).toBe('Núñez\uFFFD');
    }
  });

  it('reads a document that says UTF-16 but was saved as UTF-8, as .NET writes one serialized to a string', async () => {
    const mislabelled = Buffer.from(validDocument.replace('encoding="UTF-8"', 'encoding="utf-16"'), 'utf8');
    const items = await readAll(await fileWith('dotnet-export.xml', mislabelled));
    expect(items[0].report.learner).toMatchObject({ firstName: 'José', lastName: 'Núñez' });
    // Bytes that are no UTF-8 in it are refused as in any UTF-8 document.
    const latin = iconv.encode(validDocument.replace('encoding="UTF-8"', 'encoding="utf-16"'), 'latin1');
    await expect(readAll(await fileWith('dotnet-latin.xml', latin))).rejects.toMatchObject({ status: 422, message: expect.stringContaining('has bytes that are not UTF-8') });
  });

  it('refuses bytes that are not the UTF-8 the file claims, naming their line', async () => {
    const latin = iconv.encode(validDocument, 'latin1');
    const line = validDocument.slice(0, validDocument.indexOf('José')).split('\n').length;
    const message = `The file is read as UTF-8 (its XML declaration names no other encoding), but line ${line} has bytes that are not UTF-8: a letter saved in another encoding, such as an accented letter from Windows. Save the file as UTF-8, or name its real encoding in the XML declaration (encoding="windows-1252", say).`;
    await expect(readAll(await fileWith('mislabelled.xml', latin))).rejects.toMatchObject({ status: 422, message });
    // Read as it arrives, a piece at a time: the line counts the pieces before.
    const pieces = [latin.subarray(0, 300), latin.subarray(300, 600), latin.subarray(600)];
    await expect(readAll(Readable.from(pieces))).rejects.toMatchObject({ status: 422, message });
  });

  /** The reports read before the reading stopped, and what stopped it. */
  async function readUntilStopped(source: Readable | string): Promise<{ names: string[]; stoppedBy: unknown }> {
    const names: string[] = [];
    try {
      for await (const item of readActivityReports(source)) names.push(item.report.learner.lastName);
    } catch (error) {
      return { names, stoppedBy: error };
    }
    return { names, stoppedBy: null };
  }

  it('hands on the reports before the place the reading stops, as a CSV file its rows before a line past 1 MB', async () => {
    const named = (lastName: string) => learnerReport.replace('Núñez', lastName);
    const broken = documentOf([named('Able'), named('Baker'), named('Cole').replace('</n:GivenName>', '</n:Given>'), named('Dunn')].join(''));
    const notWellFormed = await readUntilStopped(Readable.from([Buffer.from(broken)]));
    expect(notWellFormed.names).toEqual(['Able', 'Baker']);
    expect(notWellFormed.stoppedBy).toMatchObject({ status: 422, message: expect.stringMatching(/^The file is not well-formed XML \(line \d+, column \d+: unexpected close tag\)\.$/) });

    // Cut off in the middle of the third report: the two before it are read, then the reading stops.
    const whole = documentOf([named('Able'), named('Baker'), named('Cole')].join(''));
    const cutOff = await readUntilStopped(Readable.from([Buffer.from(whole.slice(0, whole.lastIndexOf('<CreditID>')))]));
    expect(cutOff.names).toEqual(['Able', 'Baker']);
    expect(cutOff.stoppedBy).toMatchObject({ status: 422 });

    // Bytes that are not UTF-8 in the third report, in the same piece: the two before it are read.
    const latinThird = Buffer.concat([Buffer.from(documentOf([named('Able'), named('Baker')].join('')).replace(/\s*<\/ActivityReports>\s*$/, '')), iconv.encode(named('Cole'), 'latin1')]);
    const notUtf8 = await readUntilStopped(Readable.from([latinThird]));
    expect(notUtf8.names).toEqual(['Able', 'Baker']);
    expect(notUtf8.stoppedBy).toMatchObject({ status: 422, message: expect.stringContaining('has bytes that are not UTF-8') });
  });

  it('never hands on a report whose character was cut by bytes that are not UTF-8 at the start of the next piece', async () => {
    // A file is read 64 KB at a time: the first piece ends inside the "é" of the last report's "José", and the next
    // starts with the plain "<" of a tag, the rest of the "é" lost.
    const pieceBytes = 64 * 1024;
    const filler = Array.from({ length: 25 }, (_, index) => learnerReport.replace('Núñez', `Filler${index}`)).join('');
    const last = learnerReport.replace('Núñez', 'Cut') + learnerReport.replace('Núñez', 'After');
    const unpadded = Buffer.from(documentOf(filler + last));
    const eAt = unpadded.indexOf(Buffer.from('é'), unpadded.indexOf(Buffer.from('<ActivityReport>'), unpadded.indexOf(Buffer.from('Filler24'))));
    expect(eAt).toBeLessThan(pieceBytes);
    const padded = Buffer.from(documentOf(filler + ' '.repeat(pieceBytes - 1 - eAt) + last));
    expect(padded.subarray(pieceBytes - 1, pieceBytes + 1)).toEqual(Buffer.from('é'));
    // In the report after it, the "í" of "María" in Windows-1252: the decodable text of that piece would run to it.
    const rest = padded.subarray(pieceBytes + 1);
    const iAt = rest.indexOf(Buffer.from('í'), rest.indexOf(Buffer.from('Cut')));
    const damaged = Buffer.concat([padded.subarray(0, pieceBytes), rest.subarray(0, iAt), Buffer.from([0xed]), rest.subarray(iAt + 2)]);
    const { names, stoppedBy } = await readUntilStopped(await fileWith('cut-character.xml', damaged));
    expect(names).toHaveLength(25);
    expect(names.at(-1)).toBe('Filler24');
    expect(stoppedBy).toMatchObject({ status: 422, message: expect.stringContaining('has bytes that are not UTF-8') });
  });

  it('refuses a file cut off in the middle of a character, saying so and on which line', async () => {
    const whole = Buffer.from(validDocument);
    const cutAt = whole.indexOf(Buffer.from('é')) + 1;
    const line = validDocument.slice(0, validDocument.indexOf('José')).split('\n').length;
    await expect(readAll(Readable.from([whole.subarray(0, cutAt)]))).rejects.toMatchObject({
      status: 422,
      message: `The file ends on line ${line} in the middle of a character: it was cut off before its end, or its last letter is not UTF-8. Send the whole file, saved as UTF-8.`,
    });
  });

  it('refuses bytes that are no text, sent as XML by mistake, saying so', async () => {
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 251));
    await expect(readAll(await fileWith('completions.xml', binary))).rejects.toMatchObject({
      status: 415,
      message: expect.stringMatching(/^The file is not text, nor a workbook or any other file the hub reads: its first bytes are binary data\./),
    });
  });
});

describe('refusing what could harm the hub', () => {
  it('refuses a DOCTYPE, so that no entity is expanded (billion laughs)', async () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/"><DateTimeCreated>&lol3;</DateTimeCreated></ActivityReports>`;
    await expect(readAll(await fileWith('laughs.xml', laughs))).rejects.toMatchObject({
      status: 422,
      code: 'file_unreadable',
      message: expect.stringContaining('Line 2: the document has a DOCTYPE'),
    });
  });

  it('refuses an external entity without fetching it', async () => {
    const external = `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/"><DateTimeCreated>&secret;</DateTimeCreated></ActivityReports>`;
    const error = await readAll(await fileWith('xxe.xml', external)).catch((caught: Error) => caught);
    expect(error).toMatchObject({ code: 'file_unreadable' });
    expect(String((error as Error).message)).not.toContain('root:');
  });

  it('refuses an entity it does not know, as XML requires', async () => {
    const unknown = validDocument.replace('Nonesuch University</ReportingOrganization>', 'A &amp; B &nbsp;</ReportingOrganization>');
    await expect(readAll(await fileWith('entity.xml', unknown))).rejects.toThrow(/not well-formed XML \(line 7, column \d+: undefined entity/);
  });

  it('says where a document stops being well-formed', async () => {
    const broken = validDocument.replace('</Member>', '');
    await expect(readAll(await fileWith('broken.xml', broken))).rejects.toThrow(/not well-formed XML \(line \d+, column \d+: unexpected close tag/);
  });

  it('refuses a document that is not an activity report', async () => {
    await expect(readAll(await fileWith('other.xml', '<?xml version="1.0"?><Learners><Learner/></Learners>'))).rejects.toThrow(
      /not a MedBiquitous Activity Report v2 document: its root element is Learners without a namespace/,
    );
    await expect(readAll(await fileWith('text.xml', 'First Name,Last Name\n'))).rejects.toMatchObject({
      code: 'file_unreadable',
      message: expect.stringContaining('The file is not XML: it does not start with an element'),
    });
  });

  it('keeps to the limits on bytes, reports and the length of one value', async () => {
    const three = documentOf(learnerReport + learnerReport + learnerReport);
    await expect(readAll(await fileWith('rows.xml', three), { maxRows: 2 })).rejects.toMatchObject({ code: 'file_limit_rows' });
    await expect(readAll(await fileWith('bytes.xml', three), { maxBytes: 1000 })).rejects.toMatchObject({ code: 'file_limit_bytes' });
    // A value too long rejects its report alone, naming the element; the reports after it are read.
    const long = documentOf(learnerReport.replace('Pain Management Update</ActivityName>', `${'x'.repeat(5000)}</ActivityName>`) + learnerReport);
    const items = await readAll(await fileWith('long.xml', long), { maxRecordBytes: 4096 });
    expect(items.map((item) => item.problems.map((problem) => [problem.field, problem.message.replace(/^Line \d+: /, '')]))).toEqual([
      [['ActivityName', 'the value of ActivityName is longer than 4,096 characters, the most one value may have; shorten it.']],
      [],
    ]);
    // Said once: what the value feeds (the last name) is not also said to be missing.
    const longName = documentOf(learnerReport.replace('Núñez</n:FamilyName>', `${'N'.repeat(5000)}</n:FamilyName>`));
    const [named] = await readAll(await fileWith('long-name.xml', longName), { maxRecordBytes: 4096 });
    expect(named.problems.map((problem) => problem.field)).toEqual(['FamilyName']);
    expect(named.explainedFields).toContain('learner.lastName');
    // In the document's header it stops the document.
    const longHeader = documentOf(learnerReport).replace(/<DateTimeCreated>[^<]*</, `<DateTimeCreated>${'1'.repeat(5000)}<`);
    await expect(readAll(await fileWith('long-header.xml', longHeader), { maxRecordBytes: 4096 })).rejects.toMatchObject({ code: 'file_limit_record_bytes' });
  });
});

/** Variants of the valid document, each with what the reader must say about it. */
const brokenVariants: { name: string; edit: (document: string) => string; problem: RegExp; wholeDocument?: boolean }[] = [
  {
    name: 'a required element left out',
    edit: (document) => document.replace('<ActivityName>Pain Management Update</ActivityName>', ''),
    problem: /Line 31: Activity needs ActivityName before Module/,
  },
  {
    name: 'elements out of order',
    edit: (document) =>
      document.replace(
        '<hx:creditUnit>Point</hx:creditUnit>\n            <hx:numberOfCredits>1.25</hx:numberOfCredits>',
        '<hx:numberOfCredits>1.25</hx:numberOfCredits><hx:creditUnit>Point</hx:creditUnit>',
      ),
    problem: /creditUnit is not allowed at this place in CreditReceived/,
  },
  {
    name: 'a status outside the list',
    edit: (document) => document.replace('<Status>Completed</Status>', '<Status>Done</Status>'),
    problem: /Status must be one of "Registered", "Completed", "Expired", not "Done"/,
  },
  {
    name: 'a completion date without a time',
    edit: (document) => document.replace('2024-06-30T00:00:00', '2024-06-30'),
    problem: /CompletedDateTime must be a date and time as YYYY-MM-DDThh:mm:ss, not "2024-06-30"/,
  },
  {
    name: 'credits that are not a number',
    edit: (document) => document.replace('<hx:numberOfCredits>1.25</hx:numberOfCredits>', '<hx:numberOfCredits>one</hx:numberOfCredits>'),
    problem: /numberOfCredits must be a decimal number/,
  },
  {
    name: 'an identifier domain of the wrong form',
    edit: (document) => document.replace('domain="idd:abim.org:id"', 'domain="ABIM"'),
    problem: /the domain attribute of UniqueID must have the form idd:/,
  },
  {
    name: 'a report without its activity',
    edit: (document) => document.replace(/<Activity>[\s\S]*<\/Activity>/, ''),
    problem: /Line 29: ActivityReport needs Activity before XtensibleInfo/,
  },
  {
    name: 'an element of the member schema that it does not define',
    edit: (document) => document.replace('</Member>', '<m:ShoeSize>11</m:ShoeSize></Member>'),
    problem: /ShoeSize is not allowed/,
  },
  {
    name: 'text where elements belong',
    edit: (document) => document.replace('<Module>', '<Module>oops'),
    problem: /Module holds elements, not text/,
  },
  {
    name: 'a header date missing',
    edit: (document) => document.replace('<DateTimeCreated>2025-01-15T09:00:00</DateTimeCreated>', ''),
    problem: /Line 4: ActivityReports needs DateTimeCreated before ReportingStartDate/,
    wholeDocument: true,
  },
];

describe('checking documents against the schema as they stream', () => {
  it.runIf(hasXmllint)('agrees with the schema that the valid documents are valid', async () => {
    expect(schemaAccepts(await fileWith('valid-check.xml', validDocument))).toBe(true);
    expect(schemaAccepts(sampleDocument)).toBe(true);
  });

  for (const variant of brokenVariants) {
    it(`rejects ${variant.name}, with the reason and line`, async () => {
      const filePath = await fileWith(`${variant.name.replaceAll(' ', '-')}.xml`, variant.edit(validDocument));
      if (hasXmllint) expect(schemaAccepts(filePath)).toBe(false);
      if (variant.wholeDocument) {
        await expect(readAll(filePath)).rejects.toThrow(variant.problem);
        return;
      }
      const items = await readAll(filePath);
      expect(schemaProblems(items).join('\n')).toMatch(variant.problem);
    });
  }

  it('reports the learner fields the hub needs beyond the schema', async () => {
    const edited = validDocument
      .replace('moduleID="123456789"', 'moduleID="GR-12345"')
      .replace('<hx:numberOfCredits>1.25</hx:numberOfCredits>', '<hx:numberOfCredits>1.3</hx:numberOfCredits>')
      .replace('accuracy="DayMonth"', 'accuracy="MonthYear"');
    const filePath = await fileWith('fields.xml', edited);
    if (hasXmllint) expect(schemaAccepts(filePath)).toBe(true);
    const [item] = await readAll(filePath);
    expect(schemaProblems([item])).toEqual([]);
    // A moduleID that is not a hub activity ID may be the provider's own ID for the activity: reporting looks it up.
    expect(item.problems.map((problem) => problem.code)).toEqual(['birth_date_incomplete', 'invalid_credit_amount']);
  });

  it('names a missing Name or BirthDate once, with the element to add, and the fields it explains', async () => {
    const withoutName = await readAll(await fileWith('no-name.xml', validDocument.replace(/<m:Name>[\s\S]*<\/m:Name>/, '')));
    expect(withoutName[0].problems).toEqual([
      {
        code: 'no_name',
        field: 'learner',
        row: 1,
        message: "Line 27: the Member has no Name; add <Name> with the learner's GivenName and FamilyName, as on the license.",
      },
    ]);
    expect(withoutName[0].explainedFields).toEqual(['learner.firstName', 'learner.lastName']);

    const withoutBirthDate = await readAll(await fileWith('no-birth.xml', validDocument.replace(/<m:PersonalInfo>[\s\S]*<\/m:PersonalInfo>/, '')));
    expect(withoutBirthDate[0].problems.map((problem) => [problem.code, problem.message])).toEqual([
      [
        'no_birth_date',
        expect.stringContaining('the Member has no BirthDate; add <PersonalInfo><BirthDate accuracy="DayMonth">1900-MM-DD</BirthDate></PersonalInfo>'),
      ],
    ]);
    expect(withoutBirthDate[0].explainedFields).toEqual(['learner.birthMonth', 'learner.birthDay']);
  });

  it('says once what the schema refuses: a status outside its list is not also "not completed"', async () => {
    const [outside] = await readAll(await fileWith('status-outside.xml', validDocument.replace('<Status>Completed</Status>', '<Status>Incomplete</Status>')));
    expect(outside.problems.map((problem) => problem.message)).toEqual(['Line 33: Status must be one of "Registered", "Completed", "Expired", not "Incomplete".']);
    const [registered] = await readAll(await fileWith('status-registered.xml', validDocument.replace('<Status>Completed</Status>', '<Status>Registered</Status>')));
    expect(registered.problems.map((problem) => problem.code)).toEqual(['not_completed']);
    // A value the schema refused explains the report field it would have given.
    const [noNumber] = await readAll(await fileWith('credits-word.xml', validDocument.replace('<hx:numberOfCredits>1.25</hx:numberOfCredits>', '<hx:numberOfCredits>one</hx:numberOfCredits>')));
    expect(noNumber.problems.map((problem) => problem.code)).toEqual(['xml_schema']);
    expect(noNumber.explainedFields).toEqual(['credits']);
  });

  it('reads the Activity\'s Status where the Module gives none: a learner only registered is not credited', async () => {
    const withActivityStatus = (activityStatus: string, moduleStatus: string) =>
      validDocument
        .replace('<ActivityName>Pain Management Update</ActivityName>', `<ActivityName>Pain Management Update</ActivityName>\n      <Status>${activityStatus}</Status>`)
        .replace('<Status>Completed</Status>\n', moduleStatus ? `<Status>${moduleStatus}</Status>\n` : '');
    const registeredPath = await fileWith('activity-registered.xml', withActivityStatus('Registered', ''));
    expect(schemaAccepts(registeredPath)).toBe(true);
    const [registered] = await readAll(registeredPath);
    expect(registered.report.status).toBe('Registered');
    expect(registered.problems.map((problem) => [problem.code, problem.message])).toEqual([
      ['not_completed', 'Line 32: Activity Status is "Registered" and the Module gives no Status of its own; only completed activities are reported.'],
    ]);
    const [completed] = await readAll(await fileWith('activity-completed.xml', withActivityStatus('Completed', '')));
    expect(completed.problems).toEqual([]);
    // A module completed within an activity the learner has not finished: the module is what is reported.
    const [moduleDone] = await readAll(await fileWith('module-completed.xml', withActivityStatus('Registered', 'Completed')));
    expect(moduleDone.report.status).toBe('Completed');
    expect(moduleDone.problems).toEqual([]);
  });

  it('takes a report without a Module as explaining its activity, completion date and credits', async () => {
    const [item] = await readAll(await fileWith('no-module.xml', validDocument.replace(/<Module>[\s\S]*<\/Module>/, '')));
    expect(item.problems.map((problem) => problem.message)).toEqual([expect.stringMatching(/Activity is missing Module\.$/)]);
    expect(item.explainedFields).toEqual(['activityId', 'completionDate', 'credits']);
  });
});

it.runIf(hasXmllint)('uses the same reference script a provider can run', () => {
  expect(execFileSync(`${reference}/validate.sh`, [sampleDocument], { encoding: 'utf8' })).toContain('validates');
});
