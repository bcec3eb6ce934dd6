import type { FastifyReply } from 'fastify';
import { attachmentHeader } from '../files/file-names.ts';
import type { FileDownload } from '../files/tabular-writer.ts';
import { AppError } from './errors.ts';

/** Sends a file as an attachment, streamed. */
export function sendDownload(reply: FastifyReply, file: FileDownload): FastifyReply {
  return reply.type(file.contentType).header('content-disposition', attachmentHeader(file.fileName)).send(file.stream);
}

export type TableFormat = 'csv' | 'xlsx';

const tableTypes = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const satisfies Record<TableFormat, string>;

/**
 * The format a table is sent in: `?format=` when given; else the one the Accept header prefers; undefined when
 * Accept says nothing (absent, `*\/*`) or likes both alike, for the route's own default. An Accept that takes
 * neither is refused (406), naming both and `?format=`.
 */
export function tableFormatAsked(asked: TableFormat | undefined, accept: string | undefined): TableFormat | undefined {
  if (asked) return asked;
  if (!accept?.trim()) return undefined;
  const csv = acceptQuality(accept, tableTypes.csv);
  const xlsx = acceptQuality(accept, tableTypes.xlsx);
  if (csv === 0 && xlsx === 0) {
    throw new AppError(
      406,
      'not_acceptable',
      `This file is sent as CSV (${tableTypes.csv}) or XLSX (${tableTypes.xlsx}), which the Accept header takes neither of: accept one of them, or ask for one with ?format=csv or ?format=xlsx.`,
    );
  }
  return csv > xlsx ? 'csv' : xlsx > csv ? 'xlsx' : undefined;
}

/** How much an Accept header likes a media type (0 to 1): its most specific range that covers the type says (RFC 9110). */
export function acceptQuality(accept: string, type: string): number {
  const anySubtype = `${type.split('/')[0]}/*`;
  let mostSpecific = -1;
  let liked = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const specificity = range === type ? 2 : range === anySubtype ? 1 : range === '*/*' ? 0 : -1;
    if (specificity <= mostSpecific) continue;
    mostSpecific = specificity;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    liked = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 1;
  }
  return liked;
}
