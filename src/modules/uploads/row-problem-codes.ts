// The problem codes the hub gives a receipt line, wherever they are given: the file's reading, the row's values, the
// report's rules, the matching of its learner, and its repeats. The rows of an upload are listed by one of them
// (`GET /uploads/{id}/rows?problem=`): a code no row of the upload has lists none, and a code the hub never gives is
// refused, so that a misspelt one is not read as "no such rows". Pure: no I/O.

import type { z } from 'zod';
import { closestSpelling } from '../../words.ts';

/**
 * zod's own codes, as `reportIssueCode` gives them (a refinement of the hub's as `invalid`, a number's bounds as
 * `out_of_range`): each code zod has but `custom`, so that a zod that adds one fails to compile here.
 */
const zodCodes: Record<Exclude<z.core.$ZodIssue['code'], 'custom'>, true> = {
  invalid_type: true,
  too_big: true,
  too_small: true,
  invalid_format: true,
  not_multiple_of: true,
  unrecognized_keys: true,
  invalid_union: true,
  invalid_key: true,
  invalid_element: true,
  invalid_value: true,
};

const rowProblemCodeList: readonly string[] = [
  ...Object.keys(zodCodes),
  'invalid',
  'out_of_range',
  // A cell left empty (`learner-file.ts`).
  'required',
  // The row as a file writes it (`files/csv-reading.ts`, `files/tabular-rows.ts`, `files/workbook-parts.ts`), and the rows
  // of which nothing is kept (`rowsNotKeptCodes`, `learner-file.ts`).
  'unreadable_row',
  'row_too_long',
  'too_many_values',
  'too_few_values',
  'header_repeated',
  'cell_error',
  'formula_without_result',
  'consent_declined',
  'not_a_completion',
  'not_attended',
  'row_not_stored',
  // The row's values (`learner-values.ts`, `learner-columns.ts`).
  'birth_date_invalid',
  'credit_amount_invalid',
  'too_many_credit_lines',
  // A MedBiquitous report (`files/medbiq-activity-report.ts`, `learner-rows.ts`).
  'xml_schema',
  'no_learner',
  'no_name',
  'no_birth_date',
  'birth_date_incomplete',
  'no_activity_id',
  'not_completed',
  'no_completion_date',
  'no_credits',
  'no_credit_amount',
  'invalid_credit_amount',
  'delete_not_in_upload',
  // The report's rules (`reports/report-rules.ts`).
  'activity_not_found',
  'activity_closed',
  'activity_not_active',
  'completion_date_in_future',
  'completion_date_outside_activity',
  'completion_date_outside_reporting_window',
  // A date written without its year: read as the day its activity tells, or not (`ingest-learner-reports.ts`).
  'completion_year_from_activity',
  'completion_date_year_missing',
  'consent_missing',
  'credit_type_unknown',
  'credit_type_not_designated',
  'credit_type_repeated',
  'credits_exceed_designated',
  'credits_missing',
  // Its learner (`matching/match-rules.ts`, `reports/report-outcome.ts`).
  'first_name_required',
  'last_name_required',
  'birth_month_invalid',
  'birth_day_invalid',
  'state_invalid',
  'state_required',
  'license_number_invalid',
  'npi_format',
  'npi_check_digit',
  'board_required',
  'board_id_required',
  'identifier_required',
  'name_mismatch',
  'birth_date_mismatch',
  'license_not_found',
  'license_other_state',
  'license_inactive',
  'npi_not_found',
  'board_id_not_found',
  'person_not_found',
  'several_people_fit',
  'identifiers_conflict',
  'identity_ambiguous',
  'identity_not_found',
  // Taking it in (`reports/use-cases/ingest-learner-reports.ts`, `upload-processor.ts`, `db/database-errors.ts`), repeats among them.
  'already_reported',
  'already_on_file',
  'duplicate_row',
  'duplicate_in_flight',
  'hidden_row',
  'unreadable',
  'value_not_stored',
];

/** Every problem code a receipt line may have. */
export const rowProblemCodes: ReadonlySet<string> = new Set(rowProblemCodeList);

/**
 * The code a misspelt one was most likely meant to be ("licence_not_found", "License_Not_Found"): a letter or two
 * from it (`closestSpelling`), when one code is closer than any other; null otherwise.
 */
export function rowProblemCodeMeant(sent: string, codes: Iterable<string> = rowProblemCodes): string | null {
  return closestSpelling(sent.trim().toLowerCase(), [...codes].map((code) => [code, code] as const));
}
