import { Stream } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError, BadRequestError } from './errors.ts';
import type { Problem } from './errors.ts';

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
 * preValidation: PostgreSQL cannot store U+0000 in text, nor half of a character written in two UTF-16 units (a
 * lone surrogate, as a program that cut an emoji in two writes it, escaped in JSON as "\ud83d"), so such text
 * anywhere in a request's JSON body, query or path is refused here, naming the field, rather than failing in the
 * database.
 */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  refuseUnstorableTextIn(request.params, request.query, request.body);
}

/** Refuses parsed JSON values, queries or form fields that hold U+0000 or half a character, naming their fields. */
export function refuseUnstorableTextIn(...values: unknown[]): void {
  const problems = values.flatMap((value) => unstorableTextProblems(value));
  if (problems.length === 0) return;
  const fields = problems.map((problem) => problem.field).join(', ');
  throw new BadRequestError(
    'invalid_request',
    problems.every((problem) => problem.code === 'nul_character')
      ? `The request has a NUL character (U+0000) in ${fields}: remove it (the hub takes no NUL character in text).`
      : `The request has text the hub cannot store in ${fields}: ${problems[0].message}`,
    problems,
  );
}

const halfCharacterMessage = 'Send whole characters: this text has half of one written in two parts (a lone UTF-16 surrogate, such as an emoji cut in two).';

/** The fields holding U+0000 or half a character, named as validation problems name them ("learner.lastName"). */
function unstorableTextProblems(value: unknown): Problem[] {
  const problems: Problem[] = [];
  // A stack rather than recursion: a deeply nested body must not exhaust the call stack.
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  const checkText = (text: string, field: string, what: string) => {
    if (text.includes('\u0000')) problems.push({ code: 'nul_character', field, message: `Remove the NUL character (U+0000)${what}: the hub takes none in text.` });
    else if (!text.isWellFormed()) problems.push({ code: 'half_character', field, message: halfCharacterMessage });
  };
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'string') {
      checkText(item, path || 'body', '');
      continue;
    }
    if (!isPlainData(item)) continue;
    // Pushed last to first, so that the problems come in the order of the fields.
    for (const [key, child] of Object.entries(item).reverse()) {
      const childPath = path ? `${path}.${key}` : key;
      checkText(key, childPath, ' from this field\'s name');
      stack.push({ value: child, path: childPath });
    }
  }
  return problems;
}

/** Parsed JSON, a query or path parameters: not a body read as a stream (a file), whose bytes are read elsewhere. */
function isPlainData(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && !(value instanceof Stream) && !ArrayBuffer.isView(value);
}
