import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileDownloadTypes } from './common.schemas.ts';
import { problemResponse, problemSchema } from './problem.ts';
import { responseDocsOf } from './responses.ts';
import type { ResponseDocs, ResponseHeaders } from './responses.ts';

/**
 * How a route that reads its body as a stream (a file upload) describes that body in the API reference.
 * `form`: the multipart form it takes, when one of `contentTypes` is multipart/form-data: the field that
 * carries the file, and the other fields (zod, as the route validates them); `description`, what the form's
 * schema says of the form as a whole (how its file part is found, the fields read).
 */
export type FileBodyDoc = { contentTypes: string[]; description: string; form?: { fileField: string; fields: z.ZodObject; description?: string } };

/**
 * How a route that checks its body itself, item by item, rather than refusing it whole by a zod body schema
 * (learner reports, each receipted with its own problems), describes it: what it takes, per content type.
 */
export type BodyDoc = { content: Record<string, z.ZodType> };

declare module 'fastify' {
  interface FastifyContextConfig {
    fileBody?: FileBodyDoc;
    bodyDoc?: BodyDoc;
  }
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type DocumentInput = Parameters<typeof jsonSchemaTransformObject>[0];

/** Marks an operation whose body may be left out, until the whole document is built (see `openapiTransformObject`). */
const OPTIONAL_BODY = 'x-optional-body';

/**
 * zod schemas to JSON Schema for the document, with what the zod transform alone does not say: the request
 * body of routes that have no zod body schema to validate against (file routes, read as a stream; routes that
 * check their body item by item), a body that may be left out, problems sent as application/problem+json,
 * response headers, and an operationId from the method and the path.
 */
export function openapiTransform(input: TransformInput) {
  const schema = input.schema ?? {};
  const response = schema.response as Record<string, unknown> | undefined;
  const docs = responseDocsOf(response);
  const transformed = jsonSchemaTransform({ ...input, schema: { ...schema, response: response && withProblemResponses(response, docs) } });
  if (transformed.schema?.hide) return transformed;
  const documented: Record<string, unknown> = { ...transformed.schema, operationId: schema.operationId ?? operationIdOf(input.route.method, input.url) };
  if (response && documented.response) documented.response = withFileContent(withResponseDocs(documented.response as Record<string, object>, response, docs), response);
  const config = input.route.config as { fileBody?: FileBodyDoc; bodyDoc?: BodyDoc } | undefined;
  const optionalBody = optionalBodyOf(schema.body);
  if (config?.fileBody) documented.body = { content: fileBodyContent(config.fileBody) };
  else if (config?.bodyDoc) documented.body = { content: bodyDocContent(input, config.bodyDoc) };
  else if (optionalBody) Object.assign(documented, { body: bodyJsonSchema(input, optionalBody), [OPTIONAL_BODY]: true });
  return { ...transformed, schema: documented };
}

/** A problem is always sent as application/problem+json, whichever route declares it, with what it means there. */
function withProblemResponses(response: Record<string, unknown>, docs: ResponseDocs): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(response).map(([status, declared]) => [status, declared === problemSchema ? problemResponse(Number(status), docs[status]?.description) : declared]),
  );
}

/**
 * What each answer is and the headers it sets (`responses`, `http/responses.ts`), which the zod transform leaves
 * out. An answer of one schema is written as JSON content beside its description (@fastify/swagger would take a
 * description put in the schema for the schema's own, and one beside a $ref not at all); an empty one (204) has
 * no content.
 */
function withResponseDocs(transformed: Record<string, object>, declared: Record<string, unknown>, docs: ResponseDocs) {
  return Object.fromEntries(
    Object.entries(transformed).map(([status, documented]) => {
      const headers = docs[status]?.headers ?? (declared[status] as { headers?: ResponseHeaders } | undefined)?.headers;
      const description = docs[status]?.description;
      const empty = (documented as { type?: unknown }).type === 'null';
      const described =
        !description || 'content' in documented || fileDownloadTypes.has(declared[status] as z.ZodType)
          ? { ...documented, ...(description ? { description } : {}) }
          : empty
            ? { type: 'null', description }
            : { description, content: { 'application/json': { schema: documented } } };
      return [status, headers ? { ...described, headers } : described];
    }),
  );
}

/** A file response in the content types it is sent in (a CSV or XLSX file), not as JSON. */
function withFileContent(transformed: Record<string, object>, declared: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(transformed).map(([status, documented]) => {
      const types = fileDownloadTypes.get(declared[status] as z.ZodType);
      if (!types) return [status, documented];
      const { description, headers } = documented as { description?: string; headers?: object };
      const file = { type: 'string', format: 'binary' };
      const content = Object.fromEntries(types.map((type) => [type, { schema: file }]));
      return [status, { description: description ?? 'The file', ...(headers ? { headers } : {}), content }];
    }),
  );
}

/** `getLearnerReportsById` for GET /api/v1/learner-reports/:id: the same route always gets the same one. */
function operationIdOf(method: string | string[], url: string): string {
  const words = url
    .replace(/^\/api\/v\d+/, '')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith(':') ? ['by', ...segment.slice(1).split(/[^A-Za-z0-9]+/)] : segment.split(/[^A-Za-z0-9]+/)))
    .filter(Boolean);
  return [[method].flat().join('').toLowerCase(), ...words.map((word) => word[0].toUpperCase() + word.slice(1))].join('');
}

function bodyJsonSchema(input: TransformInput, body: z.ZodType) {
  return jsonSchemaTransform({ ...input, schema: { body } }).schema.body;
}

function bodyDocContent(input: TransformInput, bodyDoc: BodyDoc) {
  return Object.fromEntries(Object.entries(bodyDoc.content).map(([type, schema]) => [type, { schema: bodyJsonSchema(input, schema) }]));
}

function fileBodyContent(fileBody: FileBodyDoc) {
  const file = { type: 'string', format: 'binary', description: fileBody.description };
  return Object.fromEntries(
    fileBody.contentTypes.map((type) => [type, { schema: type === 'multipart/form-data' && fileBody.form ? formSchema(fileBody.form, file) : file }]),
  );
}

function formSchema(form: NonNullable<FileBodyDoc['form']>, file: object) {
  const { $schema: _, properties, ...fields } = z.toJSONSchema(form.fields, { io: 'input' });
  return {
    ...fields,
    ...(form.description ? { description: form.description } : {}),
    type: 'object',
    properties: { [form.fileField]: file, ...properties },
    required: [form.fileField, ...(fields.required ?? [])],
  };
}

/**
 * A body schema that takes no body too (Fastify reads none as null): the schema of the body when there is one.
 * @fastify/swagger declares every body required, so such a route is marked for `openapiTransformObject`.
 */
function optionalBodyOf(body: unknown): z.ZodType | null {
  if (!(body instanceof z.ZodOptional || body instanceof z.ZodNullable) || !body.safeParse(null).success) return null;
  let inner: z.ZodType = body;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
  return body.description && !inner.description ? inner.describe(body.description) : inner;
}

/** The zod components of the document, and the bodies that may be left out declared not required. */
export function openapiTransformObject(input: DocumentInput) {
  const document = jsonSchemaTransformObject(input);
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations ?? {}) as Record<string, unknown>[]) {
      if (!operation?.[OPTIONAL_BODY]) continue;
      delete operation[OPTIONAL_BODY];
      (operation.requestBody as { required: boolean }).required = false;
    }
  }
  return document;
}
