import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type ReportStatus = 'accepted' | 'pending' | 'rejected';
export type Consent = 'written' | 'implied';
export type StoredProblem = { code: string; field: string; message: string };
export type StoredCredit = { type: string; amount: number };
export type HistoryAction = 'corrected' | 'deleted' | 'matched' | 'rejected_as_duplicate' | 'restored';

export type ReportsTables = {
  learner_reports: {
    id: Generated<string>;
    provider_org_id: string;
    activity_id: string | null;
    person_id: string | null;
    status: ReportStatus;
    match_key: string | null;
    session_date: string | null;
    first_name: string | null;
    last_name: string | null;
    birth_month: number | null;
    birth_day: number | null;
    state: string | null;
    license_number: string | null;
    npi: string | null;
    board: string | null;
    board_id: string | null;
    completion_date: string | null;
    consent: Consent | null;
    credit_id: string | null;
    credits: Json<StoredCredit[]>;
    problems: Json<StoredProblem[]>;
    match_rule: string | null;
    late: boolean;
    upload_id: string | null;
    row_number: number | null;
    /** A rejected report's row as it was sent, hashed: the same row sent again points to it (`ingest-learner-reports.ts`). */
    rejection_key: string | null;
    /**
     * A rejected report's reference as the sender gave it for the row (a file's Reference column, an XML report's CreditID): the row
     * corrected and sent again with it corrects the report (`ingest-learner-reports.ts`). Null on the others.
     */
    reference: string | null;
    reported_at: Timestamp;
    reported_by: string;
    updated_at: Timestamp;
    deleted_at: Date | null;
    deleted_by: string | null;
    delete_reason: string | null;
    /** The upload whose row corrected this rejected report, which was deleted then. */
    corrected_by_upload_id: string | null;
  };
  learner_report_credits: {
    person_id: string;
    report_id: string;
    credit_type: string;
    amount: number;
    provider_org_id: string;
    activity_id: string;
    completion_date: string;
    reported_at: Date | string;
  };
  learner_report_history: {
    id: Generated<number>;
    report_id: string;
    provider_org_id: string;
    action: HistoryAction;
    actor: string;
    occurred_at: Timestamp;
    reason: string | null;
    before: Json<Record<string, unknown>>;
    after: Json<Record<string, unknown>>;
  };
  report_purge_traces: {
    id: Generated<string>;
    purged_at: Timestamp;
    purged_by: string;
    cutoff_date: string;
    provider_org_id: string;
    activity_id: string | null;
    report_count: number;
    status_counts: Json<Record<string, number>>;
    credit_totals: Json<Record<string, number>>;
  };
};
