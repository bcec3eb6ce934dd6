import { api, sendFile, type UploadProgress } from '../../api/client.ts';
import type { DateOrder } from '../../components/ChoiceField.tsx';

export type RosterLoad = {
  id: string;
  kind: 'licenses' | 'certifications' | 'nppes';
  fullRoster: boolean;
  fileName: string | null;
  status: 'running' | 'completed' | 'failed';
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deactivated: number;
  /** Left out of a full roster, too many to make inactive without the board's word; null when none. */
  absentHeld: number | null;
  /** Of a full roster: licenses it did not load, left as they were because a rejected row of it names them. */
  keptForRejectedRows: number;
  failure: string | null;
  /** How the upload said the file writes its dates of numbers; null when unsaid. */
  dates: DateOrder | null;
  /** Cut off by its server stopping and resumed from the file it kept: when, and after how many rows. */
  resumed: { at: string; afterRows: number } | null;
  /** A workbook's rows on several sheets: their names. */
  sheets: string[] | null;
  /** What the file says beside its rows: columns not used, the encoding its text was read in. */
  notes: { code: string; message: string }[];
  startedAt: string;
  finishedAt: string | null;
};

const boardBase = (orgId: string) => `/api/v1/boards/${orgId}/roster`;

export const rosterApi = {
  templateUrl: (kind: 'licenses' | 'certifications', format: 'csv' | 'xlsx') => `/api/v1/boards/roster-template.${format}?kind=${kind}`,
  receiptUrl: (orgId: string, loadId: string, format: 'csv' | 'xlsx') => `${boardBase(orgId)}/loads/${loadId}/receipt?format=${format}`,
  loads: (orgId: string, signal?: AbortSignal) => api.get<{ items: RosterLoad[] }>(`${boardBase(orgId)}/loads`, undefined, signal),
  load: (orgId: string, loadId: string, signal?: AbortSignal) => api.get<RosterLoad>(`${boardBase(orgId)}/loads/${loadId}`, undefined, signal),
  /** The board confirms its full roster lists every licensee: what it left out, held, becomes inactive. */
  makeAbsentInactive: (orgId: string, loadId: string) => api.post<RosterLoad>(`${boardBase(orgId)}/loads/${loadId}/absent-inactive`),
  /** Sends the file; the answer is the load as it begins (running), which goes on once the file has arrived. */
  /** `dates`: how the file writes its dates of numbers; unsaid, the hub reads them month first, or asks when they show otherwise. */
  upload: (orgId: string, file: File, options: { fullRoster: boolean; dates: DateOrder | undefined }, onProgress: (progress: UploadProgress) => void) =>
    sendFile<RosterLoad>(
      `${boardBase(orgId)}?full=${options.fullRoster}&fileName=${encodeURIComponent(file.name)}${options.dates ? `&dates=${options.dates}` : ''}`,
      file,
      { onProgress },
    ),
};
