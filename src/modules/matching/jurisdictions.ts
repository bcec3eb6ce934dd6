/** US licensing jurisdictions: the 50 states, DC and the territories, by USPS code and by name. */
export const JURISDICTIONS: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
  CT: 'Connecticut', DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii',
  ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana',
  ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi',
  MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey',
  NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma',
  OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota',
  TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington',
  WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming', PR: 'Puerto Rico', GU: 'Guam',
  VI: 'U.S. Virgin Islands', AS: 'American Samoa', MP: 'Northern Mariana Islands',
};

const byFoldedName = new Map<string, string>([
  ...Object.entries(JURISDICTIONS).map(([code, name]): [string, string] => [foldJurisdiction(name), code]),
  ['virginislands', 'VI'],
  ['washingtondc', 'DC'],
]);

function foldJurisdiction(text: string): string {
  return text.toLowerCase().replace(/[^a-z]/g, '');
}

/** "ca", "CA" and "California" give "CA"; anything else gives null. */
export function normalizeJurisdiction(raw: string | null | undefined): string | null {
  const trimmed = (raw ?? '').trim();
  if (trimmed.length === 0) return null;
  const upper = trimmed.toUpperCase();
  if (upper in JURISDICTIONS) return upper;
  return byFoldedName.get(foldJurisdiction(trimmed)) ?? null;
}
