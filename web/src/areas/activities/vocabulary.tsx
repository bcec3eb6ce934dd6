import { useApi } from '../../hooks/useApi.ts';
import { activitiesApi, type ActivityVocabulary, type Coded } from './activitiesApi.ts';

// The allowed values change only with a new hub version: one load per page view is plenty.
let cached: Promise<ActivityVocabulary> | undefined;

/** The codes and labels of every activity field, from the hub itself. */
export function useVocabulary() {
  // Shared by every page, so one page leaving must not cancel the load for the next: no abort signal.
  return useApi(() => {
    cached ??= activitiesApi.vocabulary().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  }, []);
}

export function labelOf(list: readonly Coded[] | undefined, code: string | null | undefined): string {
  if (!code) return '—';
  return list?.find((item) => item.code === code)?.label ?? code;
}

export const statusLabels: Record<string, string> = {
  draft: 'Draft',
  active: 'Active',
  ready_to_close: 'Ready to close',
  closed: 'Closed',
};

export function StatusTag({ status }: { status: string }) {
  const tone = status === 'active' ? 'tag tag--ok' : status === 'closed' ? 'tag tag--muted' : 'tag';
  return <span className={tone}>{statusLabels[status] ?? status}</span>;
}

/** A credit type's label, MOC credit types included ("ABIM: Medical knowledge"). */
export function creditTypeLabel(vocabulary: ActivityVocabulary | undefined, code: string): string {
  const credit = vocabulary?.creditTypes.find((type) => type.code === code);
  if (credit) return credit.label;
  for (const board of vocabulary?.mocBoards ?? []) {
    const moc = board.creditTypes.find((type) => type.code === code);
    if (moc) return `${board.code} MOC: ${moc.label}`;
  }
  return code;
}

/** A report's credit lines as coordinators name them: "2 AMA PRA Category 1 Credit™, 1 ABIM MOC: Medical knowledge". */
export function creditLinesText(vocabulary: ActivityVocabulary | undefined, credits: readonly { type: string; amount: number }[]): string {
  return credits.map((line) => `${line.amount} ${creditTypeLabel(vocabulary, line.type)}`).join(', ');
}
