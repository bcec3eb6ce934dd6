// The activities part of the hub's public API, as the web app uses it.
import { api, request, sendFile, type UploadProgress } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import type { DateOrder } from '../../components/ChoiceField.tsx';

export type ActivityStatus = 'draft' | 'active' | 'ready_to_close' | 'closed';

export type Activity = {
  id: string;
  providerOrgId: string;
  providerActivityId: string;
  title: string;
  description: string | null;
  type: string;
  deliveryMethod: string | null;
  startDate: string;
  endDate: string;
  location: { city: string | null; state: string | null; country: string | null } | null;
  providership: 'direct' | 'joint';
  jointProviders: string[];
  credits: { type: string; amount: number }[];
  topics: string[];
  specialties: string[];
  mocRegistrations: { board: string; points: number; creditTypes: string[]; claimDate: string | null }[];
  rems: { program: string; identifier: string | null } | null;
  mipsImprovementActivity: boolean;
  catalog: { listed: boolean; url: string | null; fee: string | null; registration: string | null };
  commercialSupport: { received: boolean; sources: { name: string; amount: number | null; inKind: boolean }[] } | null;
  learners: { physicians: number | null; others: number | null };
  outcomes: { outcome: string; measurements: string[] }[];
  status: ActivityStatus;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  allowedStatusChanges: ActivityStatus[];
};

export type ActivityDetail = Activity & { learnerReportCount: number };

/** What the form sends: the activity's fields, and optionally the status to move to. */
export type ActivityInput = Omit<
  Activity,
  'id' | 'providerOrgId' | 'status' | 'createdAt' | 'updatedAt' | 'closedAt' | 'allowedStatusChanges'
> & { status?: ActivityStatus };

export type Coded = { code: string; label: string };
export type ActivityVocabulary = {
  types: Coded[];
  locatedTypes: string[];
  deliveryMethods: Coded[];
  providerships: Coded[];
  statuses: Coded[];
  creditTypes: Coded[];
  mocBoards: (Coded & { creditTypes: Coded[] })[];
  topics: Coded[];
  outcomes: Coded[];
  measurements: Coded[];
  catalogFees: Coded[];
  catalogRegistrations: Coded[];
  remsPrograms: Coded[];
  countries: Coded[];
  usStates: Coded[];
};

export type ActivityQuery = {
  q?: string;
  status?: string;
  type?: string;
  from?: string;
  to?: string;
  sort?: string;
  order?: string;
  limit?: number;
  cursor?: string;
};

export type HistoryEntry = { occurredAt: string; action: string; actorLabel: string; details: Record<string, unknown> | null };

export type BatchProblem = { code: string; field?: string; message: string; row?: number };
export type BatchReceipt = {
  fileName: string | null;
  format: 'csv' | 'xlsx';
  counts: { created: number; updated: number; unchanged: number; rejected: number };
  fileProblems: BatchProblem[];
  /** Headings that nearly name a column the file lacks: their values were not read. */
  columnsNotRead: { heading: string; column: string }[];
  rows: {
    rowNumber: number;
    providerActivityId: string | null;
    outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
    activityId: string | null;
    problems: BatchProblem[];
  }[];
};

const base = '/api/v1/activities';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const activitiesApi = {
  vocabulary: (signal?: AbortSignal) => api.get<ActivityVocabulary>(`${base}/vocabulary`, undefined, signal),
  list: (query: ActivityQuery, signal?: AbortSignal) => api.get<Page<Activity>>(base, query, signal),
  get: (id: string, signal?: AbortSignal) => api.get<ActivityDetail>(one(id), undefined, signal),
  history: (id: string, signal?: AbortSignal) => api.get<{ items: HistoryEntry[] }>(`${one(id)}/history`, undefined, signal),
  create: (activity: ActivityInput) => api.post<Activity>(base, activity),
  replace: (id: string, activity: ActivityInput) => request<Activity>('PUT', one(id), { body: activity }),
  changeStatus: (id: string, status: ActivityStatus) => api.patch<Activity>(one(id), { status }),
  remove: (id: string) => api.delete(one(id)),
  copy: (id: string, body: { providerActivityId: string; startDate?: string }) => api.post<Activity>(`${one(id)}/copy`, body),
  reopen: (id: string, reason: string) => api.post<Activity>(`${one(id)}/reopen`, { reason }),
  templateUrl: (format: 'csv' | 'xlsx') => `${base}/template?format=${format}`,
  /** `dates`: how the file writes its dates of numbers; unsaid, the hub reads them month first, or asks when they show otherwise. */
  upload: (file: File, dates: DateOrder | undefined, onProgress?: (progress: UploadProgress) => void) =>
    sendFile<BatchReceipt>(`${base}/batch?fileName=${encodeURIComponent(file.name)}${dates ? `&dates=${dates}` : ''}`, file, { onProgress }),
};
