import { Stream } from 'node:stream';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { strictQuery } from './common.schemas.ts';
import { AppError, BadRequestError, UnsupportedMediaTypeError } from './errors.ts';
import type { Problem } from './errors.ts';
import { contentTypeMessage } from './problem.ts';

/**
 * preParsing: bodies are read as they are sent, so a compressed one would be read as garbage ("no header row",
 * "not valid JSON"). It is refused with what to do instead.
 */
export async function refuseEncodedBodies(request: FastifyRequest): Promise<void> {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return;
  const what = request.routeOptions.config?.fileBody
    ? 'Send the file uncompressed, as it is saved (an XLSX workbook is compressed already).'
    : 'Send it uncompressed.';
  throw new AppError(415, 'unsupported_media_type', `The request body is compressed (Content-Encoding: ${encoding}), which the hub does not read. ${what}`, {
    headers: { 'accept-encoding': 'identity' },
  });
}

/**
 * preParsing: a route whose body is JSON, checked by its zod schema, takes no other type: text/plain (which Fastify
 * reads as text) or a type a module reads for its files would otherwise reach the schema and be refused as the
 * wrong shape (400) rather than as the wrong type (415, naming the one it takes). A route that reads files, or
 * other types, says so (`fileBody`, `bodyDoc`, `consumes`) and reads its types itself.
 */
export async function refuseTypesNotJson(request: FastifyRequest): Promise<void> {
  const { schema, config } = request.routeOptions;
  if (!schema?.body || schema.consumes || config?.fileBody || config?.bodyDoc) return;
  const sent = request.headers['content-type']?.split(';')[0].trim().toLowerCase();
  if (!sent || sent === 'application/json') return;
  throw new UnsupportedMediaTypeError(contentTypeMessage(request));
}

/**
 * onRoute: an API address that lists no options refuses any given, by name, as the lists do, rather than drop it
 * unseen: `?status=failed` on the roster loads would list them all.
 */
export function refuseOptionsWhereNoneTaken(route: RouteOptions): void {
  if (!route.url.startsWith('/api/') || route.schema?.querystring) return;
  route.schema = { ...route.schema, querystring: strictQuery('This address takes', {}) };
}

/**
 * preValidation: PostgreSQL cannot store U+0000 in text, so a NUL character anywhere in a request's JSON body,
 * query or path is refused here, naming the field, rather than failing in the database. Nor does it store half of a
 * character written in two UTF-16 units (a lone surrogate, as a program that cut an emoji in two sends it, escaped
 * in JSON as "\ud83d"): that half is read as the replacement character, as it is in a file.
 */
export async function makeTextStorable(request: FastifyRequest): Promise<void> {
  if (typeof request.body === 'string') request.body = request.body.toWellFormed();
  makeTextStorableIn(request.params, request.query, request.body);
}

/** Parsed JSON values, queries or form fields made storable: halves of characters made whole in place, and U+0000 refused, naming its fields. */
export function makeTextStorableIn(...values: unknown[]): void {
  const problems = values.flatMap((value) => nulCharacterProblems(value));
  if (problems.length === 0) return;
  throw new BadRequestError(
    'invalid_request',
    `The request has a NUL character (U+0000) in ${problems.map((problem) => problem.field).join(', ')}: remove it (the hub takes no NUL character in text).`,
    problems,
  );
}

/** The fields holding U+0000, named as validation problems name them ("learner.lastName"); each text below is made of whole characters, in place. */
function nulCharacterProblems(value: unknown): Problem[] {
  const problems: Problem[] = [];
  // A stack rather than recursion: a deeply nested body must not exhaust the call stack.
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) problems.push({ code: 'nul_character', field: path || 'body', message: 'Remove the NUL character (U+0000): the hub takes none in text.' });
      continue;
    }
    if (!isPlainData(item)) continue;
    // Pushed last to first, so that the problems come in the order of the fields.
    for (const [written, child] of Object.entries(item).reverse()) {
      const key = written.toWellFormed();
      const whole = typeof child === 'string' ? child.toWellFormed() : child;
      if (key !== written) delete (item as Record<string, unknown>)[written];
      if (key !== written || whole !== child) (item as Record<string, unknown>)[key] = whole;
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) problems.push({ code: 'nul_character', field: childPath, message: 'Remove the NUL character (U+0000) from this field\'s name.' });
      stack.push({ value: whole, path: childPath });
    }
  }
  return problems;
}

/** Parsed JSON, a query or path parameters: not a body read as a stream (a file), whose bytes are read elsewhere. */
function isPlainData(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && !(value instanceof Stream) && !ArrayBuffer.isView(value);
}
