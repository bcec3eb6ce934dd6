import { describe, expect, it } from 'vitest';
import { readActivityReportsXml } from './reports.xml-input.ts';

/** One completion whose learner is licensed as `license` says: a LicenseInfo, or a UniqueID. */
function documentWith(license: string): string {
  const [uniqueId, licenseInfo] = license.startsWith('<m:UniqueID') ? [license, ''] : ['', license];
  return `<?xml version="1.0" encoding="UTF-8"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/" xmlns:a="http://ns.medbiq.org/address/v2/">
  <DateTimeCreated>2025-01-15T09:00:00</DateTimeCreated><ReportingStartDate>2024-01-01</ReportingStartDate><ReportingEndDate>2024-12-31</ReportingEndDate>
  <ActivityReport>
    <ReportingOrganization>Nonesuch University</ReportingOrganization>
    <Member>
      ${uniqueId}
      <m:Name><n:GivenName>Ada</n:GivenName><n:FamilyName>Okafor</n:FamilyName></m:Name>
      ${licenseInfo}
      <m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-05-17</m:BirthDate></m:PersonalInfo>
    </Member>
    <Activity><ProviderOrganization>0001234</ProviderOrganization><ActivityName>Update</ActivityName>
      <Module><ModuleName moduleID="123456789">Update</ModuleName><Status>Completed</Status><CompletedDateTime>2024-06-30T00:00:00</CompletedDateTime>
        <CreditCertificate><CreditReceived><hx:activityCertification>AMA PRA Category 1 Credit</hx:activityCertification><hx:creditUnit>Point</hx:creditUnit><hx:numberOfCredits>1</hx:numberOfCredits></CreditReceived><CreditID>ccid:0001234:x-1</CreditID></CreditCertificate>
      </Module>
    </Activity>
  </ActivityReport>
</ActivityReports>`;
}

const licenseInfo = (state: string) =>
  `<m:LicenseInfo><m:License><m:LicensureEntity><m:LicensureEntityName>Medical Board</m:LicensureEntityName></m:LicensureEntity><m:LicenseNumberAvailability>Available</m:LicenseNumberAvailability><m:LicenseNumber>A23456</m:LicenseNumber><m:Jurisdiction><m:Country><a:CountryCode>840</a:CountryCode></m:Country><m:StateOrProvince>${state}</m:StateOrProvince></m:Jurisdiction></m:License></m:LicenseInfo>`;

describe('a MedBiquitous completion as a learner report', () => {
  it("reads a LicenseInfo's state by its name, as the schema lets a document write it", async () => {
    const [row] = await readActivityReportsXml(documentWith(licenseInfo('California')), 'written');
    expect(row.parseProblems).toEqual([]);
    expect(row.input?.learner).toMatchObject({ state: 'CA', licenseNumber: 'A23456' });
  });

  it('names the element that gave a value it refuses: the StateOrProvince of a LicenseInfo, the domain of a UniqueID', async () => {
    const [fromLicenseInfo] = await readActivityReportsXml(documentWith(licenseInfo('Ontario')), 'written');
    expect(fromLicenseInfo.parseProblems.map((problem) => problem.message)).toEqual([expect.stringMatching(/^Line \d+: StateOrProvince: /)]);
    const [fromUniqueId] = await readActivityReportsXml(documentWith('<m:UniqueID domain="idd:accme.org:CA">A23456</m:UniqueID>'), 'written');
    expect(fromUniqueId.parseProblems).toEqual([]);
    expect(fromUniqueId.input?.learner).toMatchObject({ state: 'CA', licenseNumber: 'A23456' });
  });
});
