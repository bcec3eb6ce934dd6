import type { Page } from './types.ts';

/** Every item of a cursor-paged list, for the few lists a page must see whole (to count or add them up). */
export async function readAllPages<T>(loadPage: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await loadPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
