/** US states, DC and the territories, by USPS code: where medical licenses are issued. */
export const jurisdictions = [
  ['AL', 'Alabama'], ['AK', 'Alaska'], ['AZ', 'Arizona'], ['AR', 'Arkansas'], ['CA', 'California'],
  ['CO', 'Colorado'], ['CT', 'Connecticut'], ['DE', 'Delaware'], ['DC', 'District of Columbia'],
  ['FL', 'Florida'], ['GA', 'Georgia'], ['HI', 'Hawaii'], ['ID', 'Idaho'], ['IL', 'Illinois'],
  ['IN', 'Indiana'], ['IA', 'Iowa'], ['KS', 'Kansas'], ['KY', 'Kentucky'], ['LA', 'Louisiana'],
  ['ME', 'Maine'], ['MD', 'Maryland'], ['MA', 'Massachusetts'], ['MI', 'Michigan'], ['MN', 'Minnesota'],
  ['MS', 'Mississippi'], ['MO', 'Missouri'], ['MT', 'Montana'], ['NE', 'Nebraska'], ['NV', 'Nevada'],
  ['NH', 'New Hampshire'], ['NJ', 'New Jersey'], ['NM', 'New Mexico'], ['NY', 'New York'],
  ['NC', 'North Carolina'], ['ND', 'North Dakota'], ['OH', 'Ohio'], ['OK', 'Oklahoma'], ['OR', 'Oregon'],
  ['PA', 'Pennsylvania'], ['RI', 'Rhode Island'], ['SC', 'South Carolina'], ['SD', 'South Dakota'],
  ['TN', 'Tennessee'], ['TX', 'Texas'], ['UT', 'Utah'], ['VT', 'Vermont'], ['VA', 'Virginia'],
  ['WA', 'Washington'], ['WV', 'West Virginia'], ['WI', 'Wisconsin'], ['WY', 'Wyoming'],
  ['AS', 'American Samoa'], ['GU', 'Guam'], ['MP', 'Northern Mariana Islands'], ['PR', 'Puerto Rico'],
  ['VI', 'U.S. Virgin Islands'],
] as const;

/**
 * The abbreviations of state names that newspapers (AP style) and older forms write, without their full stop:
 * "Calif.", "Mass.", "Wash.". A state whose name is short (Ohio, Utah) has none.
 */
export const jurisdictionAbbreviations: readonly (readonly [JurisdictionCode, string])[] = [
  ['AL', 'Ala'], ['AZ', 'Ariz'], ['AR', 'Ark'], ['CA', 'Calif'], ['CA', 'Cal'], ['CO', 'Colo'], ['CT', 'Conn'],
  ['DE', 'Del'], ['FL', 'Fla'], ['GA', 'Ga'], ['IL', 'Ill'], ['IN', 'Ind'], ['KS', 'Kan'], ['KS', 'Kans'],
  ['KY', 'Ky'], ['LA', 'La'], ['MD', 'Md'], ['MA', 'Mass'], ['MI', 'Mich'], ['MN', 'Minn'], ['MS', 'Miss'],
  ['MO', 'Mo'], ['MT', 'Mont'], ['NE', 'Neb'], ['NE', 'Nebr'], ['NV', 'Nev'], ['NM', 'N Mex'], ['OK', 'Okla'],
  ['OR', 'Ore'], ['OR', 'Oreg'], ['PA', 'Pa'], ['PA', 'Penn'], ['PA', 'Penna'], ['TN', 'Tenn'], ['TX', 'Tex'],
  ['VT', 'Vt'], ['VA', 'Va'], ['WA', 'Wash'], ['WV', 'W Va'], ['WI', 'Wis'], ['WI', 'Wisc'], ['WY', 'Wyo'],
];

export type JurisdictionCode = (typeof jurisdictions)[number][0];
export const jurisdictionCodes = jurisdictions.map(([code]) => code) as [JurisdictionCode, ...JurisdictionCode[]];
export const jurisdictionName = new Map<string, string>(jurisdictions);

const stateByName = new Map<string, string>(jurisdictions.map(([code, name]) => [name.toLowerCase(), code]));
const stateByAbbreviation = new Map<string, string>(jurisdictionAbbreviations.map(([code, abbreviation]) => [abbreviation.toLowerCase(), code]));

/**
 * A state as a form's drop-down or a sheet writes it: "CA", "California", "State of California", "N.Y.", "Calif.",
 * and code and name together, "CA - California" or "California (CA)", when they agree. Anything else as written,
 * which the report's check then names.
 */
export function stateCode(written: string): string | null {
  const text = written.trim();
  if (!text) return null;
  const byName = stateByName.get(text.toLowerCase().replace(/^state of\s+/, ''));
  if (byName) return byName;
  const byAbbreviation = stateByAbbreviation.get(text.toLowerCase().replace(/\./g, '').replace(/\s+/g, ' ').trim());
  if (byAbbreviation) return byAbbreviation;
  const dotted = /^([a-z])\.\s*([a-z])\.?$/i.exec(text);
  if (dotted) return `${dotted[1]}${dotted[2]}`.toUpperCase();
  const codeFirst = /^([a-z]{2})\s*[-–:]\s*(.+)$/i.exec(text);
  const nameFirst = /^(.+?)\s*\(([a-z]{2})\)$/i.exec(text);
  const [code, name] = codeFirst ? [codeFirst[1], codeFirst[2]] : nameFirst ? [nameFirst[2], nameFirst[1]] : [];
  return code && name && stateByName.get(name.toLowerCase()) === code.toUpperCase() ? code.toUpperCase() : text;
}

/** States where MDs and DOs are licensed by separate boards. */
export const statesWithSeparateDoBoards = new Set([
  'AZ', 'CA', 'FL', 'ME', 'MI', 'NV', 'OK', 'PA', 'TN', 'UT', 'VT', 'WA', 'WV',
]);
