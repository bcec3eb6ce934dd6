// The one way the web app talks to the hub: JSON over the public HTTP API, with the session cookie,
// the CSRF header on every write, and problem+json errors turned into ApiError.

export type Problem = {
  code: string;
  field: string;
  message: string;
  row?: number;
  /** The sheet of a workbook the row is on, when its rows are on several. */
  sheet?: string;
  /**
   * A value the file itself gives for what is lacking (a sign-in sheet's date above its header), for the user to
   * confirm; `probably`: the file says it a little otherwise (a title with a slip), and the value is what it probably means.
   */
  suggestion?: { value: string; said: string; row: number; sheet?: string; probably?: true };
};

export type ProblemDocument = {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  requestId?: string;
  problems?: Problem[];
  retryAfterSeconds?: number;
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly problems: Problem[];
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ProblemDocument) {
    const detail = body.detail ?? body.title ?? `The request failed (HTTP ${status}).`;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? 'http_error';
    this.title = body.title ?? 'Something went wrong';
    this.detail = detail;
    this.requestId = body.requestId;
    this.problems = body.problems ?? [];
    this.retryAfterSeconds = body.retryAfterSeconds;
  }

  /** Messages keyed by the field they belong to (the last segment of the field path: `body.email` -> `email`). */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const problem of this.problems) {
      const field = fieldName(problem.field);
      if (field && !errors[field]) errors[field] = problem.message;
    }
    return errors;
  }
}

/** Thrown when the hub cannot be reached at all, so pages can say so instead of showing a status code. */
export class NetworkError extends Error {
  constructor() {
    super('The hub could not be reached. Check your connection and try again.');
    this.name = 'NetworkError';
  }
}

export const CSRF_COOKIE = 'cmehub_csrf';
export const CSRF_HEADER = 'x-csrf-token';

type UnauthorizedListener = (error: ApiError) => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called whenever the hub answers 401, so the session can find out whether the person was signed out. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

// Every request made while signed in, ended together before signing out: one the hub answered after the session
// ended would be refused, the page told it was signed out, and the browser's console would log the refusal.
let requestsOfSession = new AbortController();

/** Ends every request still on its way, files sent among them (their callers see an AbortError), as signing out does first. */
export function endRequestsInFlight(): void {
  requestsOfSession.abort();
  requestsOfSession = new AbortController();
}

// Files being sent, from any page, until the hub has had each whole: signing out, or going to another page, would
// stop them, so it asks first.
let filesOnTheirWay = 0;

/** Whether a file is still on its way to the hub (sent, and not yet had whole). */
export function isFileOnItsWay(): boolean {
  return filesOnTheirWay > 0;
}

/** A request ended on purpose: by the page that made it, or by signing out. Nothing to show the person. */
export function isAborted(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export type QueryValue = string | number | boolean | null | undefined;

export type RequestOptions = {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * False where the caller itself is the one asking whether anyone is signed in (`/api/v1/me`): telling the
   * listeners, who would ask the same again, would go round for ever while signed out.
   */
  announceUnauthorized?: boolean;
};

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrfToken = readCookie(CSRF_COOKIE);
    if (csrfToken) headers[CSRF_HEADER] = csrfToken;
  }

  let response: Response;
  try {
    response = await fetch(path + queryString(options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal ? AbortSignal.any([options.signal, requestsOfSession.signal]) : requestsOfSession.signal,
    });
  } catch (error) {
    if (isAborted(error)) throw error;
    throw new NetworkError();
  }

  if (!response.ok) {
    const error = new ApiError(response.status, await readProblem(response));
    if (response.status === 401 && options.announceUnauthorized !== false) {
      for (const listener of unauthorizedListeners) listener(error);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file the hub writes on request, with the name it gives it; a refusal is thrown as an ApiError, as `request` does. */
export async function fetchFile(path: string): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw new NetworkError();
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return { blob: await response.blob(), fileName: attachmentName(response.headers.get('content-disposition') ?? '') };
}

/** The file's name a Content-Disposition gives: in UTF-8 (`filename*`) where it has one, else as `filename`. */
function attachmentName(disposition: string): string {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (utf8) {
    try {
      return decodeURIComponent(utf8);
    } catch {
      // A name not percent-encoded as it should be: the plain one below stands.
    }
  }
  return /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'download';
}

export type UploadProgress = { sentBytes: number; totalBytes: number };

export type SendFileOptions = {
  method?: 'POST' | 'PUT';
  /** Defaults to application/octet-stream: browsers label CSV files inconsistently, the hub looks at the content. */
  contentType?: string;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
};

/**
 * Sends a file as the raw request body, with the CSRF header, reporting upload progress (which fetch cannot),
 * and reads the JSON answer; failures become ApiError or NetworkError like every other request.
 */
export function sendFile<T>(path: string, file: Blob, options: SendFileOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(options.method ?? 'POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('content-type', options.contentType ?? 'application/octet-stream');
    const csrfToken = readCookie(CSRF_COOKIE);
    if (csrfToken) xhr.setRequestHeader(CSRF_HEADER, csrfToken);

    const { onProgress, signal } = options;
    if (onProgress) {
      xhr.upload.onprogress = (event) =>
        onProgress({ sentBytes: event.loaded, totalBytes: event.lengthComputable ? event.total : file.size });
    }
    const abort = () => xhr.abort();
    // Ended by the page that sends it, or by signing out.
    const ending = signal ? AbortSignal.any([signal, requestsOfSession.signal]) : requestsOfSession.signal;
    ending.addEventListener('abort', abort, { once: true });
    filesOnTheirWay += 1;
    let onItsWay = true;
    const noLongerOnItsWay = () => {
      if (onItsWay) filesOnTheirWay -= 1;
      onItsWay = false;
    };
    // The whole file is at the hub once its last byte is sent, before the hub has checked it and answered.
    xhr.upload.onload = noLongerOnItsWay;
    /** Each of the request's three endings: answered, failed on the network, or stopped. */
    const ended = () => {
      noLongerOnItsWay();
      ending.removeEventListener('abort', abort);
    };

    xhr.onload = () => {
      ended();
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const retryAfter = Number(xhr.getResponseHeader('retry-after'));
      const error = new ApiError(xhr.status, {
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
        ...(body as ProblemDocument | undefined),
      });
      if (xhr.status === 401) for (const listener of unauthorizedListeners) listener(error);
      reject(error);
    };
    xhr.onerror = () => {
      ended();
      reject(new NetworkError());
    };
    xhr.onabort = () => {
      ended();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    xhr.send(file);
  });
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: (path: string) => request<void>('DELETE', path),
};

/** A human sentence for any error a request can throw (a string is already one). */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return 'Something went wrong. Try again, and if it keeps happening, contact the hub operator.';
}

export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}

/** The field a problem is about, without its path (`body.email` -> `email`). */
export function fieldName(path: string | undefined): string {
  if (!path) return '';
  const segments = path.split(/[./]/).filter(Boolean);
  return segments.at(-1) ?? '';
}

/**
 * Whether this browser may hold a session: its CSRF cookie is set and cleared with the session's, which the web app
 * cannot read. Without it no one is signed in, and the hub need not be asked (its 401 would show in the console).
 */
export function mayHoldSession(): boolean {
  return readCookie(CSRF_COOKIE) !== undefined;
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

async function readProblem(response: Response): Promise<ProblemDocument> {
  const retryAfterHeader = Number(response.headers.get('retry-after'));
  const fallback: ProblemDocument = {
    status: response.status,
    retryAfterSeconds: Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : undefined,
  };
  try {
    const body = (await response.json()) as ProblemDocument;
    return { ...fallback, ...body, retryAfterSeconds: body.retryAfterSeconds ?? fallback.retryAfterSeconds };
  } catch {
    return fallback;
  }
}
