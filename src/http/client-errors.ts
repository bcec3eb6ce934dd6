import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { problemDocument } from './problem.ts';

/**
 * A request Node's HTTP parser refuses before the hub sees it (headers past its limit, an address holding characters
 * it cannot hold unescaped), answered as every API error is, as application/problem+json with what to change and a
 * request id, logged with it so that the id quoted finds it; the connection is then closed, as the request could not
 * be read to its end.
 */
export function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Fastify gives an id to requests it reads; this one it never read, so it is given its own here.
  const requestId = randomUUID();
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problemDocument(431, 'headers_too_large', "The request's headers are larger than the hub takes (16 KB): send fewer or shorter ones (a cookie or a token grown too long).", requestId)
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problemDocument(408, 'request_timeout', 'The request took too long to arrive whole: send it again.', requestId)
        : problemDocument(
            400,
            'malformed_request',
            'The request could not be read as HTTP: its address holds a character it cannot hold as it is (a letter with an accent, a space, a line break), or a header is malformed. Percent-encode the address: Übersicht as %C3%9Cbersicht.',
            requestId,
          );
  this.log.info({ reqId: requestId, code: problem.code, status: problem.status }, 'the HTTP parser refused a request');
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
