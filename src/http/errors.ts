/** One finding about the input: which field (and row, in a file), a stable code and what to fix. */
/** `row`: the row of a file it is about; `sheet`: that row's sheet, in a workbook whose rows were read from several. */
export type Problem = { code: string; field?: string; message: string; row?: number; sheet?: string; suggestion?: Suggestion };

/**
 * A value the file itself gives for what a problem lacks, for its sender to confirm by sending it (a sign-in sheet's
 * date, written above its header, for the date of every row): the value, and where the file says it. `probably`: the
 * file says it a little otherwise (a title typed with a slip), and the value is what it probably means.
 */
export type Suggestion = { value: string; said: string; row: number; sheet?: string; probably?: true };

/** The typed errors services throw; `src/http/problem.ts` turns them into problem+json responses. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: Problem[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { problems?: Problem[]; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = options.problems;
    this.headers = options.headers;
    this.extra = options.extra;
  }

  readonly extra: Record<string, unknown> | undefined;
}

export class ValidationError extends AppError {
  constructor(problems: Problem[], message = 'The request has problems to fix.') {
    super(422, 'validation_failed', message, { problems });
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, problems?: Problem[]) {
    super(400, code, message, { problems });
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'unauthenticated', message = 'Log in or send an API key to use this.') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'record') {
    super(404, 'not_found', `No such ${what}, or it is not yours to see.`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, problems?: Problem[]) {
    super(409, code, message, { problems });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, code = 'payload_too_large') {
    super(413, code, message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(429, code, message, {
      headers: { 'retry-after': String(retryAfterSeconds) },
      extra: { retryAfterSeconds },
    });
  }
}
