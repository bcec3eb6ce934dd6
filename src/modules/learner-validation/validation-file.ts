import type { ColumnSpec } from '../../files/columns.ts';
import type { OutputColumn } from '../../files/tabular-writer.ts';
import type { LearnerIdentity } from '../matching/match-rules.ts';
import type { ValidationResult } from './learner-validation.schemas.ts';

/** The columns of a validation file; the learner report template's headings are accepted as they are. */
export const validationFileColumns: readonly ColumnSpec[] = [
  { name: 'firstName', label: 'First name', synonyms: ['Given name', 'First'], required: true },
  { name: 'middleName', label: 'Middle name', synonyms: ['Middle', 'Middle initial'] },
  { name: 'lastName', label: 'Last name', synonyms: ['Family name', 'Surname', 'Last'], required: true },
  { name: 'birthMonth', label: 'Birth month', synonyms: ['Month of birth', 'DOB month'], required: true },
  { name: 'birthDay', label: 'Birth day', synonyms: ['Day of birth', 'DOB day'], required: true },
  { name: 'state', label: 'State', synonyms: ['License state', 'Licensing state', 'Jurisdiction'] },
  { name: 'licenseNumber', label: 'License number', synonyms: ['License', 'License no', 'License #'] },
  { name: 'npi', label: 'NPI', synonyms: ['NPI number'] },
  { name: 'board', label: 'Board', synonyms: ['Certifying board', 'Board code'] },
  { name: 'boardId', label: 'Board ID', synonyms: ['Diplomate ID', 'Certifying board ID'] },
];

export type AnsweredRow = { rowNumber: number; identity: LearnerIdentity; result: ValidationResult };

const describeStatus: Record<ValidationResult['status'], string> = {
  matched: 'Matched',
  ambiguous: 'Ambiguous: more than one physician fits',
  not_found: 'Not found',
  invalid: 'Invalid: fix the row',
};

/** The answer file: the row as sent, then the answer. Nothing the provider did not send is added. */
export const answerColumns: OutputColumn<AnsweredRow>[] = [
  { header: 'Row', value: (row) => row.rowNumber, width: 7 },
  ...validationFileColumns.map((column): OutputColumn<AnsweredRow> => ({
    header: column.label,
    value: (row) => row.identity[column.name as keyof LearnerIdentity] ?? '',
    width: 16,
    text: true,
  })),
  { header: 'Status', value: (row) => row.result.status, width: 12 },
  { header: 'Answer', value: (row) => [describeStatus[row.result.status], ...row.result.problems.map((p) => p.message)].join('. '), width: 80 },
  { header: 'Problem codes', value: (row) => row.result.problems.map((p) => p.code).join(' '), width: 30 },
  { header: 'Tolerated differences', value: (row) => row.result.tolerances.join(' '), width: 30 },
];
