import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.ts';
import type { Database } from './database.ts';
import { referEarlierReportsToFix } from './migrations/1800_rejected_report_references.ts';

describe('the references of reports to fix taken in before rejected reports kept theirs', () => {
  let database: Database;
  const providerOrgId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives each rejected report still to fix the reference of the row it was sent as, and no other report', async () => {
    const uploadId = randomUUID();
    await database.db
      .insertInto('uploads')
      .values({ id: uploadId, provider_org_id: providerOrgId, format: 'csv', file_sha256: uploadId, file_bytes: 1, storage_path: uploadId, created_by: '{}' })
      .execute();
    const rows = [
      { rowNumber: 2, reference: 'R-2', status: 'rejected' as const },
      { rowNumber: 3, reference: 'R-3', status: 'accepted' as const },
      { rowNumber: 4, reference: 'R-4', status: 'rejected' as const, deleted: true },
      { rowNumber: 5, reference: null, status: 'rejected' as const },
    ].map((row) => ({ ...row, id: randomUUID() }));
    await database.db
      .insertInto('learner_reports')
      .values(rows.map((row) => ({
        id: row.id,
        provider_org_id: providerOrgId,
        status: row.status,
        person_id: row.status === 'accepted' ? randomUUID() : null,
        match_key: row.status === 'accepted' ? `person:${row.id}` : null,
        upload_id: uploadId,
        row_number: row.rowNumber,
        reported_by: 'june.csv',
        credits: '[]',
        problems: '[]',
        late: false,
        deleted_at: row.deleted ? new Date() : null,
      })))
      .execute();
    await database.db
      .insertInto('upload_rows')
      .values(rows.map((row) => ({ upload_id: uploadId, row_number: row.rowNumber, provider_org_id: providerOrgId, reference: row.reference, status: row.status, duplicate: false, late: false, report_id: row.id })))
      .execute();

    await referEarlierReportsToFix(database.db);
    const stored = await database.db.selectFrom('learner_reports').select(['row_number', 'reference']).where('upload_id', '=', uploadId).orderBy('row_number').execute();
    expect(stored).toEqual([
      { row_number: 2, reference: 'R-2' },
      { row_number: 3, reference: null },
      { row_number: 4, reference: null },
      { row_number: 5, reference: null },
    ]);
  });
});
