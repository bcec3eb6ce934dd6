import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * How a route that reads its body as a stream (a file upload) describes that body in the API reference.
 * `form`: the multipart form it takes, when one of `contentTypes` is multipart/form-data: the field that
 * carries the file, and the other fields (zod, as the route validates them).
 */
export type FileBodyDoc = { contentTypes: string[]; description: string; form?: { fileField: string; fields: z.ZodObject } };

declare module 'fastify' {
  interface FastifyContextConfig {
    fileBody?: FileBodyDoc;
  }
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type DocumentInput = Parameters<typeof jsonSchemaTransformObject>[0];

/** Marks an operation whose body may be left out, until the whole document is built (see `openapiTransformObject`). */
const OPTIONAL_BODY = 'x-optional-body';

/**
 * zod schemas to JSON Schema for the document, plus the request body of file routes, which is read
 * as a stream and so has no zod body schema to validate against.
 */
export function openapiTransform(input: TransformInput) {
  const transformed = jsonSchemaTransform(input);
  const fileBody = (input.route.config as { fileBody?: FileBodyDoc } | undefined)?.fileBody;
  const optionalBody = optionalBodyOf(input.schema?.body);
  if (optionalBody) {
    const { body } = jsonSchemaTransform({ ...input, schema: { body: optionalBody } }).schema;
    return { ...transformed, schema: { ...transformed.schema, body, [OPTIONAL_BODY]: true } };
  }
  if (!fileBody) return transformed;
  const file = { type: 'string', format: 'binary', description: fileBody.description };
  const content = Object.fromEntries(
    fileBody.contentTypes.map((type) => [type, { schema: type === 'multipart/form-data' && fileBody.form ? formSchema(fileBody.form, file) : file }]),
  );
  return { ...transformed, schema: { ...transformed.schema, body: { content } } };
}

function formSchema(form: NonNullable<FileBodyDoc['form']>, file: object) {
  const { $schema: _, properties, ...fields } = z.toJSONSchema(form.fields, { io: 'input' });
  return { ...fields, type: 'object', properties: { [form.fileField]: file, ...properties }, required: [form.fileField, ...(fields.required ?? [])] };
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
