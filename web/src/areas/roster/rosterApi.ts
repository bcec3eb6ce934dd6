import { api, sendFile, type UploadProgress } from '../../api/client.ts';

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
  failure: string | null;
  /** Cut off by its server stopping and resumed from the file it kept: when, and after how many rows. */
  resumed: { at: string; afterRows: number } | null;
  /** A workbook's rows on several sheets: their names. */
  sheets: string[] | null;
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
  upload: (orgId: string, file: File, fullRoster: boolean, onProgress: (progress: UploadProgress) => void) =>
    sendFile<RosterLoad>(`${boardBase(orgId)}?full=${fullRoster}&fileName=${encodeURIComponent(file.name)}`, file, { onProgress }),
};
