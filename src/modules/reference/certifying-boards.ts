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
