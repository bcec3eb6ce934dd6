/** The certifying boards that take part in continuing certification (MOC) reporting. */
export const certifyingBoards = [
  ['ABA', 'American Board of Anesthesiology'],
  ['ABIM', 'American Board of Internal Medicine'],
  ['ABOHNS', 'American Board of Otolaryngology – Head and Neck Surgery'],
  ['ABOS', 'American Board of Orthopaedic Surgery'],
  ['ABP', 'American Board of Pediatrics'],
  ['ABPATH', 'American Board of Pathology'],
  ['ABS', 'American Board of Surgery'],
  ['ABTS', 'American Board of Thoracic Surgery'],
  ['ABPMR', 'American Board of Physical Medicine and Rehabilitation'],
] as const;

export type CertifyingBoardCode = (typeof certifyingBoards)[number][0];
export const certifyingBoardCodes = certifyingBoards.map(([code]) => code) as [
  CertifyingBoardCode,
  ...CertifyingBoardCode[],
];
export const certifyingBoardName = new Map<string, string>(certifyingBoards);

/** The headings a column of a board's own IDs goes by in exports: "ABIM ID", "ABIM number", "ABIM diplomate ID". */
export function boardIdHeadings(board: string): [string, ...string[]] {
  return [`${board} ID`, `${board} number`, `${board} ID number`, `${board} diplomate ID`, `${board} diplomate number`, `${board} candidate ID`];
}
