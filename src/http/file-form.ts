import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { inWords } from '../words.ts';
import { AppError, BadRequestError } from './errors.ts';
import { makeTextStorableIn } from './request-checks.ts';

// A multipart form that carries one file (a learner file, a roster, a file of learners to check): its first file part,
// under whatever field name it has, as an HTML form may name it; the fields its route reads, before the file or after
// it; a second file refused, and a field the route does not take, so that neither is dropped unseen.

/** The form field documented for the file (a file part under another name is taken too). */
export const fileField = 'file';

/** The options of a route that takes a file: its query schema, whose options a form's fields give too. */
export type FileOptionsSchema = z.ZodObject;

/** What a form's refusals call its file and its fields. */
export type FileFormWords = {
  /** The file, as "attach … in the "file" field" says it: "the learner file". */
  file: string;
  /** A file name for the examples with curl: "completions.csv". */
  example: string;
  /** What to do with a second file: "send one file per upload". */
  oneFile: string;
  /** Who takes the form, as "a field that … does not take" says it: "an upload". */
  takenBy: string;
  /** The fields the form takes, said after one it does not take. */
  fieldsTaken: string;
};

/** The most a text field of the form holds; a longer one is cut short, which its reader refuses. */
export const formFieldMaxBytes = 1024;

/**
 * What the form may hold: one file, of at most `maxBytes`, and the text fields of the options, with room for mistakes
 * that are then refused by name. One byte over the limit, so that the byte count of what receives the file sees the
 * excess and refuses the file (the plugin would otherwise cut the file short without failing).
 */
export function fileFormLimits(maxBytes: number, schema: FileOptionsSchema) {
  return { fileSize: maxBytes + 1, files: 1, fields: 2 * Object.keys(schema.shape).length, fieldSize: formFieldMaxBytes };
}

/**
 * Reads a form part by part: `file()` reads the fields before the file, handing each to `field`, and gives the file;
 * `rest()`, once the file is received, reads the parts after it: its fields, to `field` too, and no second file. A text
 * field named as the file is refused. Their errors, and those of the file as it arrives, are said by `formError`.
 */
export function readFileForm(request: FastifyRequest, words: FileFormWords, field: (part: MultipartValue) => void) {
  const parts: AsyncIterableIterator<Multipart> = request.parts();
  const take = (part: MultipartValue) => {
    if (part.fieldname === fileField) {
      throw formFieldProblem(
        fileField,
        'file_required',
        `The form's "${fileField}" field holds text, not a file: attach ${words.file} to it (with curl: -F ${fileField}=@${words.example}).`,
      );
    }
    field(part);
  };
  return {
    async file(): Promise<MultipartFile> {
      for (;;) {
        const next = await parts.next();
        if (next.done) throw new BadRequestError('file_required', `The form has no file: attach ${words.file} in the "${fileField}" field.`);
        if (next.value.type === 'file') return next.value;
        take(next.value);
      }
    },
    async rest(): Promise<void> {
      for await (const part of parts) {
        // The plugin's files limit refuses a second file first, as an error of the parts that follow.
        if (part.type === 'file') throw severalFiles(words);
        take(part);
      }
    },
  };
}

/** The form's fields, as the refusal of a field the form does not take lists them: "file" (`file`), then the options. */
export function fieldsTakenWords(file: string, schema: FileOptionsSchema): string {
  return `Its fields are "${fileField}" (${file}), ${inWords(Object.keys(schema.shape).map((name) => `"${name}"`))}.`;
}

/**
 * How a form of one file and the route's options is read, for the API reference: `what` names the file ("The learner
 * file"), `whose` its options ("the upload's").
 */
export function fileFormDescription(what: string, whose: string, schema: FileOptionsSchema): string {
  const names = inWords(Object.keys(schema.shape).map((name) => `\`${name}\``));
  return (
    `${what} is the form's first file part, under any field name (\`${fileField}\` in this reference and the examples); a form with a second file is refused. ` +
    `The other fields read are ${whose} options, ${names}, before or after the file, as in the address; a field of any other name, or a text field named \`${fileField}\`, is refused.`
  );
}

/**
 * The options a form's text fields give, read as the route reads them in the address: each field the name of an
 * option, given once, within the field limit. `add` takes each field as the form is read; `over` gives the address's
 * options with the form's over them, an option given in both saying the same in both.
 */
export function formOptionFields<Schema extends FileOptionsSchema>(schema: Schema, words: FileFormWords) {
  const names = Object.keys(schema.shape);
  const fields: Record<string, string> = {};
  return {
    add(part: MultipartValue): void {
      const name = part.fieldname;
      if (!names.includes(name)) throw unknownFormField(words, name);
      if (Object.hasOwn(fields, name)) throw formFieldProblem(name, 'form_field_repeated', `The form gives "${name}" more than once: give it once.`);
      if (part.valueTruncated) throw formFieldProblem(name, 'form_field_too_long', `The form's "${name}" field is longer than ${formFieldMaxBytes.toLocaleString('en-US')} bytes.`);
      fields[name] = String(part.value);
    },
    over(request: FastifyRequest, query: z.output<Schema>): z.output<Schema> {
      makeTextStorableIn(fields);
      const parsed = schema.safeParse(fields);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => ({ code: issue.code, field: issue.path.join('.'), message: issue.message }));
        throw new BadRequestError('invalid_request', `The form has fields to fix: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}.`, problems);
      }
      // An option the address leaves out may have a default there, which the form's value replaces without a conflict.
      const inAddress = new URLSearchParams(request.url.split('?')[1] ?? '');
      const fromAddress = query as Record<string, unknown>;
      const fromForm = parsed.data as Record<string, unknown>;
      const options = { ...fromAddress };
      for (const name of Object.keys(fields)) {
        if (inAddress.has(name) && fromAddress[name] !== fromForm[name]) {
          const message = `"${name}" is given twice, as "${inAddress.get(name)}" in the address and "${fields[name]}" in the form: give it once.`;
          throw new BadRequestError('form_field_conflict', message, [{ code: 'form_field_conflict', field: name, message }]);
        }
        options[name] = fromForm[name];
      }
      return options as z.output<Schema>;
    },
  };
}

/** A refusal of one field of the form, naming it. */
export function formFieldProblem(field: string, code: string, message: string): BadRequestError {
  return new BadRequestError(code, message, [{ code, field, message }]);
}

/** A field the form does not take, by its name when the form got as far as giving it. */
export function unknownFormField(words: FileFormWords, name?: string): BadRequestError {
  if (name === undefined) return new BadRequestError('form_field_unknown', `The form has fields that ${words.takenBy} does not take. ${words.fieldsTaken}`);
  return formFieldProblem(name, 'form_field_unknown', `The form has a field "${name}" that ${words.takenBy} does not take. ${words.fieldsTaken}`);
}

const severalFiles = (words: FileFormWords) => new BadRequestError('form_several_files', `The form has more than one file: ${words.oneFile}, in the "${fileField}" field.`);

/** The errors of @fastify/multipart and of busboy underneath it, as what to fix; any other error as it is. */
export function formError(error: unknown, words: FileFormWords): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const readAgain = `Let the HTTP client build the form (with curl: -F ${fileField}=@${words.example}), or send the file itself as the body with its own content type, such as text/csv.`;
  switch ((error as Error & { code?: string }).code) {
    case 'FST_FILES_LIMIT':
      return severalFiles(words);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return unknownFormField(words);
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new BadRequestError('form_invalid', 'A field of the form is declared as JSON but is not: send the form\'s fields as plain text.');
    case 'FST_MP_PREMATURE_CLOSE':
      return new BadRequestError('form_incomplete', 'The request was closed before its form was complete. Send it again.');
  }
  if (error.message === 'Multipart: Boundary not found') {
    return new BadRequestError(
      'form_boundary_missing',
      `The Content-Type says multipart/form-data but names no boundary (multipart/form-data; boundary=...), so the form cannot be read. ${readAgain}`,
    );
  }
  if (error.message.startsWith('The needle cannot')) {
    return new BadRequestError('form_boundary_invalid', `The form's boundary is too long: a boundary has at most 70 characters. ${readAgain}`);
  }
  if (error.message === 'Unexpected end of multipart data' || error.message.endsWith('terminated early due to unexpected end of multipart data')) {
    return new BadRequestError(
      'form_incomplete',
      `The body is not the complete multipart form its Content-Type announces: its closing boundary is missing (the request was cut short, or the body is not a form with that boundary). ${readAgain}`,
    );
  }
  return error;
}
