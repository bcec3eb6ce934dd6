import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** How a route that reads its body as a stream (a file upload) describes that body in the API reference. */
export type FileBodyDoc = { contentTypes: string[]; description: string };

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
  return {
    ...transformed,
    schema: {
      ...transformed.schema,
      consumes: fileBody.contentTypes,
      body: { type: 'string', format: 'binary', description: fileBody.description },
    },
  };
}
