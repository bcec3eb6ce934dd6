import type { FastifyReply } from 'fastify';
import type { FileDownload } from '../files/tabular-writer.ts';

/** Sends a file as an attachment, streamed. */
export function sendDownload(reply: FastifyReply, file: FileDownload): FastifyReply {
  return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.stream);
}
