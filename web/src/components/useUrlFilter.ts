import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';

export type UrlFilter<K extends string> = {
  /** The filter in force, as the address has it ('' where not set). */
  applied: Record<K, string>;
  /** The filter as typed in the form, not yet applied. */
  draft: Record<K, string>;
  /** The address's query, to reload a list when it changes. */
  key: string;
  searchParams: URLSearchParams;
  /** True when any filtering key (not an ordering one) is set. */
  filtered: boolean;
  /** A control's value and onChange, bound to one key of the draft. */
  field: (name: K) => { value: string; onChange: (event: { target: { value: string } }) => void };
  /** Puts the draft in the address (the form's onSubmit). */
  apply: (event: FormEvent<HTMLFormElement>) => void;
  clear: () => void;
  /** The address with one key set: for links that narrow the list to what they show. */
  linkWith: (name: K, value: string) => string;
};

function read<K extends string>(params: URLSearchParams, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((key) => [key, params.get(key) ?? ''])) as Record<K, string>;
}

/**
 * A list's filter kept in the address, so it survives reloads and the back button, and edited in a form as a
 * draft until applied. `orderingKeys` (such as a sort) are kept too but do not count as filtering.
 */
export function useUrlFilter<K extends string>(keys: readonly K[], orderingKeys: readonly K[] = []): UrlFilter<K> {
  const [searchParams, setSearchParams] = useSearchParams();
  const key = searchParams.toString();
  const applied = read(searchParams, keys);
  const [draft, setDraft] = useState(applied);
  const [draftFor, setDraftFor] = useState(key);

  // Links and the back button change the address; the form follows.
  if (draftFor !== key) {
    setDraftFor(key);
    setDraft(applied);
  }

  return {
    applied,
    draft,
    key,
    searchParams,
    filtered: keys.some((name) => !orderingKeys.includes(name) && applied[name] !== ''),
    field: (name) => ({
      value: draft[name],
      onChange: (event) => setDraft((current) => ({ ...current, [name]: event.target.value })),
    }),
    apply: (event) => {
      event.preventDefault();
      const next = new URLSearchParams();
      for (const name of keys) if (draft[name].trim()) next.set(name, draft[name].trim());
      setSearchParams(next);
    },
    clear: () => setSearchParams(new URLSearchParams()),
    linkWith: (name, value) => {
      const next = new URLSearchParams(searchParams);
      next.set(name, value);
      return `?${next.toString()}`;
    },
  };
}
