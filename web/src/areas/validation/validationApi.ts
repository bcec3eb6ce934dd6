import { ApiError, api, CSRF_COOKIE, CSRF_HEADER, NetworkError, type Problem } from '../../api/client.ts';

export type LearnerIdentity = {
  firstName: string;
  lastName: string;
  birthMonth: string;
  birthDay: string;
  state?: string;
  licenseNumber?: string;
  npi?: string;
  board?: string;
  boardId?: string;
};

export type ValidationResult = {
  status: 'matched' | 'ambiguous' | 'not_found' | 'invalid';
  rule: 'state_license' | 'npi' | 'board_id' | 'state_unique_name' | null;
  tolerances: string[];
  problems: Problem[];
};

function csrfToken(): string | undefined {
  return document.cookie
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === CSRF_COOKIE)?.[1];
}

/** Sends a learner file and takes back the answer file, to hand to the browser as a download. */
async function validateFile(file: File, format: 'csv' | 'xlsx', dates: 'day_first' | ''): Promise<Blob> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', accept: '*/*' };
  const token = csrfToken();
  if (token) headers[CSRF_HEADER] = decodeURIComponent(token);
  let response: Response;
  try {
    const query = new URLSearchParams({ format, fileName: file.name, ...(dates ? { dates } : {}) });
    response = await fetch(`/api/v1/learners/validate/file?${query}`, {
      method: 'POST', headers, body: file, credentials: 'same-origin',
    });
  } catch {
    throw new NetworkError();
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  return response.blob();
}

export const validationApi = {
  validate: (learner: LearnerIdentity) =>
    api.post<{ results: ValidationResult[] }>('/api/v1/learners/validate', { learners: [learner] }).then((body) => body.results[0]),
  validateFile,
};
