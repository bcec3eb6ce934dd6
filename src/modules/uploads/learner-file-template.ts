// The learner file template providers fill in: the template's columns, its instructions, and, for a provider,
// a sheet of its activities. Pure: no I/O.

import { tableDownload } from '../../files/tabular-writer.ts';
import type { FileDownload, OutputColumn } from '../../files/tabular-writer.ts';
import { creditTypeName } from '../activities/credit-types.ts';
import type { Credit } from '../reports/report-input.ts';
import { LEARNER_FILE_COLUMNS, learnerOutputColumns } from './learner-columns.ts';

const templateColumns = learnerOutputColumns<unknown>(() => '');

/** How to fill in a learner row and what happens to it: the instructions of the template and of the rows to fix. */
export const learnerRowInstructions = [
  'Identify each learner by name, birth month and day, and at least one of: license state and number, NPI, or certifying board and board ID.',
  'Never enter a birth year. The hub does not keep one.',
  'A row may carry several credit lines: AMA PRA Category 1 credits, MOC credits (with their type), and credits of one other type.',
  'A column headed by a certifying board and ID ("ABIM ID"), or by a board and MOC points ("ABIM MOC points"), is read as the Board ID, or the MOC credits, of that board.',
  'A license column headed by its state ("CA License #", "California license number") is read as license numbers of that state, with no License state column needed.',
  'Upload the file under Uploads, by the API (POST /api/v1/uploads) or with "cmehub import". The receipt lists every row: accepted, pending (no unique match yet; tried again when the registry changes) or rejected, and why.',
  'Sending the same file again adds nothing. A row already reported is marked as a duplicate and not counted twice.',
  '',
  'Columns',
  ...LEARNER_FILE_COLUMNS.map((column) => `${column.label}${column.required ? ' (required)' : ''}: ${column.help}`),
];

const templateInstructions = [
  'Learner completions: how to fill in this file',
  'One row per learner per activity completed. Fill in the "Learners" sheet; keep its header row. Sheets without that header row are ignored; copies of the "Learners" sheet (a tab per month) are read one after another.',
  ...learnerRowInstructions,
];

/** An activity a provider's template lists, so that whoever fills the sheet in by hand finds the ID to write. */
export type TemplateActivity = { id: string; providerActivityId: string; title: string; startDate: string; endDate: string; credits: readonly Credit[] };

const templateActivitiesSheet = 'Your activities';

// Headings that name no learner column, so that the sheet is never read as one of learners.
const templateActivityColumns: OutputColumn<TemplateActivity>[] = [
  { header: 'Hub ID', value: (activity) => activity.id, width: 12, text: true },
  { header: 'Your ID', value: (activity) => activity.providerActivityId, width: 20, text: true },
  { header: 'Title', value: (activity) => activity.title, width: 50 },
  { header: 'Starts', value: (activity) => activity.startDate, width: 12 },
  { header: 'Ends', value: (activity) => activity.endDate, width: 12 },
  { header: 'Credits designated', value: (activity) => activity.credits.map(designatedCreditWords).join('; '), width: 60 },
];

/** "1.5 AMA PRA Category 1 Credit™", "10 ABIM: Medical knowledge (MOC_ABIM_MK)": named as the report rules name it. */
function designatedCreditWords({ type, amount }: Credit): string {
  return `${amount} ${creditTypeName(type)}`;
}

/**
 * The learner file template. A workbook for a provider also lists, on a sheet of its own, its activities that
 * take learner reports, with both IDs either of which the Activity ID column takes (a CSV file has one table only).
 */
export function learnerTemplate(format: 'csv' | 'xlsx', activities: readonly TemplateActivity[] = []): FileDownload {
  const listed = activities.length > 0;
  const instructions = listed
    ? [
        ...templateInstructions,
        `The "${templateActivitiesSheet}" sheet lists your activities that take learner reports now (${activities.length.toLocaleString('en-US')}); write either of an activity's IDs in the Activity ID column.`,
      ]
    : templateInstructions;
  return tableDownload(format, 'learner-completions-template', { name: 'Learners', columns: templateColumns, rows: [], templateRows: 2000 }, [
    ...(listed ? [{ name: templateActivitiesSheet, columns: templateActivityColumns, rows: activities }] : []),
    { name: 'Instructions', lines: instructions },
  ]);
}
