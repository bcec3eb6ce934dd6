import type { ColumnSpec } from '../../files/columns.ts';
import type { OutputColumn } from '../../files/tabular-writer.ts';
import type { LearnerIdentity } from '../matching/match-rules.ts';
import { BOARD_ID_COLUMNS, isIssuerNamed, LEARNER_FILE_COLUMNS, STATE_LICENSE_COLUMNS } from '../uploads/learner-columns.ts';
import type { ValidationResult } from './learner-validation.schemas.ts';

const identityColumns = new Set(['firstName', 'middleName', 'lastName', 'fullName', 'birthMonth', 'birthDay', 'dateOfBirth', 'state', 'licenseNumber', 'npi', 'board', 'boardId']);

/** The columns of a validation file: a learner file's that identify the learner, read as uploads read them. */
export const validationFileColumns: readonly ColumnSpec[] = [
  ...LEARNER_FILE_COLUMNS.filter((column) => identityColumns.has(column.name)),
  ...BOARD_ID_COLUMNS,
  ...STATE_LICENSE_COLUMNS,
];

/** What the answer file repeats of each row: the learner as read, a whole name in its parts, never a date of birth, the board and ID in their own columns. */
const answeredColumns = validationFileColumns.filter((column) => column.name !== 'fullName' && column.name !== 'dateOfBirth' && !isIssuerNamed(column.name));

export type AnsweredRow = { rowNumber: number; identity: LearnerIdentity; result: ValidationResult };

const describeStatus: Record<ValidationResult['status'], string> = {
  matched: 'Matched',
  ambiguous: 'Ambiguous: more than one physician fits',
  not_found: 'Not found',
  invalid: 'Invalid: fix the row',
};

/** The status and each problem, a sentence each: "Invalid: fix the row. Birth month is missing." */
function answerWords(result: ValidationResult): string {
  return [describeStatus[result.status], ...result.problems.map((problem) => problem.message)].map((words) => `${words.replace(/\.$/, '')}.`).join(' ');
}

/** The answer file: the row as sent, then the answer. Nothing the provider did not send is added. */
export const answerColumns: OutputColumn<AnsweredRow>[] = [
  { header: 'Row', value: (row) => row.rowNumber, width: 7 },
  ...answeredColumns.map((column): OutputColumn<AnsweredRow> => ({
    header: column.label,
    value: (row) => row.identity[column.name as keyof LearnerIdentity] ?? '',
    width: 16,
    text: true,
  })),
  { header: 'Status', value: (row) => row.result.status, width: 12 },
  { header: 'Answer', value: (row) => answerWords(row.result), width: 80 },
  { header: 'Problem codes', value: (row) => row.result.problems.map((p) => p.code).join(' '), width: 30 },
  { header: 'Tolerated differences', value: (row) => row.result.tolerances.join(' '), width: 30 },
];
