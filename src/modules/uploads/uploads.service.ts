import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import { rowsByPages } from '../../db/row-pages.ts';
import type { DB } from '../../db/schema.ts';
import { tooManyRows } from '../../files/limits.ts';
import { sheetRowAt } from '../../files/row-place.ts';
import type { SheetRead } from '../../files/row-place.ts';
import { downloadName } from '../../files/file-names.ts';
import { tableDownload } from '../../files/tabular-writer.ts';
import type { FileDownload, OutputColumn } from '../../files/tabular-writer.ts';
import { firstRowsLookedAt } from '../../files/written-dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { anotherListsCursor, cursorField, decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import { requestedProvider, requiredProvider } from '../organizations/requested-provider.ts';
import { creditsFromActivityNotice, RECEIPT_OWN_HEADINGS } from './learner-columns.ts';
import { noCompletionCodes, rowsNotKeptCodes } from './learner-file.ts';
import type { ActivityAndDateForRows } from './learner-file.ts';
import { askedAtOnce, consentLeftUnstated, DateOrderSeen, LearnerFileHeaderError, noneShownAttending, openLearnerRows } from './learner-rows.ts';
import { dateOrderReadOn } from './date-order-read-on.ts';
import type { LearnerRow, LearnerRows, OpenLearnerRowsOptions } from './learner-rows.ts';
import { kindField } from './row-problem-counts.ts';
import { rowProblemCodeMeant, rowProblemCodes } from './row-problem-codes.ts';
import { rowsToFixFile } from './rows-to-fix.ts';
import type { RowToFix } from './rows-to-fix.ts';
import { detectFormat, refuseFormatNotOfContent } from './upload-format.ts';
import { fileKeptUntil } from './upload-file-retention.ts';
import { snapshotOf } from './upload-processor.ts';
import { discardFile, keepFile, receiveToDisk, storedFilePath, uploadsDirectory } from './upload-storage.ts';
import { notifyUploadQueued, uploadLimits } from './upload-worker.ts';
import { secondsLeftAt } from './run-pace.ts';
import { inWords, quoted } from '../../words.ts';
import * as repository from './uploads.repository.ts';
import type { LineLearner, ReceiptLineRow, UploadRow } from './uploads.repository.ts';
import type { ReceiptLinesQuery, ReceiptLineView, UploadView, WithdrawalPreview } from './uploads.schemas.ts';
import { count, minuteUtc, rowCounts, uploadOutcomeLines } from './upload-lines.ts';
import type { UploadFormat, UploadWithdrawal } from './uploads.tables.ts';
import { learnerTemplateFor } from './use-cases/learner-template.ts';
import { activityAndDateForRows } from './use-cases/activity-and-date-for-rows.ts';
import { checkFirstRowsAgainstActivities } from './use-cases/activities-named-by-first-rows.ts';
import { stopUpload } from './use-cases/stop-upload.ts';
import { withdrawUpload } from './use-cases/withdraw-upload.ts';
import { withdrawalPreview } from './use-cases/withdrawal-preview.ts';
import { withTitleBlockSuggestions } from './use-cases/title-block-suggestions.ts';

/** What the sender says about the file: in the address, or as fields of the form that carries it. */
export type UploadOptions = {
  fileName: string | null;
  format?: UploadFormat;
  consent?: 'written' | 'implied';
  /** The order the file's dates of numbers are written in, when the sender says it. */
  dates?: DateOrder;
  /** The activity (hub ID, the provider's own ID, or title) and completion date of the rows that give none. */
  activity?: string;
  completionDate?: string;
  /** An operator's: the provider's organization id or 7-digit provider ID. */
  providerOrgId?: string;
};

export type IncomingUpload = UploadOptions & {
  source: Readable;
  contentType: string | undefined;
  /**
   * For a form: its options once its fields after the file are read too, called once the file is received
   * (the options above are those known before the file).
   */
  optionsAfterFile?: () => Promise<UploadOptions>;
};

export type CreatedUpload = { upload: UploadView; alreadyUploaded: boolean; message: string };

export function createUploadsService({ db, config }: { db: Kysely<DB>; config: Config }) {
  const directory = uploadsDirectory(config.dataDir);
  const limits = uploadLimits(config);
  const view = (row: UploadRow, followed: FollowedCounts = {}) => toUploadView(row, config.uploadFileDays, followed);

  /**
   * The upload as its sender follows it: while it waits, with how many files go before it; once taken in, with
   * how many of its rejected rows are still to fix (not corrected or deleted since), 0 when none was to fix; not once
   * withdrawn, as its file goes again whole.
   */
  const followedView = async (row: UploadRow) => {
    if (row.status === 'queued') return view(row, { filesAhead: await repository.countUploadsAhead(db, row) });
    const toFix = rowsWithSomethingToFix(row);
    if (row.status === 'running' || row.withdrawal) return view(row);
    if (toFix === 0) return view(row, { stillToFix: 0 });
    return view(row, { stillToFix: Math.min(toFix, await repository.countRejectedReportsStillToFix(db, row.id, row.provider_org_id)) });
  };

  /**
   * Takes a learner file: streams it to disk (hashing it on the way), checks that it can be read,
   * and queues the job. The same file again returns the earlier upload and adds nothing.
   */
  async function create(context: RequestContext, incoming: IncomingUpload): Promise<CreatedUpload> {
    // Who the file is for is settled before any byte is stored, unless an operator's form names it only after the file.
    const namedAfterFile = context.actor.role === 'operator' && !incoming.providerOrgId && incoming.optionsAfterFile !== undefined;
    const settledProvider = namedAfterFile ? null : await uploadProvider(db, context, incoming.providerOrgId);
    const received = await receiveToDisk(incoming.source, directory, config.maxUploadBytes);
    let heldFile = received.tempPath;
    try {
      const options = incoming.optionsAfterFile ? await incoming.optionsAfterFile() : incoming;
      // A provider named only in the form's fields, after the file, is checked as one named in the address is.
      if (settledProvider && options.providerOrgId && options.providerOrgId !== incoming.providerOrgId) await uploadProvider(db, context, options.providerOrgId);
      const providerOrgId = settledProvider ?? (await uploadProvider(db, context, options.providerOrgId));
      if (holdsNothing(received)) {
        throw new BadRequestError('empty_file', 'The file is empty. Send a CSV, XLSX or XML file with one row (or report) per completion.');
      }
      const hints = { declared: options.format, fileName: options.fileName, contentType: incoming.contentType, head: received.head };
      const format = detectFormat(hints);
      await refuseFormatNotOfContent(hints, received.tempPath, limits);
      // Lines are an upper bound on CSV rows: far past the limit is refused before any row is taken.
      if (format === 'csv' && received.lineBreaks > limits.maxRows * 2) {
        throw tooManyRows(limits.maxRows);
      }
      const forRows = await activityAndDateForRows(db, providerOrgId, format, options);
      const earlier = await repository.findSameFile(db, providerOrgId, received.sha256, forRows);
      if (earlier) {
        await discardFile(received.tempPath);
        return sameFileAnswer(earlier, options);
      }
      const { notices, columnsRead, sheets } = await preflight(received.tempPath, providerOrgId, format, { consent: options.consent ?? null, dateOrder: options.dates ?? null }, forRows);
      const id = randomUUID();
      const storagePath = await keepFile(directory, received.tempPath, providerOrgId, id, format);
      heldFile = storedFilePath(directory, storagePath);
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await repository.insertUpload(trx, {
          id,
          providerOrgId,
          format,
          fileName: options.fileName,
          sha256: received.sha256,
          bytes: received.bytes,
          storagePath,
          consent: options.consent ?? null,
          dateOrder: options.dates ?? null,
          forRows,
          problems: notices,
          columnsRead,
          sheets,
          createdBy: snapshotOf(context.actor),
        });
        if (inserted) {
          await recordAudit(trx, context, {
            action: 'upload.create',
            entityType: 'upload',
            entityId: id,
            organizationId: providerOrgId,
            details: { format, bytes: received.bytes, ...(forRows.activityId ? { activityForRows: forRows.activityId } : {}), ...(forRows.completionDate ? { completionDateForRows: forRows.completionDate } : {}) },
          });
        }
        return inserted;
      });
      if (!row) {
        // The same file arrived twice at once; the other request stored it.
        await discardFile(heldFile);
        const other = await repository.findSameFile(db, providerOrgId, received.sha256, forRows);
        if (other) return sameFileAnswer(other, options);
        throw new AppError(409, 'upload_in_progress', 'The same file is being uploaded by another request; look for it in the list of uploads.');
      }
      notifyUploadQueued();
      const upload = await followedView(row);
      return { upload, alreadyUploaded: false, message: queuedMessage(upload.filesAhead ?? 0) };
    } catch (error) {
      await discardFile(heldFile);
      throw error;
    }
  }

  /**
   * The upload that already holds the file; while its withdrawal runs, the file cannot be sent again yet.
   * `sentNow`: the options sent now, which do not change the earlier upload's.
   */
  function sameFileAnswer(earlier: UploadRow, sentNow: Pick<UploadOptions, 'consent' | 'dates' | 'format'>): CreatedUpload {
    const { consent, dates, format } = sentNow;
    const upload = view(earlier);
    if (upload.withdrawal) {
      throw new ConflictError(
        'upload_being_withdrawn',
        `This file's earlier upload is being withdrawn (${count(upload.withdrawal.reports)} of its reports deleted so far). Send the file again once the withdrawal is done.`,
      );
    }
    const when = minuteUtc(upload.createdAt);
    if (consent && consent !== upload.consent) {
      const earlierConsent = upload.consent ? `consent "${upload.consent}"` : 'no consent given for the whole file';
      return {
        upload,
        alreadyUploaded: true,
        message:
          `This file was already uploaded (${when}) with ${earlierConsent}. That upload and its consent stand: nothing was added, ` +
          `and the consent "${consent}" sent now was not applied. To take the file in with consent "${consent}", withdraw the earlier ` +
          'upload once it is done (Withdraw this upload… on its page), then send the file again.',
      };
    }
    if (dates && dates !== upload.dates) {
      const read = (order: DateOrder) => `its dates read ${order === 'day_first' ? 'day first (DD/MM/YYYY)' : 'month first (MM/DD/YYYY)'}`;
      const earlierDates = upload.dates ? read(upload.dates) : 'no order given for its dates (read month first)';
      return {
        upload,
        alreadyUploaded: true,
        message:
          `This file was already uploaded (${when}) with ${earlierDates}. That upload and its dates stand: nothing was added, and dates=${dates} sent now ` +
          `was not applied. To take the file in with ${read(dates)}, withdraw the earlier upload once it is done (Withdraw this upload… on its page), ` +
          'then send the file again.',
      };
    }
    // A format said now that the file was not read as would otherwise pass unseen, the earlier receipt looking right.
    const readAs = format && format !== upload.format ? ` It was read as ${upload.format.toUpperCase()}; the format "${format}" sent now was not applied.` : '';
    return {
      upload,
      alreadyUploaded: true,
      message: `This file was already uploaded (${when}). Nothing was added; ${stillTakenIn(earlier) ? 'this is the earlier upload, which is still being taken in: follow it here' : 'this is the earlier upload and its receipt'}.${readAs}`,
    };
  }

  /**
   * Opens the file as the job will, so that a file that cannot be read is refused now, with why; and one whose
   * first rows show that every row would be rejected for one reason, that reason asked about once.
   */
  async function preflight(
    filePath: string,
    providerOrgId: string,
    format: UploadFormat,
    { consent, dateOrder }: Pick<OpenLearnerRowsOptions, 'consent' | 'dateOrder'>,
    forRows: ActivityAndDateForRows,
  ): Promise<Pick<LearnerRows, 'notices' | 'columnsRead' | 'sheets'>> {
    const options = { format, consent, dateOrder, forRows, limits };
    // Only the first rows are read: a workbook's shared strings only as far as they need.
    const file = await openLearnerRows(filePath, { ...options, headerOnly: true }).catch(async (error: unknown) => {
      throw error instanceof LearnerFileHeaderError ? await withTitleBlockSuggestions(db, providerOrgId, error, { dateOrder: dateOrder ?? null, activityForRows: forRows.activityId }) : error;
    });
    let firstRows: LearnerRow[];
    try {
      // Read for a Consent column that leaves consent unstated, dates written day first, and activities the provider
      // does not have or whose dates refuse them.
      firstRows = await firstRowsOf(file.rows, firstRowsLookedAt);
    } finally {
      await file.close();
    }
    if (firstRows.length === 0) {
      // The rows may be on a sheet passed over (hidden, or named as an example): where they are is what to fix.
      const passedOver = file.notices.filter((notice) => notice.code === 'sheet_not_read').map((notice) => ` ${notice.message}`);
      throw new AppError(422, 'file_without_rows', `The file has a header but no rows. Add one row per completion.${passedOver.join('')}`);
    }
    const noneAttended = noneShownAttending(firstRows);
    if (noneAttended) throw noneAttended;
    // What the upload must say of the whole file is asked at once. Before the activities' rules: dates read in the
    // wrong order would be refused by them, for the wrong reason.
    const unstatedConsent = consent === null ? consentLeftUnstated(firstRows) : null;
    const unsaidDateOrder = format !== 'xml' && !dateOrder ? await dateOrderLeftUnsaid(filePath, options, firstRows) : null;
    const asked = [unstatedConsent, unsaidDateOrder].filter((refusal) => refusal !== null);
    if (asked.length > 0) throw askedAtOnce(asked);
    await checkFirstRowsAgainstActivities(db, providerOrgId, { format, dateOrder }, firstRows);
    return { notices: file.notices, columnsRead: file.columnsRead, sheets: file.sheets };
  }

  /**
   * A file sent without the order of its dates is refused when its first rows have a date that can only be read day
   * first and none only month first. When their dates all read both ways, the file is read on, in file order, until
   * one tells (a file whose first rows were all its rows has told all it can).
   */
  async function dateOrderLeftUnsaid(filePath: string, options: OpenLearnerRowsOptions, firstRows: readonly LearnerRow[]): Promise<AppError | null> {
    const seen = new DateOrderSeen();
    for (const row of firstRows) seen.see(row);
    if (!seen.undecided || firstRows.length < firstRowsLookedAt) return seen.refusal();
    return dateOrderReadOn(filePath, options);
  }

  async function get(context: RequestContext, id: string): Promise<UploadView> {
    return followedView(await findReadable(context, id));
  }

  async function list(context: RequestContext, query: { limit: number; cursor?: string; providerOrgId?: string }) {
    // An operator sees every provider's uploads unless naming one; anyone else only their own.
    const providerOrgId = await requestedProvider(db, context.actor, { requested: query.providerOrgId, action: 'upload.read', what: 'uploads' });
    // An operator's cursor of every provider's uploads pages on that list only, not one provider's, nor the other way.
    const listedWith = { providerOrgId };
    const before = query.cursor ? decodeCursor(query.cursor, { createdAt: cursorField.instant, id: cursorField.id }, listedWith) : undefined;
    const rows = await repository.listUploads(db, { providerOrgId, before, limit: query.limit });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => view(row)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.created_at.toISOString(), id: last.id }, listedWith) : null,
    };
  }

  async function receiptPage(context: RequestContext, id: string, query: ReceiptLinesQuery) {
    const upload = await findReadable(context, id);
    if (query.problem) refuseUnknownProblemCode(upload, query.problem);
    // An outcome's lines are those its count counts: the repeats only when asked for (duplicate=true).
    const filter = {
      status: query.status,
      duplicate: query.duplicate ?? (query.status ? false : undefined),
      problem: query.problem ? { code: query.problem, ...(query.problemField ? { field: kindField(query.problemField) } : {}) } : undefined,
    };
    // A cursor goes on the list it came from: another upload's, or other filters', would page a list it does not belong to.
    const listedWith = { status: filter.status, duplicate: filter.duplicate, problem: filter.problem?.code, problemField: filter.problem?.field };
    const position = query.cursor ? decodeCursor(query.cursor, { upload: cursorField.id, row: cursorField.integer }, listedWith) : null;
    if (position && position.upload !== upload.id) throw new BadRequestError('invalid_cursor', anotherListsCursor);
    const afterRow = position?.row ?? 0;
    const rows = await repository.receiptLines(db, upload.id, upload.provider_org_id, { afterRow, limit: query.limit + 1, ...filter });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    // The lines name their learners and completions: reading them is reading those records, as the receipt's file is.
    await recordAudit(db, context, {
      action: 'upload.receipt.read',
      entityType: 'upload',
      entityId: upload.id,
      organizationId: upload.provider_org_id,
      details: { format: 'json', lines: page.length, ...(query.cursor ? { afterRow } : {}) },
    });
    return {
      items: page.map((row) => toReceiptLineView(row, upload.sheets)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ upload: upload.id, row: last.row_number }, listedWith) : null,
    };
  }

  /** The receipt as a file: one line per input row, streamed from the database page by page. */
  async function receiptFile(context: RequestContext, id: string, format: 'csv' | 'xlsx'): Promise<FileDownload> {
    const upload = await findReadable(context, id);
    // A file of part of the rows would read as the whole receipt; its lines are on GET .../rows as they come.
    refuseWhileTakenIn(upload, 'its receipt');
    await recordAudit(db, context, {
      action: 'upload.receipt.read',
      entityType: 'upload',
      entityId: upload.id,
      organizationId: upload.provider_org_id,
      details: { format },
    });
    const lines = () => rowsByPages((afterRow, limit) => repository.receiptLines(db, upload.id, upload.provider_org_id, { afterRow, limit }));
    return tableDownload(format, downloadName('receipt', upload.file_name, upload.id.slice(0, 8)), { name: 'Receipt', columns: receiptColumns(upload.sheets), rows: lines() }, [
      { name: 'Summary', lines: summaryLines(view(upload)) },
    ]);
  }

  /**
   * The rejected rows of a CSV or XLSX upload as a file to correct and send again: the template's columns,
   * filled with the values the receipt keeps for each rejected row, with what to fix beside it. In the
   * upload's own format unless asked.
   */
  async function rowsToFix(context: RequestContext, id: string, requested: 'csv' | 'xlsx' | undefined): Promise<FileDownload> {
    const upload = await findReadable(context, id);
    if (upload.format === 'xml') {
      throw new ConflictError(
        'rows_to_fix_not_for_xml',
        'An XML file comes from a learning system: correct the rejected records there (the receipt lists them, with what to fix) and send the file again.',
      );
    }
    const format: 'csv' | 'xlsx' = upload.format;
    refuseWhileTakenIn(upload, 'its rows to fix');
    if (upload.withdrawal) {
      const message =
        upload.withdrawal.at !== null
          ? 'This upload was withdrawn: what it took in was deleted, its accepted and pending rows too. Correct the file and send it all again.'
          : 'This upload is being withdrawn: what it took in is being deleted, its accepted and pending rows too. Once that is done, correct the file and send it all again.';
      throw new ConflictError('upload_withdrawn', message);
    }
    const rejectedPage = (afterRow: number, limit: number) => repository.rejectedLinesWithValues(db, upload.id, upload.provider_org_id, { afterRow, limit });
    // Read once: the first lines say whether there are rows to fix at all, and are then the file's first rows.
    const lines = rowsByPages(rejectedPage)[Symbol.asyncIterator]();
    let line = await lines.next();
    if (line.done) {
      throw new ConflictError(
        'no_rows_to_fix',
        upload.rejected > 0
          ? 'The only rows of this upload that were rejected are of learners who did not consent to be reported, or hold no completion (a total, the header again): nothing of them is kept, and there is nothing to fix.'
          : 'No row of this upload was rejected: there is nothing to fix.',
      );
    }
    if (upload.file_removed_at || !line.value.sent_values) {
      await lines.return(undefined);
      const why = upload.file_removed_at
        ? `The rejected rows of this upload are no longer kept on the hub: they go with the file, ${config.uploadFileDays} days after the upload is done.`
        : 'This upload was taken in before the hub kept rejected rows for their rows to fix, so it has none.';
      throw new AppError(410, 'rows_to_fix_gone', `${why} Its receipt still lists the rejected rows and what to fix.`);
    }
    while (!line.done && !line.value.stillToFix) line = await lines.next();
    if (line.done) {
      throw new ConflictError(
        'rows_all_corrected',
        `Every rejected row of this upload was corrected since or deleted: none is left to fix. The upload's rejected lines say which was corrected and which deleted (on its page, or by GET /api/v1/uploads/${upload.id}/rows?status=rejected); its receipt still lists them as they were.`,
      );
    }
    await recordAudit(db, context, {
      action: 'upload.rows_to_fix.read',
      entityType: 'upload',
      entityId: upload.id,
      organizationId: upload.provider_org_id,
      details: { rows: upload.rejected },
    });
    const firstToFix = line.value;
    const rowToFix = (toFix: typeof firstToFix): RowToFix => ({ row: sheetRowAt(toFix.row_number, upload.sheets), reportId: toFix.report_id, problems: toFix.problems ?? [], record: toFix.sent_values ?? {} });
    async function* rows(): AsyncGenerator<RowToFix> {
      yield rowToFix(firstToFix);
      for (let next = await lines.next(); !next.done; next = await lines.next()) if (next.value.stillToFix) yield rowToFix(next.value);
    }
    const creditsFromActivity = upload.problems.some((problem) => problem.code === creditsFromActivityNotice.code);
    return rowsToFixFile(requested ?? format, downloadName('rows-to-fix', upload.file_name, upload.id.slice(0, 8)), rows(), { rowCount: upload.rejected, creditsFromActivity });
  }

  /** Stops an upload that waits or is being taken in; what it took in stays. */
  async function stop(context: RequestContext, id: string): Promise<UploadView> {
    return view(await stopUpload(db, context, await findReadable(context, id)));
  }

  /** Asks for the reports an upload took in to be deleted, for a file sent by mistake; the upload worker deletes them. */
  async function withdraw(context: RequestContext, id: string, reason: string): Promise<{ upload: UploadView; alreadyAsked: boolean }> {
    const { upload, alreadyAsked } = await withdrawUpload(db, context, await findReadable(context, id), reason);
    return { upload: view(upload), alreadyAsked };
  }

  /** What withdrawing an upload would do now, said before it is asked for. */
  async function previewWithdrawal(context: RequestContext, id: string): Promise<WithdrawalPreview> {
    return withdrawalPreview(db, context, await findReadable(context, id));
  }

  async function findReadable(context: RequestContext, id: string): Promise<UploadRow> {
    const { actor } = context;
    if (actor.role !== 'operator' && !actor.organizationId) throw new NotFoundError('upload');
    const upload = await repository.findUpload(db, id, actor.role === 'operator' ? null : actor.organizationId);
    if (!upload) throw new NotFoundError('upload');
    authorize(context.actor, 'upload.read', { organizationId: upload.provider_org_id }, 'upload');
    return upload;
  }

  const template = (actor: Actor, format: 'csv' | 'xlsx') => learnerTemplateFor(db, actor, format);

  return { create, get, list, stop, withdraw, previewWithdrawal, receiptPage, receiptFile, rowsToFix, template };
}

export type UploadsService = ReturnType<typeof createUploadsService>;

/**
 * Up to `most` of a file's first rows. What stops the reader after the first row (a line past 1 MB, the row
 * limit) stops only this look ahead: the job meets it too, and stops there once the rows before it are in.
 */
async function firstRowsOf<T>(source: AsyncIterable<T>, most: number): Promise<T[]> {
  const taken: T[] = [];
  const rows = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await rows.next().catch((error: unknown) => {
        if (taken.length === 0) throw error;
        return { done: true as const, value: undefined };
      });
      if (next.done) return taken;
      taken.push(next.value);
      if (taken.length >= most) return taken;
    }
  } finally {
    await rows.return?.();
  }
}

/** The provider an upload is for: the sender's own; an operator names it (as `cmehub import --provider` does). */
function uploadProvider(db: Kysely<DB>, context: RequestContext, requested: string | undefined): Promise<string> {
  return requiredProvider(db, context.actor, { requested, action: 'upload.create', what: 'uploads' });
}

/**
 * A problem code the hub never gives a row is a misspelt one: refused, with the code it was probably meant to be, or
 * the upload's own codes, rather than answered with no rows as a code that no row of this upload has is.
 */
function refuseUnknownProblemCode(upload: UploadRow, sent: string): void {
  const present = [...new Set(upload.row_problem_counts.map((kind) => kind.code))];
  if (rowProblemCodes.has(sent) || present.includes(sent)) return;
  const meant = rowProblemCodeMeant(sent, new Set([...rowProblemCodes, ...present]));
  const notGiven = `${quoted(sent)} is not a problem code the hub gives a row.`;
  const codesOfFile =
    present.length > 0
      ? `The codes this upload's rows have are in its rowProblems (GET /api/v1/uploads/${upload.id}): ${inWords(present.map((code) => `"${code}"`))}.`
      : `This upload's rows have no problems so far (its rowProblems, GET /api/v1/uploads/${upload.id}, lists the codes its rows have).`;
  const message = meant ? `${notGiven} Did you mean "${meant}"?` : `${notGiven} ${codesOfFile}`;
  throw new BadRequestError('problem_code_unknown', message, [{ code: 'problem_code_unknown', field: 'problem', message }]);
}

/** Files of an upload's rows are whole or not given: 409 while it is queued or running, with when to ask again. */
const stillTakenIn = (upload: UploadRow) => upload.status === 'queued' || upload.status === 'running';

function refuseWhileTakenIn(upload: UploadRow, what: string): void {
  if (!stillTakenIn(upload)) return;
  throw new AppError(409, 'upload_not_done', `The file is still being taken in; ${what} can be downloaded once it is done (GET /api/v1/uploads/${upload.id} says when).`, {
    headers: { 'retry-after': '5' },
  });
}

/**
 * A file with no byte, or only a byte order mark and blank lines: what a spreadsheet program saves of an empty
 * sheet ("CSV UTF-8" writes the mark alone). Zero bytes stand for the high bytes of UTF-16 blanks.
 */
function holdsNothing({ bytes, head }: { bytes: number; head: Buffer }): boolean {
  if (bytes > head.length) return false;
  const byteOrderMark = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])].find((mark) => head.subarray(0, mark.length).equals(mark));
  return head.subarray(byteOrderMark?.length ?? 0).every((byte) => byte === 0x00 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x20);
}

function queuedMessage(filesAhead: number): string {
  if (filesAhead === 0) return 'The file is queued; its rows are taken in shortly.';
  return `The file is queued behind ${filesAhead === 1 ? 'one other file' : `${count(filesAhead)} other files`}; its rows are taken in once ${filesAhead === 1 ? 'it is' : 'they are'}.`;
}

/** What only a followed upload is told (`followedView`): the files before it in the queue, its rows still to fix. */
type FollowedCounts = { filesAhead?: number; stillToFix?: number };

/** `fileDays`: how long a file is kept once its upload is done (the configured CMEHUB_UPLOAD_FILE_DAYS). */

export function toUploadView(row: UploadRow, fileDays: number, { filesAhead, stillToFix }: FollowedCounts = {}): UploadView {
  const fileBytes = Number(row.file_bytes);
  const finished = row.status === 'finished';
  const progress = finished ? 1 : fileBytes > 0 ? Math.min(0.99, Number(row.bytes_done) / fileBytes) : 0;
  return {
    id: row.id,
    providerOrgId: row.provider_org_id,
    fileName: row.file_name,
    format: row.format,
    fileBytes,
    sha256: row.file_sha256,
    consent: row.consent,
    dates: row.date_order,
    activityForRows: row.rows_activity_id,
    completionDateForRows: row.rows_completion_date,
    status: row.status,
    progress,
    rows: { done: row.rows_done, accepted: row.accepted, pending: row.pending, rejected: row.rejected, duplicates: row.duplicates, toFix: rowsWithSomethingToFix(row), stillToFix: stillToFix ?? null },
    // A stopped upload's rows are those it took in: the whole file's are guessed only while it is read.
    estimatedRows: finished ? row.rows_done : row.status === 'running' && progress > 0.01 ? Math.round(row.rows_done / progress) : null,
    secondsLeft: secondsLeft(row, Date.now()),
    problems: row.problems,
    columnsRead: row.columns_read,
    sheets: row.sheets,
    rowProblems: row.row_problem_counts.map(({ firstRow, rejectedRows, firstRejected, ...kind }) => {
      const { sheet, rowNumber } = sheetRowAt(firstRow, row.sheets);
      const rejectedAt = firstRejected && sheetRowAt(firstRejected.row, row.sheets);
      return {
        ...kind,
        rejectedRows: rejectedRows ?? null,
        noCompletion: noCompletionCodes.includes(kind.code),
        firstRow: rowNumber,
        firstRowSheet: sheet,
        firstRejected: rejectedAt ? { row: rejectedAt.rowNumber, sheet: rejectedAt.sheet, message: firstRejected.message } : null,
      };
    }),
    error: row.error_code ? { code: row.error_code, message: errorMessage(row) } : null,
    createdBy: row.created_by.label,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    fileKeptUntil: row.finished_at && !row.file_removed_at ? fileKeptUntil(new Date(row.finished_at), fileDays).toISOString() : null,
    fileRemovedAt: row.file_removed_at ? new Date(row.file_removed_at).toISOString() : null,
    withdrawal: row.withdrawal ? withdrawalView(row.withdrawal) : null,
    filesAhead: filesAhead ?? null,
  };
}

/** The rejected rows with something to correct: each row of which nothing is kept has that one problem. */
function rowsWithSomethingToFix(row: UploadRow): number {
  const notKept = row.row_problem_counts.filter((kind) => rowsNotKeptCodes.includes(kind.code)).reduce((sum, kind) => sum + kind.rows, 0);
  return row.rejected - notKept;
}

/**
 * How the upload ended, as said then; once it is withdrawn, the advice said then (send the file again, the rows
 * taken in are not counted twice) no longer holds, and what does is said after it.
 */
function errorMessage(row: UploadRow): string {
  const said = row.error_message ?? '';
  if (!row.withdrawal || row.rows_done === 0) return said;
  const deleted = row.withdrawal.at ? 'deleted' : 'being deleted';
  return `${said} Then it was withdrawn: the rows it took in are ${deleted}, so to take the file in, send it again whole.`;
}

/** About how many seconds a running upload has left; null while it is not being taken in (or its server stopped). */
function secondsLeft(row: UploadRow, now: number): number | null {
  if (row.status !== 'running' || !row.pace_from_at || !row.lease_expires_at || new Date(row.lease_expires_at).getTime() < now) return null;
  const from = { at: new Date(row.pace_from_at).getTime(), bytes: Number(row.pace_from_bytes) };
  return secondsLeftAt(from, { at: new Date(row.updated_at).getTime(), bytes: Number(row.bytes_done) }, Number(row.file_bytes), now);
}

function withdrawalView({ requestedAt, at, by, reason, reports, toDelete, kept, failures, toFixAgain }: UploadWithdrawal): NonNullable<UploadView['withdrawal']> {
  return {
    status: at ? 'withdrawn' : 'withdrawing',
    requestedAt: new Date(requestedAt).toISOString(),
    at: at ? new Date(at).toISOString() : null,
    by,
    reason,
    reports,
    reportsToDelete: toDelete ?? null,
    kept: kept ?? 0,
    toFixAgain: toFixAgain ?? 0,
    heldUp: !at && (failures ?? 0) > 0,
  };
}

/**
 * A receipt line as the API gives it. A repeat of a report another upload took in names that upload, as its sender knows
 * it (its file, when it was sent), so that a client need not name it by the id the line's message gives.
 */
function toReceiptLineView(row: ReceiptLineRow & LineLearner, sheets: readonly SheetRead[] | null): ReceiptLineView {
  const earlier = row.earlier_upload;
  return {
    ...sheetRowAt(row.row_number, sheets),
    reference: row.reference,
    learner: row.learner,
    activity: row.activity,
    completionDate: row.completion_date,
    stillToFix: row.still_to_fix,
    noLongerToFix: row.no_longer_to_fix,
    status: row.status,
    duplicate: row.duplicate,
    late: row.late,
    reportId: row.report_id,
    problems: row.problems ?? [],
    earlierUpload: earlier
      ? {
          id: earlier.id,
          fileName: earlier.file_name,
          createdAt: earlier.created_at.toISOString(),
          ...(earlier.row_number === null ? { rowNumber: null, sheet: null } : sheetRowAt(earlier.row_number, earlier.sheets)),
          correctedBy: earlier.corrected_by_upload_id ? { id: earlier.corrected_by_upload_id, fileName: earlier.corrector_file_name } : null,
        }
      : null,
  };
}

const yes = (value: boolean) => (value ? 'yes' : '');

/** The receipt's columns; the row's sheet first, for a workbook whose rows were read from several. */
const receiptColumns = (sheets: readonly SheetRead[] | null): OutputColumn<ReceiptLineRow & LineLearner>[] => [
  ...(sheets ? [{ header: 'Sheet', value: (row: ReceiptLineRow) => sheetRowAt(row.row_number, sheets).sheet, width: 16, text: true }] : []),
  { header: 'Row', value: (row) => sheetRowAt(row.row_number, sheets).rowNumber, width: 8 },
  { header: 'Reference', value: (row) => row.reference, width: 18, text: true },
  { header: 'Learner', value: (row) => row.learner, width: 24, text: true },
  { header: 'Activity', value: (row) => row.activity, width: 16, text: true },
  { header: 'Completion date', value: (row) => row.completion_date, width: 14, text: true },
  { header: 'Status', value: (row) => row.status, width: 10 },
  { header: 'Duplicate', value: (row) => yes(row.duplicate), width: 10 },
  { header: 'Late', value: (row) => yes(row.late), width: 6 },
  { header: RECEIPT_OWN_HEADINGS.reportId, value: (row) => row.report_id, width: 38 },
  { header: 'Problems', value: (row) => (row.problems ?? []).map((problem) => problem.message).join(' | '), width: 100 },
  { header: RECEIPT_OWN_HEADINGS.problemCodes, value: (row) => (row.problems ?? []).map((problem) => problem.code).join(' '), width: 30 },
];

function summaryLines(upload: UploadView): string[] {
  return [
    `Receipt for ${upload.fileName ?? 'the uploaded file'}`,
    `Status: ${upload.status}${upload.error ? ` (${upload.error.message})` : ''}`,
    `Rows: ${count(upload.rows.done)} (${rowCounts(upload.rows)})`,
    `Uploaded ${minuteUtc(upload.createdAt)} by ${upload.createdBy}; SHA-256 ${upload.sha256}`,
    ...upload.problems.map((problem) => problem.message),
    ...(upload.rowProblems.length > 0 ? [''] : []),
    ...uploadOutcomeLines(upload),
  ];
}
