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

/** States where MDs and DOs are licensed by separate boards. */
export const statesWithSeparateDoBoards = new Set([
  'AZ', 'CA', 'FL', 'ME', 'MI', 'NV', 'OK', 'PA', 'TN', 'UT', 'VT', 'WA', 'WV',
]);
