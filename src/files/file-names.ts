/**
 * A file's name as a browser's form sent it, kept to list the upload and to name its receipt: without control
 * characters (a NUL, which no database stores, or a line break), of whole characters, at most 255 of them.
 */
export function sentFileName(raw: string | null | undefined): string | null {
  const name = Array.from((raw ?? '').toWellFormed().replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()).slice(0, 255).join('');
  return name || null;
}

/**
 * The name of a file the hub hands back for one the user sent: what it is, then the sent file's name without its
 * ending ("receipt-year-end-2026"), so that a folder of downloads tells them apart; letters of any language and
 * digits kept ("receipt-Übersicht"), the rest one "_", at most 60 characters of the sent name.
 */
export function downloadName(what: string, sentName: string | null, ...more: string[]): string {
  const stem = Array.from(sentName?.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}.-]+/gu, '_').replace(/^[_.-]+|[_.-]+$/g, '') ?? '')
    .slice(0, 60)
    .join('');
  return [what, stem, ...more].filter(Boolean).join('-');
}

/**
 * A Content-Disposition that names the file in any language: `filename` for old clients, in ASCII (accents left
 * out, other letters "_"), and `filename*` in UTF-8 (RFC 6266) when the name is not ASCII.
 */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return ascii === fileName ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
