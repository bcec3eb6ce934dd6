import { jsonSchemaTransform } from 'fastify-type-provider-zod';
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

/**
 * zod schemas to JSON Schema for the document, plus the request body of file routes, which is read
 * as a stream and so has no zod body schema to validate against.
 */
export function openapiTransform(input: TransformInput) {
  const transformed = jsonSchemaTransform(input);
  const fileBody = (input.route.config as { fileBody?: FileBodyDoc } | undefined)?.fileBody;
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
