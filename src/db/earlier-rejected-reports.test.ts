import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/helpers.ts';
import { referEarlierReportsToFix } from './migrations/1800_rejected_report_references.ts';
import { linkEarlierCorrections } from './migrations/1900_reports_corrected_by_upload.ts';

describe('rejected reports kept before the hub kept their reference and the upload that corrected them', () => {
  const database = useTestDatabase();
  const providerOrgId = randomUUID();

  /** An upload of the provider's, as far as these reports need one. */
  async function anUpload(): Promise<string> {
    const id = randomUUID();
    await database().db
      .insertInto('uploads')
      .values({ id, provider_org_id: providerOrgId, format: 'csv', file_sha256: id, file_bytes: 1, storage_path: id, created_by: '{}' })
      .execute();
    return id;
  }

  it('gives each rejected report still to fix the reference of the row it was sent as, and no other report', async () => {
    const uploadId = await anUpload();
    const rows = [
      { rowNumber: 2, reference: 'R-2', status: 'rejected' as const },
      { rowNumber: 3, reference: 'R-3', status: 'accepted' as const },
      { rowNumber: 4, reference: 'R-4', status: 'rejected' as const, deleted: true },
      { rowNumber: 5, reference: null, status: 'rejected' as const },
    ].map((row) => ({ ...row, id: randomUUID() }));
    await database().db
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
    await database().db
      .insertInto('upload_rows')
      .values(rows.map((row) => ({ upload_id: uploadId, row_number: row.rowNumber, provider_org_id: providerOrgId, reference: row.reference, status: row.status, duplicate: false, late: false, report_id: row.id })))
      .execute();

    await referEarlierReportsToFix(database().db);
    const stored = await database().db.selectFrom('learner_reports').select(['row_number', 'reference']).where('upload_id', '=', uploadId).orderBy('row_number').execute();
    expect(stored).toEqual([
      { row_number: 2, reference: 'R-2' },
      { row_number: 3, reference: null },
      { row_number: 4, reference: null },
      { row_number: 5, reference: null },
    ]);
  });

  it('links each report corrected by an upload to the upload its reason names, if it is the same provider\'s and still there', async () => {
    const correcting = await anUpload();
    const reasons = [
      `Corrected by june-corrected.csv (upload ${correcting})`,
      `Corrected by a later report of the same completion (report ${randomUUID()})`,
      `Corrected by gone.csv (upload ${randomUUID()})`,
      'Sent by mistake (upload ' + correcting + ')',
    ];
    const ids = reasons.map(() => randomUUID());
    await database().db
      .insertInto('learner_reports')
      .values(ids.map((id, index) => ({
        id,
        provider_org_id: providerOrgId,
        status: 'rejected' as const,
        reported_by: 'june.csv',
        credits: '[]',
        problems: '[]',
        late: false,
        deleted_at: new Date(),
        delete_reason: reasons[index],
      })))
      .execute();

    await linkEarlierCorrections(database().db);
    const stored = await database().db.selectFrom('learner_reports').select(['id', 'corrected_by_upload_id']).where('id', 'in', ids).execute();
    expect(ids.map((id) => stored.find((row) => row.id === id)?.corrected_by_upload_id)).toEqual([correcting, null, null, null]);
  });
});
