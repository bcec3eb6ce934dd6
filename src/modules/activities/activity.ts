// The activity as the hub keeps it, and the looser shape it arrives in from the API, the form and
// files. `normalizeActivity` (activity-rules.ts) turns the one into the other or says what is wrong.

import type { MocBoard } from './credit-types.ts';
import type { ActivityStatus } from './lifecycle.ts';
import type {
  ActivityType,
  CatalogFee,
  CatalogRegistration,
  DeliveryMethod,
  Measurement,
  Outcome,
  Providership,
  RemsProgram,
  Topic,
} from './vocabulary.ts';

export type Location = { city: string | null; state: string | null; country: string | null };
export type DesignatedCredit = { type: string; amount: number };
export type MocRegistration = { board: MocBoard; points: number; creditTypes: string[]; claimDate: string | null };
export type Rems = { program: RemsProgram; identifier: string | null };
export type Catalog = {
  listed: boolean;
  url: string | null;
  fee: CatalogFee | null;
  registration: CatalogRegistration | null;
};
export type CommercialSupportSource = { name: string; amount: number | null; inKind: boolean };
export type CommercialSupport = { received: boolean; sources: CommercialSupportSource[] };
export type Learners = { physicians: number | null; others: number | null };
export type MeasuredOutcome = { outcome: Outcome; measurements: Measurement[] };

/** Everything a provider says about an activity; the hub adds id, status and timestamps. */
export type ActivityFields = {
  providerActivityId: string;
  title: string;
  description: string | null;
  type: ActivityType;
  deliveryMethod: DeliveryMethod | null;
  startDate: string;
  endDate: string;
  location: Location | null;
  providership: Providership;
  jointProviders: string[];
  /** AMA PRA Category 1 and other non-MOC credit; MOC credit comes from `mocRegistrations`. */
  credits: DesignatedCredit[];
  topics: Topic[];
  specialties: string[];
  mocRegistrations: MocRegistration[];
  rems: Rems | null;
  mipsImprovementActivity: boolean;
  catalog: Catalog;
  commercialSupport: CommercialSupport | null;
  learners: Learners;
  outcomes: MeasuredOutcome[];
};

export type Activity = ActivityFields & {
  id: string;
  providerOrgId: string;
  status: ActivityStatus;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
};

type Maybe<T> = T | null | undefined;

/** What a caller sends: every field may be missing, codes are unchecked strings. */
export type ActivityInput = {
  providerActivityId?: Maybe<string>;
  title?: Maybe<string>;
  description?: Maybe<string>;
  type?: Maybe<string>;
  deliveryMethod?: Maybe<string>;
  startDate?: Maybe<string>;
  endDate?: Maybe<string>;
  location?: Maybe<{ city?: Maybe<string>; state?: Maybe<string>; country?: Maybe<string> }>;
  providership?: Maybe<string>;
  jointProviders?: Maybe<string[]>;
  credits?: Maybe<{ type: string; amount: number }[]>;
  topics?: Maybe<string[]>;
  specialties?: Maybe<string[]>;
  mocRegistrations?: Maybe<{ board: string; points: number; creditTypes: string[]; claimDate?: Maybe<string> }[]>;
  rems?: Maybe<{ program: string; identifier?: Maybe<string> }>;
  mipsImprovementActivity?: Maybe<boolean>;
  catalog?: Maybe<{ listed?: Maybe<boolean>; url?: Maybe<string>; fee?: Maybe<string>; registration?: Maybe<string> }>;
  commercialSupport?: Maybe<{
    received?: Maybe<boolean>;
    sources?: Maybe<{ name?: Maybe<string>; amount?: Maybe<number>; inKind?: Maybe<boolean> }[]>;
  }>;
  learners?: Maybe<{ physicians?: Maybe<number>; others?: Maybe<number> }>;
  outcomes?: Maybe<{ outcome: string; measurements?: Maybe<string[]> }[]>;
};

/** The fields of a kept activity, in the shape a caller would send them (for copy and partial update). */
export function fieldsOf(activity: Activity): ActivityFields {
  return {
    providerActivityId: activity.providerActivityId,
    title: activity.title,
    description: activity.description,
    type: activity.type,
    deliveryMethod: activity.deliveryMethod,
    startDate: activity.startDate,
    endDate: activity.endDate,
    location: activity.location,
    providership: activity.providership,
    jointProviders: activity.jointProviders,
    credits: activity.credits,
    topics: activity.topics,
    specialties: activity.specialties,
    mocRegistrations: activity.mocRegistrations,
    rems: activity.rems,
    mipsImprovementActivity: activity.mipsImprovementActivity,
    catalog: activity.catalog,
    commercialSupport: activity.commercialSupport,
    learners: activity.learners,
    outcomes: activity.outcomes,
  };
}

/** Code order, the same in every database (collations differ): how credits, topics and boards are listed. */
export function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Credits, topics and MOC registrations in code order, so equal activities compare equal. */
export function inCodeOrder<T extends Pick<ActivityFields, 'credits' | 'topics' | 'mocRegistrations'>>(fields: T): T {
  return {
    ...fields,
    credits: [...fields.credits].sort((a, b) => byCode(a.type, b.type)),
    topics: [...fields.topics].sort(byCode),
    mocRegistrations: [...fields.mocRegistrations].sort((a, b) => byCode(a.board, b.board)),
  };
}
