// The learner-report part of the hub's public API, as the web app uses it.
import { api, request, type QueryValue } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';

export type ReportStatus = 'accepted' | 'pending' | 'rejected';

export type ReportProblem = { code: string; field?: string; message: string; row?: number };

export type ReportedLearner = {
  firstName: string;
  lastName: string;
  birthMonth: number;
  birthDay: number;
  state?: string | null;
  licenseNumber?: string | null;
  npi?: string | null;
  board?: string | null;
  boardId?: string | null;
};

export type CreditLine = { type: string; amount: number };

export type LearnerReportInput = {
  activityId: string;
  completionDate: string;
  learner: ReportedLearner;
  credits: CreditLine[];
  consent: 'written' | 'implied';
  creditId?: string | null;
};

export type ReportReceipt = { id: string | null; status: ReportStatus; duplicate: boolean; late: boolean; problems: ReportProblem[] };

export type LearnerReport = {
  id: string;
  providerOrgId: string;
  activityId: string | null;
  status: ReportStatus;
  personId: string | null;
  learner: Required<ReportedLearner> | null;
  completionDate: string | null;
  credits: CreditLine[];
  consent: 'written' | 'implied' | null;
  creditId: string | null;
  late: boolean;
  problems: ReportProblem[];
  matchRule: string | null;
  uploadId: string | null;
  rowNumber: number | null;
  reportedAt: string;
  reportedBy: string;
  updatedAt: string;
  deletedAt: string | null;
  deletedBy: string | null;
  deleteReason: string | null;
  correctedByUploadId: string | null;
};

export type HistoryEntry = {
  action: 'reported' | 'corrected' | 'deleted' | 'matched' | 'rejected_as_duplicate' | 'restored';
  actor: string;
  occurredAt: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/** The file a report was sent in, and its row there (on its sheet, in a workbook read from several). */
/** `valuesAsSent`: a rejected report's row as the file gave it, column by column, while the file is kept. */
/** `field`: the learner file's column (`firstName`, `cmeCredits`); `column`: its heading in the template. */
export type SentIn = { uploadId: string; fileName: string | null; rowNumber: number | null; sheet: string | null; valuesAsSent: { field: string; column: string; value: string }[] | null };

/** A report as the list gives it: with its activity's title and the provider's own ID (null when it names none of theirs). */
export type LearnerReportListItem = LearnerReport & { activity: { title: string; providerActivityId: string } | null };

export type LearnerReportWithHistory = LearnerReport & { sentIn: SentIn | null; history: HistoryEntry[] };

/** `activityId` only for a report whose activity could not be read when it was sent: the activity of one that has it is not corrected. */
export type ReportCorrection = Partial<LearnerReportInput> & { reason?: string };

export type StatusCounts = { accepted: number; pending: number; rejected: number; late: number; total: number };

export type ProviderDashboard = {
  month: string;
  thisMonth: StatusCounts;
  toFix: { pending: number; rejected: number };
  timeliness: { reported: number; onTime: number; late: number; onTimeShare: number | null; medianDaysToReport: number | null };
  activities: (StatusCounts & { activityId: string; title: string | null; lastReportedAt: string | null })[];
};

export type PersonCredit = {
  reportId: string;
  personId: string;
  personName: string | null;
  activityId: string;
  activityTitle: string | null;
  activityType: string | null;
  providerOrgId: string;
  providerName: string | null;
  completionDate: string;
  creditType: string;
  amount: number;
  reportedAt: string;
};

/** A physician the board's filter names: never a birth year. `numbers`: their license numbers with the board (a certifying board: board IDs). */
export type BoardLicensee = { personId: string; name: string; birthMonth: number | null; birthDay: number | null; numbers: string[] };

/** A page of a board's credits; `licensees` when the list is narrowed to a physician (`personId`) or to those a search (`q`) found. */
export type BoardCreditPage = Page<PersonCredit> & { licensees?: BoardLicensee[]; moreLicensees?: boolean };

export type ValidationResult = {
  status: 'matched' | 'ambiguous' | 'not_found' | 'invalid';
  rule: string | null;
  tolerances: string[];
  problems: { code: string; field: string; message: string }[];
};

/** A pending report the physician may claim, with what the provider identified the learner by (`reportedAs`, never a birth date). */
export type ClaimableReport = {
  id: string;
  activityId: string;
  activityTitle: string | null;
  providerName: string | null;
  completionDate: string;
  credits: CreditLine[];
  reportedAs: {
    firstName: string | null;
    lastName: string | null;
    state: string | null;
    licenseNumber: string | null;
    npi: string | null;
    board: string | null;
    boardId: string | null;
  };
};

export type ReportFilter = Record<string, QueryValue>;

export const reportsApi = {
  submit: (report: LearnerReportInput) => api.post<ReportReceipt>('/api/v1/learner-reports', report),
  list: (filter: ReportFilter, signal?: AbortSignal) => api.get<Page<LearnerReportListItem>>('/api/v1/learner-reports', filter, signal),
  get: (id: string, signal?: AbortSignal) => api.get<LearnerReportWithHistory>(`/api/v1/learner-reports/${id}`, undefined, signal),
  correct: (id: string, correction: ReportCorrection) => api.patch<LearnerReport>(`/api/v1/learner-reports/${id}`, correction),
  remove: (id: string, reason: string) => api.delete(`/api/v1/learner-reports/${id}?reason=${encodeURIComponent(reason)}`),
  removeMany: (ids: string[], reason: string) =>
    api.post<{ deleted: number; notFound: string[] }>('/api/v1/learner-reports/bulk-delete', { ids, reason }),
  dashboard: (providerOrgId: string, month: string | undefined, signal?: AbortSignal) =>
    api.get<ProviderDashboard>(`/api/v1/providers/${providerOrgId}/dashboard`, { month }, signal),
  boardCredits: (boardOrgId: string, filter: ReportFilter, signal?: AbortSignal) =>
    api.get<BoardCreditPage>(`/api/v1/boards/${boardOrgId}/credits`, filter, signal),
  claimable: (signal?: AbortSignal) => api.get<{ items: ClaimableReport[] }>('/api/v1/me/claimable-reports', undefined, signal),
  claim: (id: string) => api.post<LearnerReport>(`/api/v1/me/claimable-reports/${id}/claim`),
  validate: (learner: ReportedLearner, signal?: AbortSignal) =>
    request<{ results: ValidationResult[] }>('POST', '/api/v1/learners/validate', { body: { learners: [learner] }, signal }).then(
      (answer) => answer.results[0],
    ),
};

export const statusLabels: Record<ReportStatus, string> = {
  accepted: 'Accepted',
  pending: 'Pending match',
  rejected: 'Rejected',
};
