import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { readTabular } from '../../files/tabular-reader.ts';
import type { TabularFormat } from '../../files/tabular-reader.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { RequestContext } from '../../http/actor.ts';
import { ValidationError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import type { LearnerIdentity, MatchOutcome } from '../matching/match-rules.ts';
import { createMatchingService } from '../matching/matching.service.ts';
import type { IncomingFile } from '../registry/incoming-file.ts';
import { issuerNamedColumnsIn, learnerIdentityHeaderProblems, withIssuerNamedColumnNames, withIssuerNamedColumns } from '../uploads/learner-columns.ts';
import { learnerIdentityOfRow } from '../uploads/learner-values.ts';
import type { LearnerIdentityInput, ValidationResult } from './learner-validation.schemas.ts';
import { validationFileColumns, type AnsweredRow } from './validation-file.ts';

/**
 * A file of learners is matched in batches of this many rows: one candidate query each, which on the embedded
 * database holds the server's thread while it runs (5,000 held other requests up to a quarter of a second).
 */
const FILE_BATCH_ROWS = 1_000;
/** The most a file of learners to check may hold. */
export const VALIDATION_FILE_MAX_BYTES = 100 * 1024 * 1024;
/** Far above a year of learners for most providers; larger files are most likely the wrong file. */
const FILE_LIMITS = { maxBytes: VALIDATION_FILE_MAX_BYTES, maxRows: 200_000 };

function toIdentity(input: LearnerIdentityInput): LearnerIdentity {
  return {
    firstName: input.firstName ?? '',
    middleName: input.middleName ?? null,
    lastName: input.lastName ?? '',
    birthMonth: input.birthMonth ?? '',
    birthDay: input.birthDay ?? '',
    state: input.state || null,
    licenseNumber: input.licenseNumber || null,
    npi: input.npi || null,
    board: input.board || null,
    boardId: input.boardId || null,
  };
}

/** What the provider is told: never the person, a name or a birth date from the registry. */
function toResult(outcome: MatchOutcome): ValidationResult {
  return { status: outcome.status, rule: outcome.rule, tolerances: outcome.tolerances, problems: outcome.problems };
}

/** A date of birth that could not be read is said so, rather than as the missing month and day the matching saw. */
function withDateOfBirthProblem(result: ValidationResult, problem: Problem | null): ValidationResult {
  if (!problem) return result;
  const others = result.problems.filter((known) => known.field !== 'birthMonth' && known.field !== 'birthDay');
  return { ...result, problems: [{ code: problem.code, field: problem.field ?? 'dateOfBirth', message: problem.message }, ...others] };
}

/** Providers pre-check learner identities before reporting: the same matching that reporting uses, nothing stored. */
export function createLearnerValidationService({ db }: { db: Kysely<DB> }) {
  const matching = createMatchingService();

  async function validate(context: RequestContext, learners: LearnerIdentityInput[]): Promise<ValidationResult[]> {
    authorize(context.actor, 'learner.validate');
    const outcomes = await matching.matchIdentities(db, learners.map(toIdentity));
    await recordAudit(db, context, {
      action: 'learner.validate', entityType: 'learner_identity', entityId: null,
      details: { learners: learners.length, matched: outcomes.filter((o) => o.status === 'matched').length },
    });
    return outcomes.map(toResult);
  }

  /**
   * Checks the header at once (a wrong file is refused before anything is answered), then answers the rows in
   * batches as the answer file is written.
   */
  async function validateFile(context: RequestContext, file: IncomingFile, dateOrder?: DateOrder): Promise<{ format: TabularFormat; rows: AsyncIterable<AnsweredRow> }> {
    authorize(context.actor, 'learner.validate');
    const table = await readTabular(file.source, { format: file.format, columns: validationFileColumns, limits: FILE_LIMITS });
    const columns = new Set(table.header.columns.flatMap((column) => (column.name ? [column.name] : [])));
    const issuerNamed = issuerNamedColumnsIn(columns);
    const lacking = table.header.ok ? learnerIdentityHeaderProblems(withIssuerNamedColumnNames(columns)) : [];
    if (!table.header.ok || lacking.length > 0) {
      await table.close();
      throw new ValidationError([...table.header.problems, ...lacking], 'The file does not have the columns of a learner file. Start from the template, or rename the columns.');
    }
    async function* answers(): AsyncGenerator<AnsweredRow> {
      let batch: Array<{ rowNumber: number; identity: LearnerIdentity; dateOfBirthProblem: Problem | null }> = [];
      let rowCount = 0;
      const answer = async () => {
        const outcomes = await matching.matchIdentities(db, batch.map((row) => row.identity));
        const answered = batch.map(({ rowNumber, identity, dateOfBirthProblem }, i) => ({ rowNumber, identity, result: withDateOfBirthProblem(toResult(outcomes[i]), dateOfBirthProblem) }));
        batch = [];
        return answered;
      };
      for await (const row of table.rows) {
        rowCount += 1;
        batch.push({ rowNumber: row.rowNumber, ...learnerIdentityOfRow(withIssuerNamedColumns(row.record, issuerNamed).record, dateOrder) });
        if (batch.length >= FILE_BATCH_ROWS) yield* await answer();
      }
      if (batch.length > 0) yield* await answer();
      await recordAudit(db, context, {
        action: 'learner.validate.file', entityType: 'learner_identity', entityId: null, details: { learners: rowCount },
      });
    }
    return { format: file.format, rows: answers() };
  }

  return { validate, validateFile };
}
