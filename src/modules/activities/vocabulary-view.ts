import { certifyingBoardName } from '../reference/certifying-boards.ts';
import { jurisdictions } from '../reference/jurisdictions.ts';
import { AMA_PRA_CAT1, CREDIT_TYPES, MOC_BOARD_CODES, MOC_CREDIT_KINDS, OTHER_CREDIT_TYPES, mocCreditType } from './credit-types.ts';
import { ACTIVITY_STATUSES } from './lifecycle.ts';
import { COUNTRY_NAMES } from './locations.ts';
import {
  ACTIVITY_TYPES,
  CATALOG_FEES,
  CATALOG_REGISTRATIONS,
  DELIVERY_METHODS,
  LOCATED_ACTIVITY_TYPES,
  MEASUREMENTS,
  OUTCOMES,
  PROVIDERSHIPS,
  REMS_PROGRAMS,
  TOPICS,
} from './vocabulary.ts';

const entries = (vocabulary: Record<string, string>) => Object.entries(vocabulary).map(([code, label]) => ({ code, label }));

/** Every coded field's values with labels, for forms and API clients: one source, the domain files. */
export function activityVocabulary() {
  return {
    types: entries(ACTIVITY_TYPES),
    locatedTypes: [...LOCATED_ACTIVITY_TYPES],
    deliveryMethods: entries(DELIVERY_METHODS),
    providerships: entries(PROVIDERSHIPS),
    statuses: entries(ACTIVITY_STATUSES),
    creditTypes: entries({ [AMA_PRA_CAT1]: CREDIT_TYPES[AMA_PRA_CAT1], ...OTHER_CREDIT_TYPES }),
    mocBoards: MOC_BOARD_CODES.map((board) => ({
      code: board,
      label: certifyingBoardName.get(board) ?? board,
      creditTypes: Object.entries(MOC_CREDIT_KINDS[board]).map(([kind, label]) => ({ code: mocCreditType(board, kind), label })),
    })),
    topics: entries(TOPICS),
    outcomes: entries(OUTCOMES),
    measurements: entries(MEASUREMENTS),
    catalogFees: entries(CATALOG_FEES),
    catalogRegistrations: entries(CATALOG_REGISTRATIONS),
    remsPrograms: entries(REMS_PROGRAMS),
    countries: entries(COUNTRY_NAMES),
    usStates: jurisdictions.map(([code, name]) => ({ code, label: name })),
  };
}
