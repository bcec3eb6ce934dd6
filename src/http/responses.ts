import type { z } from 'zod';
import { problemSchema } from './problem.ts';

/** A header an answer sets, as the API reference shows it. */
export type ResponseHeader = { type: 'string' | 'integer'; description: string };
export type ResponseHeaders = Record<string, ResponseHeader>;

/** A success: its schema, what it is, and the headers it sets. */
type Success = readonly [schema: z.ZodType, description: string, headers?: ResponseHeaders];
/** A success already written per content type (`{ description, headers?, content }`), as the zod provider takes it. */
type ContentSuccess = { description: string; content: Record<string, { schema: z.ZodType }>; headers?: ResponseHeaders };
/** A problem (application/problem+json): what it means on this route, alone or with the headers it sets. */
type Failure = string | readonly [description: string, headers: ResponseHeaders];

type Declared = Record<number, Success | ContentSuccess | Failure>;

/** What each status was declared with, for the API reference (`http/openapi.ts`). */
export type ResponseDocs = Record<string, { description: string; headers?: ResponseHeaders }>;
const docsKey = Symbol('response docs');

/** `Location`: where the answer's record is to be followed. */
export const locationOf = (what: string): ResponseHeaders => ({ location: { type: 'string', description: `The address of ${what}` } });

/** `Retry-After`: when to ask again. */
export const retryAfter = (when = ''): ResponseHeaders => ({ 'retry-after': { type: 'integer', description: `Seconds to wait before asking again${when && ` ${when}`}` } });

/** A table's download (a receipt, rows to fix), whose Accept header takes neither of its formats. */
export const tableNotAcceptable = { 406: 'The Accept header takes neither CSV nor XLSX: accept one, or ask with ?format=' } as const;

/** Every route may answer these: the rate limit (per API key, or per address) and a failure on the hub's side. */
const always = {
  429: ['Too many requests: wait the seconds Retry-After says, then ask again', retryAfter()],
  500: 'Something went wrong on the hub\'s side: quote the request id when you report it',
} as const;

type ResponseMap<D extends Declared> = {
  [K in keyof D]: D[K] extends Success ? D[K][0] : D[K] extends ContentSuccess ? D[K] : typeof problemSchema;
} & { [K in Exclude<keyof typeof always, keyof D>]: typeof problemSchema };

/**
 * A route's `schema.response`: each status it can answer, with what it means there. A success gives its schema
 * (`[schema, description, headers?]`); an error only its words, and is sent as a problem (`problemSchema`). 429
 * and 500 are added to every route.
 */
export function responses<const D extends Declared>(declared: D): ResponseMap<D> {
  const map: Record<string, unknown> = {};
  const docs: ResponseDocs = {};
  for (const [status, answer] of Object.entries({ ...always, ...declared }) as [string, Success | ContentSuccess | Failure][]) {
    if (typeof answer === 'string') {
      map[status] = problemSchema;
      docs[status] = { description: answer };
    } else if (!Array.isArray(answer)) {
      map[status] = answer;
    } else if (typeof answer[0] === 'string') {
      const [description, headers] = answer as Extract<Failure, readonly unknown[]>;
      map[status] = problemSchema;
      docs[status] = { description, headers };
    } else {
      const [schema, description, headers] = answer as Success;
      map[status] = schema;
      docs[status] = { description, ...(headers ? { headers } : {}) };
    }
  }
  Object.defineProperty(map, docsKey, { value: docs });
  return map as ResponseMap<D>;
}

/** The descriptions and headers `responses` declared, or none for a map written out by hand. */
export function responseDocsOf(response: object | undefined): ResponseDocs {
  return (response as { [docsKey]?: ResponseDocs } | undefined)?.[docsKey] ?? {};
}

// The errors most routes share, to spread into `responses`.

/** A route for whoever is signed in, whatever their role. */
export const signedInOnly = { 401: 'Not signed in: log in, or send a valid API key (Authorization: Bearer <key>)' } as const;

/** A route for whoever is signed in, and then only for some roles and organizations. */
export const signedIn = {
  ...signedInOnly,
  403: 'Your role may not do this (or, signed in with the session cookie, the x-csrf-token header is missing or out of date)',
} as const;

/** A route open to anyone; a key sent with it must still be valid. */
export const openToAll = { 401: 'The Authorization header holds no valid API key (this needs none: leave it out)' } as const;

/** A route that reads an id, options or a body checked by its schema. */
export const invalid = { 400: 'The request does not have the expected shape: `problems` names each field to fix' } as const;

/** A route that reads a JSON body. */
export const jsonBody = {
  ...invalid,
  413: 'The body is larger than the hub takes',
  415: 'The body is of a type this does not read, or compressed: send application/json',
} as const;
