import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isRefusedValue, refusalReason, refusedFieldMessage, sqlStateOf, valueNotStored } from '../db/database-errors.ts';
import { AppError } from './errors.ts';
import type { Problem } from './errors.ts';
import { unreadContentTypeMessage } from '../files/unread-formats.ts';
import { inWords } from '../words.ts';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable code'),
    detail: z.string().describe('What went wrong and what to do, in plain words'),
    requestId: z.string(),
    problems: z
      .array(
        z.object({
          code: z.string(),
          field: z.string().optional(),
          message: z.string(),
          row: z.number().int().optional(),
          suggestion: z
            .object({
              value: z.string().describe('The value to send for the field'),
              said: z.string().describe('What the file says, as written'),
              row: z.number().int().describe('The row of the file that says it'),
              sheet: z.string().optional().describe("The row's sheet, in a workbook"),
              probably: z.literal(true).optional().describe('The file says it a little otherwise (an activity title typed with a slip): the value is what it probably means'),
            })
            .optional()
            .describe('A value the file itself gives for what is lacking (a sign-in sheet\'s date above its header): never taken in unasked, it is for the sender to confirm by sending it'),
        }),
      )
      .describe('Each thing to fix, by field (and row, in a file); empty when the answer has none to list beyond its detail'),
    retryAfterSeconds: z.number().optional(),
  })
  .meta({ id: 'Problem' });

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** A problem as the API reference declares it, with what it means on its route: sent as application/problem+json (see `openapiTransform`). */
export function problemResponse(status: number, description = titles[status] ?? 'Error') {
  return { description, content: { 'application/problem+json': { schema: problemSchema } } };
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  problems?: Problem[],
  extra?: Record<string, unknown>,
) {
  const document = problemDocument(status, code, detail, String(request.id), problems, extra);
  return reply.code(status).type('application/problem+json').send(JSON.stringify(document));
}

/**
 * The body of every problem the hub answers with, and its status line's words; `problems` is always there, empty when
 * there are none, so that a client reads it without looking first; `extra`: what else it says (`retryAfterSeconds`).
 */
export function problemDocument(status: number, code: string, detail: string, requestId: string, problems: Problem[] = [], extra: Record<string, unknown> = {}) {
  return { type: `https://cmehub.org/problems/${code}`, title: titles[status] ?? 'Error', status, code, detail, requestId, problems, ...extra };
}

function zodIssuesToProblems(error: FastifyError): Problem[] {
  const validation = error.validation ?? [];
  const context = error.validationContext ?? 'body';
  return validation.map((issue) => {
    const instancePath = String(issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const field = instancePath || (issue.params as { missingProperty?: string } | undefined)?.missingProperty;
    return {
      code: String(issue.keyword ?? 'invalid'),
      field: field ? field : context,
      message: String(issue.message ?? 'Invalid value'),
    };
  });
}

/** Maps any error to problem+json; unexpected errors are logged and shown without internals. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error.headers) reply.headers(error.headers);
    return sendProblem(reply, request, error.status, error.code, error.message, error.problems, error.extra);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    return sendProblem(
      reply,
      request,
      400,
      'invalid_request',
      'The request does not have the expected shape. See problems for each field.',
      zodIssuesToProblems(error),
    );
  }
  const status = error.statusCode ?? 500;
  if (status === 429) {
    const retryAfterSeconds = Number(reply.getHeader('retry-after')) || 60;
    return sendProblem(
      reply,
      request,
      429,
      'rate_limited',
      `Too many requests. Try again in ${retryAfterSeconds} seconds.`,
      undefined,
      { retryAfterSeconds },
    );
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendProblem(reply, request, 415, 'unsupported_media_type', contentTypeMessage(request));
  }
  if (status >= 400 && status < 500) {
    const code = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'payload_too_large' : 'invalid_request';
    return sendProblem(reply, request, status, code, publicClientMessage(error));
  }
  if (isRefusedValue(error)) {
    // A value no check foresaw, which the sender can correct. Logged by its SQLSTATE alone: the message may quote the value.
    request.log.warn({ sqlState: sqlStateOf(error) }, 'the database refused a value of the request');
    if (request.method === 'GET' || request.method === 'HEAD') {
      return sendProblem(reply, request, 400, 'invalid_request', `A value of the request could not be used (${refusalReason(error)}): look for an option holding what it does not take.`);
    }
    return sendProblem(reply, request, 422, valueNotStored, refusedFieldMessage(error, 'the request'));
  }
  if (clientWentAway(request)) {
    // Nothing failed on the hub's side: a sender cancelled, or lost its connection, in the middle of a file.
    request.log.info({ code: error.code }, 'the client closed the connection before its request ended');
    return sendProblem(reply, request, 400, 'request_cut_off', 'The request was cut off before its body ended: send it again.');
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, request, 500, 'internal_error', 'Something went wrong on our side. Quote the request id when you report it.');
}

function clientWentAway(request: FastifyRequest): boolean {
  return request.raw.readableAborted && request.raw.socket.destroyed;
}

/** Fastify's own 4xx messages are safe (no data, no SQL); keep them short. */
function publicClientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; send JSON.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON.';
    default:
      return error.message.split('\n')[0] ?? 'Bad request';
  }
}

/** A body of a type the route does not read: which types it reads (a file route's, as documented, or JSON). */
export function contentTypeMessage(request: FastifyRequest): string {
  const sent = request.headers['content-type']?.split(';')[0].trim();
  const { config, schema } = request.routeOptions;
  const documented = config?.fileBody?.contentTypes ?? (config?.bodyDoc && Object.keys(config.bodyDoc.content));
  const accepted = documented ?? schema?.consumes ?? ['application/json'];
  // A file of a kind the hub does not read, sent under its own type: what it is, and what to send instead. Only the
  // type says so, its bytes unread: a client that labels every file so is told how to label one the hub reads.
  const kindNotRead = sent && accepted.includes('text/csv') ? unreadContentTypeMessage(sent) : null;
  if (kindNotRead) return `Sent as ${sent}: ${kindNotRead} If the file is a CSV file, a workbook or an XML file after all, send it with its own type: ${inWords(accepted, 'or')}.`;
  const refused = sent ? `The content type ${sent} is not accepted here` : 'The request has no Content-Type';
  return `${refused}: send ${accepted.length === 1 ? accepted[0] : `one of ${inWords(accepted, 'or')}`}.`;
}
