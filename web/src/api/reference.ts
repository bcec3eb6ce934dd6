import { api } from './client.ts';
import type { List, ReferenceItem } from './types.ts';

export const referenceApi = {
  jurisdictions: (signal?: AbortSignal) =>
    api.get<List<ReferenceItem>>('/api/v1/reference/jurisdictions', undefined, signal),
  certifyingBoards: (signal?: AbortSignal) =>
    api.get<List<ReferenceItem>>('/api/v1/reference/certifying-boards', undefined, signal),
};
