// The activity form's state (text as typed), its conversion to the API's shape, and the way the hub's
// problems (`credits.1.amount`) find their way back to the field they are about.
import type { Activity, ActivityInput } from './activitiesApi.ts';

export type Supporter = { name: string; amount: string; inKind: boolean };
export type MocEntry = { points: string; creditTypes: string[]; claimDate: string };

export type ActivityFormState = {
  providerActivityId: string;
  title: string;
  description: string;
  type: string;
  deliveryMethod: string;
  startDate: string;
  endDate: string;
  city: string;
  state: string;
  country: string;
  providership: 'direct' | 'joint';
  jointProviders: string;
  /** Amount as typed, by credit type code; '' when not offered. */
  credits: Record<string, string>;
  topics: string[];
  specialties: string;
  moc: Record<string, MocEntry>;
  remsProgram: string;
  remsIdentifier: string;
  mips: boolean;
  catalogListed: boolean;
  catalogUrl: string;
  catalogFee: string;
  catalogRegistration: string;
  commercialSupport: '' | 'yes' | 'no';
  supporters: Supporter[];
  physicians: string;
  others: string;
  /** Measurements checked, by outcome code. */
  outcomes: Record<string, string[]>;
};

export const emptyForm: ActivityFormState = {
  providerActivityId: '',
  title: '',
  description: '',
  type: '',
  deliveryMethod: '',
  startDate: '',
  endDate: '',
  city: '',
  state: '',
  country: 'USA',
  providership: 'direct',
  jointProviders: '',
  credits: {},
  topics: [],
  specialties: '',
  moc: {},
  remsProgram: '',
  remsIdentifier: '',
  mips: false,
  catalogListed: false,
  catalogUrl: '',
  catalogFee: '',
  catalogRegistration: '',
  commercialSupport: '',
  supporters: [],
  physicians: '',
  others: '',
  outcomes: {},
};

const text = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));

export function formFromActivity(activity: Activity): ActivityFormState {
  return {
    providerActivityId: activity.providerActivityId,
    title: activity.title,
    description: text(activity.description),
    type: activity.type,
    deliveryMethod: text(activity.deliveryMethod),
    startDate: activity.startDate,
    endDate: activity.endDate,
    city: text(activity.location?.city),
    state: text(activity.location?.state),
    country: text(activity.location?.country),
    providership: activity.providership,
    jointProviders: activity.jointProviders.join('\n'),
    credits: Object.fromEntries(activity.credits.map((credit) => [credit.type, String(credit.amount)])),
    topics: activity.topics,
    specialties: activity.specialties.join('\n'),
    moc: Object.fromEntries(
      activity.mocRegistrations.map((registration) => [
        registration.board,
        { points: String(registration.points), creditTypes: registration.creditTypes, claimDate: text(registration.claimDate) },
      ]),
    ),
    remsProgram: text(activity.rems?.program),
    remsIdentifier: text(activity.rems?.identifier),
    mips: activity.mipsImprovementActivity,
    catalogListed: activity.catalog.listed,
    catalogUrl: text(activity.catalog.url),
    catalogFee: text(activity.catalog.fee),
    catalogRegistration: text(activity.catalog.registration),
    commercialSupport: activity.commercialSupport ? (activity.commercialSupport.received ? 'yes' : 'no') : '',
    supporters: (activity.commercialSupport?.sources ?? []).map((source) => ({
      name: source.name,
      amount: text(source.amount),
      inKind: source.inKind,
    })),
    physicians: text(activity.learners.physicians),
    others: text(activity.learners.others),
    outcomes: Object.fromEntries(activity.outcomes.map((outcome) => [outcome.outcome, outcome.measurements])),
  };
}

const lines = (value: string) =>
  value
    .split(/\n|;/)
    .map((line) => line.trim())
    .filter(Boolean);

/** A typed number, or NaN for the hub to explain; '' is "not given". */
const number = (value: string) => (value.trim() === '' ? null : Number(value.trim()));

export type FormRequest = {
  input: ActivityInput;
  /** Where the hub's problem fields point in the form: `credits.1` -> `credit:NURSING`. */
  fieldKey: (field: string | undefined) => string;
};

export function toRequest(form: ActivityFormState, creditOrder: readonly string[], boardOrder: readonly string[]): FormRequest {
  const credits = creditOrder
    .filter((code) => form.credits[code]?.trim())
    .map((code) => ({ type: code, amount: Number(form.credits[code].trim()) }));
  const boards = boardOrder.filter((board) => {
    const entry = form.moc[board];
    return entry && (entry.points.trim() || entry.creditTypes.length || entry.claimDate);
  });
  const supporters = form.supporters
    .map((supporter, index) => ({ supporter, index }))
    .filter(({ supporter }) => supporter.name.trim() || supporter.amount.trim() || supporter.inKind);
  const outcomes = Object.entries(form.outcomes).filter(([, measurements]) => measurements.length > 0);
  // The country list starts on USA; a country alone, without a city or state, says nothing.
  const hasLocation = form.city.trim() || form.state.trim();

  const input: ActivityInput = {
    providerActivityId: form.providerActivityId,
    title: form.title,
    description: form.description || null,
    type: form.type,
    deliveryMethod: form.deliveryMethod || null,
    startDate: form.startDate,
    endDate: form.endDate,
    location: hasLocation ? { city: form.city || null, state: form.state || null, country: form.country || null } : null,
    providership: form.providership,
    jointProviders: form.providership === 'joint' ? lines(form.jointProviders) : [],
    credits,
    topics: form.topics,
    specialties: lines(form.specialties),
    mocRegistrations: boards.map((board) => ({
      board,
      points: Number(form.moc[board].points.trim() || 0),
      creditTypes: form.moc[board].creditTypes,
      claimDate: form.moc[board].claimDate || null,
    })),
    rems: form.remsProgram ? { program: form.remsProgram, identifier: form.remsIdentifier || null } : null,
    mipsImprovementActivity: form.mips,
    catalog: {
      listed: form.catalogListed,
      url: form.catalogUrl || null,
      fee: form.catalogFee || null,
      registration: form.catalogRegistration || null,
    },
    commercialSupport: form.commercialSupport
      ? {
          received: form.commercialSupport === 'yes',
          sources:
            form.commercialSupport === 'yes'
              ? supporters.map(({ supporter }) => ({ name: supporter.name, amount: number(supporter.amount), inKind: supporter.inKind }))
              : [],
        }
      : null,
    learners: { physicians: number(form.physicians), others: number(form.others) },
    outcomes: outcomes.map(([outcome, measurements]) => ({ outcome, measurements })),
  };

  function fieldKey(field: string | undefined): string {
    if (!field) return '';
    const [head, index, leaf, deeper] = field.split('.');
    const position = Number(index);
    switch (head) {
      case 'credits':
        return `credit:${credits[position]?.type ?? 'AMA_PRA_CAT1'}`;
      case 'mocRegistrations':
        return `moc:${boards[position] ?? ''}:${leaf ?? 'points'}`;
      case 'commercialSupport':
        return index === 'sources' && leaf !== undefined ? `supporter:${supporters[Number(leaf)]?.index ?? 0}:${deeper ?? 'name'}` : field;
      case 'outcomes':
      case 'topics':
      case 'jointProviders':
      case 'specialties':
        return head;
      default:
        return field;
    }
  }

  return { input, fieldKey };
}
