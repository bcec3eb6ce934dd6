import type { ColumnType, Generated } from 'kysely';
import type { Measurement, Outcome } from './vocabulary.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as parsed JSON, written as a JSON string (the pg driver would send arrays as SQL arrays). */
type Json<T> = ColumnType<T, string, string>;

export type StoredCommercialSupport = {
  received: boolean;
  sources: { name: string; amount: number | null; inKind: boolean }[];
};

export type ActivitiesTables = {
  activities: {
    id: string;
    provider_org_id: string;
    provider_activity_id: string;
    title: string;
    description: string | null;
    type: string;
    delivery_method: string | null;
    start_date: string;
    end_date: string;
    location_city: string | null;
    location_state: string | null;
    location_country: string | null;
    providership: string;
    joint_providers: Json<string[]>;
    specialties: Json<string[]>;
    rems_program: string | null;
    rems_identifier: string | null;
    mips_improvement_activity: boolean;
    catalog_listed: boolean;
    catalog_url: string | null;
    catalog_fee: string | null;
    catalog_registration: string | null;
    commercial_support: ColumnType<StoredCommercialSupport | null, string | null, string | null>;
    physician_learners: number | null;
    other_learners: number | null;
    outcomes: Json<{ outcome: Outcome; measurements: Measurement[] }[]>;
    status: Generated<string>;
    created_at: Generated<Date>;
    updated_at: Timestamp;
    closed_at: Timestamp | null;
  };
  activity_credits: {
    activity_id: string;
    credit_type: string;
    amount: number;
  };
  activity_moc_registrations: {
    activity_id: string;
    board: string;
    points: number;
    credit_types: Json<string[]>;
    claim_date: string | null;
  };
  activity_topics: {
    activity_id: string;
    topic: string;
  };
};
