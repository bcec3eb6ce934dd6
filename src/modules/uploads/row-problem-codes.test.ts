import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rowProblemCodeMeant, rowProblemCodes } from './row-problem-codes.ts';

/** Where the problems of a receipt line are given, and how each of them writes its codes. */
const sources: Record<string, RegExp[]> = {
  'src/files/csv-reading.ts': [],
  'src/files/tabular-rows.ts': [],
  'src/files/workbook-parts.ts': [/\bUnreadableCell\('([a-z_]+)'/g],
  'src/files/medbiq-activity-report.ts': [/\badd\(\s*'([a-z_]+)'/g],
  'src/modules/uploads/learner-file.ts': [/\bproblem\('[^']*', '([a-z_]+)'/g],
  'src/modules/uploads/learner-values.ts': [/\bproblem\('[^']*', '([a-z_]+)'/g],
  'src/modules/uploads/learner-columns.ts': [],
  'src/modules/uploads/learner-rows.ts': [],
  'src/modules/uploads/upload-processor.ts': [],
  'src/db/database-errors.ts': [],
  'src/modules/reports/report-rules.ts': [],
  'src/modules/reports/report-outcome.ts': [],
  'src/modules/reports/reports.xml-input.ts': [],
  'src/modules/reports/use-cases/ingest-learner-reports.ts': [],
  'src/modules/matching/match-rules.ts': [],
};
const everywhere = [/\bcode: '([a-z][a-z0-9_]*)'/g, /\bcode: \w+ \? '([a-z_]+)' : '([a-z_]+)'/g, /^(?:export )?const \w+ = '([a-z]+(?:_[a-z0-9]+)+)';$/gm];

/** Codes those files give a whole file, not a row: a refusal of the file, or a note on the upload. */
const ofTheWholeFile = new Set(['missing_column', 'identifier_column_missing', 'consent_required', 'consent_kind_unstated', 'credits_from_activity', 'date_only_day_first', 'sheet_not_read', 'attendance_not_said']);

/** Codes a learner file's row is given another for before its receipt line has it: a line of text is no completion. */
const givenAnother = new Set(['line_of_text']);

describe('the problem codes of a receipt line', () => {
  it('takes every code the hub gives a row, however its source writes it', () => {
    const root = new URL('../../../', import.meta.url);
    const given = new Set<string>();
    for (const [file, own] of Object.entries(sources)) {
      const text = fs.readFileSync(new URL(file, root), 'utf8');
      for (const pattern of [...everywhere, ...own]) {
        for (const match of text.matchAll(pattern)) match.slice(1).forEach((code) => given.add(code));
      }
    }
    expect(given.size).toBeGreaterThan(60);
    expect([...given].filter((code) => !ofTheWholeFile.has(code) && !givenAnother.has(code) && !rowProblemCodes.has(code))).toEqual([]);
    // Asked for, such a code is refused as one no line has, rather than listing none.
    expect([...givenAnother].filter((code) => rowProblemCodes.has(code))).toEqual([]);
  });

  it('asks about the code a letter or two from a misspelt one, only when one is closest', () => {
    expect(rowProblemCodeMeant('licence_not_found')).toBe('license_not_found');
    expect(rowProblemCodeMeant('License_Not_Found')).toBe('license_not_found');
    expect(rowProblemCodeMeant('credit_ammount_invalid')).toBe('credit_amount_invalid');
    expect(rowProblemCodeMeant('requird')).toBe('required');
    // A short code one letter off only; nothing close; two as close.
    expect(rowProblemCodeMeant('reqird')).toBeNull();
    expect(rowProblemCodeMeant('no_licence')).toBeNull();
    expect(rowProblemCodeMeant('row_cd_x', ['row_cd_y', 'row_cd_z'])).toBeNull();
  });
});
