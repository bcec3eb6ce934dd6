import type { RosterLoad } from './rosterApi.ts';

/** What a load's file says beside its rows (columns not used, its encoding), read with its counts. */
export function LoadNotes({ load }: { load: RosterLoad }) {
  if (load.notes.length === 0) return null;
  return (
    <ul>
      {load.notes.map((note, index) => (
        <li key={index}>{note.message}</li>
      ))}
    </ul>
  );
}
