import type { ColumnType, Generated } from 'kysely';
import type { SheetRead } from '../../files/row-place.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as parsed JSON, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;

export type RosterLoadKind = 'licenses' | 'certifications' | 'nppes';
export type RosterRowOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';
export type StoredProblem = { code: string; field?: string; message: string };

export type RegistryTables = {
  persons: {
    id: Generated<string>;
    first_name: string;
    middle_name: string | null;
    last_name: string;
    first_key: string;
    last_key: string;
    birth_month: number | null;
    birth_day: number | null;
    npi: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  person_names: {
    person_id: string;
    name_key: string;
    first_name: string | null;
    middle_name: string | null;
    last_name: string;
    source: 'roster' | 'nppes' | 'certification';
    recorded_at: Timestamp;
  };
  person_name_keys: {
    last_key: string;
    person_id: string;
    anagram_key: string;
    birth_month: number | null;
    birth_day: number | null;
  };
  licenses: {
    id: Generated<string>;
    person_id: string;
    jurisdiction: string;
    license_type: 'MD' | 'DO' | null;
    license_number: string;
    number_key: string;
    number_digits: string;
    status: string;
    issued_on: string | null;
    expires_on: string | null;
    source: 'roster' | 'nppes';
    last_load_id: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  certifications: {
    id: Generated<string>;
    person_id: string;
    board_code: string;
    board_id: string;
    board_id_key: string;
    status: string;
    issued_on: string | null;
    expires_on: string | null;
    last_load_id: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  roster_loads: {
    id: Generated<string>;
    organization_id: string | null;
    kind: RosterLoadKind;
    full_roster: boolean;
    file_name: string | null;
    status: 'running' | 'completed' | 'failed';
    rows_read: Generated<number>;
    created_count: Generated<number>;
    updated_count: Generated<number>;
    unchanged_count: Generated<number>;
    rejected_count: Generated<number>;
    deactivated_count: Generated<number>;
    failure: string | null;
    started_by: string;
    started_at: Timestamp;
    finished_at: Timestamp | null;
    /** When the server running the load last said it still was (every few seconds, and with each chunk applied). */
    server_seen_at: Generated<Timestamp>;
    /** The file the server received for the load, kept on its disk while the load runs (its format beside it). */
    kept_file: string | null;
    kept_file_format: 'csv' | 'xlsx' | null;
    /** A workbook whose rows were read from several sheets: those sheets, in order; null otherwise. */
    sheets: ColumnType<SheetRead[] | null, string | null | undefined, string | null>;
    /** When the server running the load stopped it between two chunks, shutting down: resumed by the next server to look. */
    server_stopped_at: Timestamp | null;
    /** Practising licenses a full roster left out, too many to make inactive without the board's word: null when none. */
    absent_held: number | null;
    /** Practising licenses a full roster did not load but left as they were, as a row of it that was rejected names them. */
    kept_for_rejected_rows: Generated<number>;
    /** When the load, cut off by its server, was last resumed from its kept file, and after how many rows: null if never. */
    resumed_at: Timestamp | null;
    resumed_after_rows: number | null;
    /** How the roster said it writes its dates of numbers; null when unsaid (month first). */
    date_order: 'month_first' | 'day_first' | null;
    /** What the file says beside its rows (columns not used, the encoding its text was read in), in the order found. */
    notes: ColumnType<StoredProblem[], string | undefined, string>;
  };
  roster_load_rows: {
    load_id: string;
    row_number: number;
    identifier: string | null;
    /** A rejected row's license number or board ID, as a key, when readable: the license it still names. */
    identifier_key: string | null;
    outcome: RosterRowOutcome;
    problems: Json<StoredProblem[] | null> | null;
    person_id: string | null;
  };
};
