import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, errorMessage, fieldName } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useForm } from '../../components/useForm.ts';
import { useApi } from '../../hooks/useApi.ts';
import { activitiesApi, type Activity } from '../activities/activitiesApi.ts';
import { ReceiptSummary } from './ReceiptSummary.tsx';
import { namesNoActivity } from './ReportsPage.tsx';
import './reports.css';
import {
  reportsApi,
  type LearnerReportWithHistory,
  type ReportedLearner,
  type ReportReceipt,
  type ValidationResult,
} from './reportsApi.ts';

type FormState = {
  activityId: string;
  completionDate: string;
  firstName: string;
  lastName: string;
  birthMonth: string;
  birthDay: string;
  state: string;
  licenseNumber: string;
  npi: string;
  board: string;
  boardId: string;
  creditType: string;
  amount: string;
  mocType: string;
  mocAmount: string;
  consent: '' | 'written' | 'implied';
  creditId: string;
  reason: string;
};

const emptyForm: FormState = {
  activityId: '',
  completionDate: '',
  firstName: '',
  lastName: '',
  birthMonth: '',
  birthDay: '',
  state: '',
  licenseNumber: '',
  npi: '',
  board: '',
  boardId: '',
  creditType: 'AMA_PRA_CAT1',
  amount: '',
  mocType: '',
  mocAmount: '',
  consent: '',
  creditId: '',
  reason: '',
};

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** How long typing must pause before the identity is checked against the registry. */
const VALIDATION_DELAY_MS = 400;

function formFromReport(report: LearnerReportWithHistory): FormState {
  const [cme, moc] = [report.credits.find((line) => !line.type.startsWith('MOC_')), report.credits.find((line) => line.type.startsWith('MOC_'))];
  const fromReport: FormState = {
    ...emptyForm,
    activityId: report.activityId ?? '',
    completionDate: report.completionDate ?? '',
    firstName: report.learner?.firstName ?? '',
    lastName: report.learner?.lastName ?? '',
    birthMonth: report.learner ? String(report.learner.birthMonth) : '',
    birthDay: report.learner ? String(report.learner.birthDay) : '',
    state: report.learner?.state ?? '',
    licenseNumber: report.learner?.licenseNumber ?? '',
    npi: report.learner?.npi ?? '',
    board: report.learner?.board ?? '',
    boardId: report.learner?.boardId ?? '',
    creditType: cme?.type ?? 'AMA_PRA_CAT1',
    amount: cme ? String(cme.amount) : '',
    mocType: moc?.type ?? '',
    mocAmount: moc ? String(moc.amount) : '',
    consent: report.consent ?? '',
    creditId: report.creditId ?? '',
  };
  return withValuesAsSent(fromReport, report.sentIn?.valuesAsSent ?? [], { credits: report.credits.length > 0 });
}

const textFromFile = ['activityId', 'firstName', 'lastName', 'state', 'licenseNumber', 'npi', 'board', 'boardId', 'creditId'] as const;

/**
 * A rejected report's fields that it holds no value for, filled in from its row as the file gave it (a date that
 * could not be read, every value of a row the database would not store), so that its correction starts from what was
 * sent. Only what the form's fields can show: a date written otherwise, or a month by name, is left to type, the
 * report's page showing it as sent. `credits`: whether the report holds its credit lines.
 */
function withValuesAsSent(form: FormState, sent: readonly { field: string; value: string }[], { credits }: { credits: boolean }): FormState {
  const given = (field: string) => sent.find((entry) => entry.field === field)?.value.trim() ?? '';
  const whole = (field: string, most: number) => {
    const number = /^\d{1,2}$/.test(given(field)) ? Number(given(field)) : 0;
    return number >= 1 && number <= most ? String(number) : '';
  };
  const filled = { ...form };
  for (const field of textFromFile) if (!filled[field]) filled[field] = given(field);
  if (!filled.completionDate && /^\d{4}-\d{2}-\d{2}$/.test(given('completionDate'))) filled.completionDate = given('completionDate');
  if (!filled.birthMonth) filled.birthMonth = whole('birthMonth', 12);
  if (!filled.birthDay) filled.birthDay = whole('birthDay', 31);
  const consent = given('consent').toLowerCase();
  if (!filled.consent && (consent === 'written' || consent === 'implied')) filled.consent = consent;
  if (!credits) {
    const [type, amount] = given('cmeCredits') ? ['AMA_PRA_CAT1', given('cmeCredits')] : [given('otherCreditType'), given('otherCredits')];
    if (amount) Object.assign(filled, { creditType: type || filled.creditType, amount });
    if (given('mocCredits')) Object.assign(filled, { mocType: given('mocCreditType'), mocAmount: given('mocCredits') });
  }
  return filled;
}

function learnerOf(form: FormState): ReportedLearner {
  const text = (value: string) => value.trim() || null;
  return {
    firstName: form.firstName.trim(),
    lastName: form.lastName.trim(),
    birthMonth: Number(form.birthMonth),
    birthDay: Number(form.birthDay),
    state: text(form.state.toUpperCase()),
    licenseNumber: text(form.licenseNumber),
    npi: text(form.npi),
    board: text(form.board.toUpperCase()),
    boardId: text(form.boardId),
  };
}

function creditsOf(form: FormState) {
  const lines = [{ type: form.creditType.trim().toUpperCase(), amount: Number(form.amount) }];
  if (form.mocType.trim()) lines.push({ type: form.mocType.trim().toUpperCase(), amount: Number(form.mocAmount) });
  return lines;
}

/** The first name, last name, month and day of birth and identifiers, as the report needs them. */
function learnerProblems(form: FormState): Partial<Record<keyof FormState, string>> {
  const problems: Partial<Record<keyof FormState, string>> = {};
  if (!form.firstName.trim()) problems.firstName = 'Enter the first name';
  if (!form.lastName.trim()) problems.lastName = 'Enter the last name';
  if (!form.birthMonth) problems.birthMonth = 'Choose the birth month';
  if (!form.birthDay.trim()) problems.birthDay = 'Enter the birth day';
  const [state, licenseNumber, npi, board, boardId] = [form.state, form.licenseNumber, form.npi, form.board, form.boardId].map((value) => value.trim());
  if (!state && !licenseNumber && !npi && !board && !boardId) {
    problems.state = 'Identify the learner by state and license number, NPI, or certifying board and board ID';
    return problems;
  }
  // Half of an identifier is said at the half missing, as the hub says it.
  if (licenseNumber && !state) problems.state = 'Give the state that issued the license';
  if (state && !licenseNumber && !npi && !(board && boardId)) problems.licenseNumber = 'Give the license number with the state, or the learner\'s NPI';
  if (boardId && !board) problems.board = 'Give the board that issued the ID';
  if (board && !boardId) problems.boardId = 'Give the board ID with the board';
  return problems;
}

/**
 * What the form must have before it is sent, by field: a report sent without them would only be kept as rejected.
 * A correction keeps the report's activity and consent (`kept`) unless another consent is chosen; an accepted report's
 * must say why (`reasonAsked`), as the hub asks.
 */
function missingFields(form: FormState, kept: { activity: boolean; consent: boolean; reasonAsked: boolean }): Partial<Record<keyof FormState, string>> {
  return {
    ...(kept.reasonAsked && form.reason.trim().length < 3 ? { reason: 'Say why the report is corrected: its credit is on the physician’s record' } : {}),
    ...(!kept.activity && !form.activityId.trim() ? { activityId: 'Enter the activity: its 9-digit hub activity ID, or your own ID for it' } : {}),
    ...(!form.completionDate ? { completionDate: 'Enter the date the learner completed the activity' } : {}),
    ...learnerProblems(form),
    ...(!form.creditType.trim() ? { creditType: 'Enter the credit type, such as AMA_PRA_CAT1' } : {}),
    ...(!form.amount.trim() ? { amount: 'Enter the credits, in steps of 0.25' } : {}),
    ...(!kept.consent && !form.consent ? { consent: 'Choose whether the learner consented to be reported: written or implied' } : {}),
  };
}

/** Enough of an identity to be worth asking the registry about. */
function readyToValidate(form: FormState): boolean {
  const hasIdentifier = Boolean(form.npi.trim() || (form.state.trim() && form.licenseNumber.trim()) || (form.board.trim() && form.boardId.trim()));
  return Boolean(form.firstName.trim() && form.lastName.trim() && form.birthMonth && form.birthDay && hasIdentifier);
}

/** Reports one learner, or corrects a report (with `:reportId`), checking the identity as it is typed. */
export function ReportLearnerPage() {
  const { reportId } = useParams();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const existing = useApi((signal) => (reportId ? reportsApi.get(reportId, signal) : Promise.resolve(undefined)), [reportId]);
  // An accepted report's credit is on the physician's record, which boards read: its correction says why, in its history.
  const reasonAsked = existing.data?.status === 'accepted';
  // A correction keeps the report's activity, unless it names none of the provider's: an ID mistyped, or none read.
  const choosesActivity = !reportId || (existing.data !== undefined && namesNoActivity(existing.data));
  // The activities a learner can be reported for, to pick from as the Activity ID is typed.
  const reportable = useApi(
    (signal) => (choosesActivity ? activitiesApi.list({ status: 'active,ready_to_close', sort: 'startDate', order: 'desc', limit: 200 }, signal) : Promise.resolve(undefined)),
    [choosesActivity],
  );
  const reportForm = useForm<FormState>({ ...emptyForm, activityId: searchParams.get('activityId') ?? '' });
  const form = reportForm.values;
  const setForm = reportForm.setValues;
  const [match, setMatch] = useState<{ checking: boolean; result?: ValidationResult; error?: string }>({ checking: false });
  const [receipt, setReceipt] = useState<ReportReceipt>();
  const receiptRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (existing.data) setForm(formFromReport(existing.data));
  }, [existing.data, setForm]);

  // The button is disabled while the report is sent, which takes the focus from it: the answer has it.
  useEffect(() => {
    if (receipt) receiptRef.current?.focus();
  }, [receipt]);

  const identityKey = JSON.stringify(learnerOf(form));
  useEffect(() => {
    if (!readyToValidate(form)) {
      setMatch({ checking: false });
      return;
    }
    const controller = new AbortController();
    setMatch((previous) => ({ ...previous, checking: true }));
    const timer = setTimeout(() => {
      reportsApi.validate(learnerOf(form), controller.signal).then(
        (result) => setMatch({ checking: false, result }),
        (failure: unknown) => {
          if (!controller.signal.aborted) setMatch({ checking: false, error: errorMessage(failure) });
        },
      );
    }, VALIDATION_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [identityKey]);

  const update = (field: keyof FormState) => (event: { target: { value: string } }) => reportForm.setValue(field, event.target.value);

  // Nothing is sent while a field the report needs is missing: the first takes the focus, its problem read out with it.
  function submit(event: FormEvent<HTMLFormElement>) {
    setReceipt(undefined);
    void reportForm.submit(event, {
      check: () => missingFields(form, { activity: !choosesActivity, consent: Boolean(existing.data?.consent), reasonAsked }),
      send,
      // The hub's problems are said at the fields by the page's own reading of them (`fieldErrorsOf`), the receipt's too.
      explain: (failure) => ({ error: failure }),
    });
  }

  async function send() {
    if (reportId) {
      await reportsApi.correct(reportId, {
        ...(choosesActivity ? { activityId: form.activityId.trim() } : {}),
        completionDate: form.completionDate,
        learner: learnerOf(form),
        credits: creditsOf(form),
        consent: form.consent || undefined,
        creditId: form.creditId.trim() || null,
        reason: form.reason.trim() || undefined,
      });
      navigate(`/reports/${reportId}`);
      return;
    }
    const answer = await reportsApi.submit({
      activityId: form.activityId.trim(),
      completionDate: form.completionDate,
      learner: learnerOf(form),
      credits: creditsOf(form),
      consent: form.consent as 'written' | 'implied',
      creditId: form.creditId.trim() || null,
    });
    setReceipt(answer);
    if (answer.status !== 'rejected' && !answer.duplicate) {
      setForm((previous) => ({ ...emptyForm, activityId: previous.activityId, completionDate: previous.completionDate, creditType: previous.creditType, amount: previous.amount, consent: previous.consent }));
    }
  }

  if (reportId && existing.loading) return <Loading label="Loading the report…" />;
  const fieldErrors = fieldErrorsOf(reportForm.error, receipt);
  const errorFor = (field: string) => reportForm.fieldErrors[field] ?? fieldErrors[field];
  const activities = reportable.data?.items ?? [];
  const chosen = activityNamed(activities, form.activityId);

  return (
    <>
      <PageHeader
        title={reportId ? 'Correct a learner report' : 'Report a learner'}
        subtitle={
          reportId
            ? 'The corrected report is checked again; the change is kept in its history.'
            : 'One physician who completed one of your activities. The identity is checked against the registry as you type.'
        }
      />
      <ErrorBanner error={existing.error} />
      <ErrorBanner ref={reportForm.errorRef} error={reportForm.error} fields={Object.keys(emptyForm)} />
      {receipt ? (
        <div ref={receiptRef} tabIndex={-1}>
          <ReceiptSummary receipt={receipt} />
        </div>
      ) : null}
      <form className="form report-form" onSubmit={submit} noValidate>
        <fieldset className="form__row">
          <legend className="visually-hidden">Activity and completion</legend>
          <TextField
            label="Activity ID"
            hint={chosen ? `${chosen.title} (${chosen.providerActivityId}, hub ID ${chosen.id})` : 'The 9-digit hub activity ID, or your own ID for the activity; type to pick one.'}
            list={activities.length > 0 ? 'reportable-activities' : undefined}
            autoComplete="off"
            value={form.activityId}
            onChange={update('activityId')}
            disabled={!choosesActivity}
            error={errorFor('activityId')}
            required
          />
          {activities.length > 0 ? (
            <datalist id="reportable-activities">
              {activities.map((activity) => (
                <option key={activity.id} value={activity.id}>{`${activity.providerActivityId}: ${activity.title}`}</option>
              ))}
            </datalist>
          ) : null}
          <TextField label="Completion date" type="date" value={form.completionDate} onChange={update('completionDate')} error={errorFor('completionDate')} required />
        </fieldset>

        <fieldset className="form__row">
          <legend>Learner</legend>
          <TextField label="First name" autoComplete="off" value={form.firstName} onChange={update('firstName')} error={errorFor('firstName')} required />
          <TextField label="Last name" autoComplete="off" value={form.lastName} onChange={update('lastName')} error={errorFor('lastName')} required />
          <SelectField
            label="Birth month"
            placeholder="Month"
            options={months.map((name, index) => ({ value: String(index + 1), label: name }))}
            value={form.birthMonth}
            onChange={update('birthMonth')}
            error={errorFor('birthMonth')}
            required
          />
          <TextField label="Birth day" inputMode="numeric" value={form.birthDay} onChange={update('birthDay')} error={errorFor('birthDay')} required />
        </fieldset>

        <fieldset className="form__row">
          <legend>Identifiers</legend>
          <p className="field__hint">At least one: state and license number, NPI, or certifying board and board ID.</p>
          <TextField label="License state" hint="2 letters, such as CA" value={form.state} onChange={update('state')} error={errorFor('state')} optional maxLength={2} />
          <TextField label="License number" value={form.licenseNumber} onChange={update('licenseNumber')} error={errorFor('licenseNumber')} optional />
          <TextField label="NPI" inputMode="numeric" value={form.npi} onChange={update('npi')} error={errorFor('npi')} optional />
          <TextField label="Certifying board" hint="Such as ABIM" value={form.board} onChange={update('board')} error={errorFor('board')} optional />
          <TextField label="Board ID" value={form.boardId} onChange={update('boardId')} error={errorFor('boardId')} optional />
        </fieldset>
        <MatchStatus match={match} ready={readyToValidate(form)} />

        <fieldset className="form__row">
          <legend>Credit</legend>
          <TextField label="Credit type" value={form.creditType} onChange={update('creditType')} error={reportForm.fieldErrors.creditType ?? errorFor('type')} required />
          <TextField label="Credits" hint="In steps of 0.25" inputMode="decimal" value={form.amount} onChange={update('amount')} error={errorFor('amount')} required />
          <TextField label="MOC credit type" hint="Such as MOC_ABIM_MK" value={form.mocType} onChange={update('mocType')} optional />
          <TextField label="MOC points" inputMode="decimal" value={form.mocAmount} onChange={update('mocAmount')} optional />
        </fieldset>

        <fieldset className="form__row">
          <legend>Consent and reference</legend>
          <SelectField
            label="Learner’s consent to be reported"
            placeholder="Choose"
            options={[
              { value: 'written', label: 'Written' },
              { value: 'implied', label: 'Implied' },
            ]}
            value={form.consent}
            onChange={update('consent')}
            error={errorFor('consent')}
            required
          />
          <TextField label="Your credit ID" hint="Such as ccid:yourorg:123" value={form.creditId} onChange={update('creditId')} error={errorFor('creditId')} optional />
          {reportId ? (
            <TextField
              label="Reason for the correction"
              hint={reasonAsked ? 'Kept in the report’s history, with who changed what and when' : undefined}
              value={form.reason}
              onChange={update('reason')}
              error={errorFor('reason')}
              optional={!reasonAsked}
              required={reasonAsked}
            />
          ) : null}
        </fieldset>

        <div className="form__actions">
          <button type="submit" className="button" disabled={reportForm.submitting}>
            {reportForm.submitting ? 'Sending…' : reportId ? 'Save the correction' : 'Report this learner'}
          </button>
          <Link className="button button--secondary" to={reportId ? `/reports/${reportId}` : '/reports'}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}

function MatchStatus({ match, ready }: { match: { checking: boolean; result?: ValidationResult; error?: string }; ready: boolean }) {
  let message: string;
  let tone = 'banner';
  if (!ready) message = 'Enter the name, birth month and day and one identifier to check the learner against the registry.';
  else if (match.checking) message = 'Checking the registry…';
  else if (match.error) message = `The identity could not be checked: ${match.error}`;
  else if (!match.result) message = 'Checking the registry…';
  else if (match.result.status === 'matched') {
    message = 'Matched to one physician: the report will be accepted.';
    tone = 'banner banner--success';
  } else if (match.result.status === 'invalid') {
    message = 'This identity cannot be read: fix it before reporting.';
    tone = 'banner banner--error';
  } else {
    message =
      match.result.status === 'ambiguous'
        ? 'More than one physician fits: the report will be kept pending. Add an identifier to tell them apart.'
        : 'No physician fits yet: the report will be kept pending and matched when the registry changes.';
  }
  return (
    <div className={tone} role="status" aria-live="polite">
      <p className="banner__title">Match status</p>
      <p>{message}</p>
      {match.result && match.result.problems.length > 0 ? (
        <ul className="banner__problems">
          {match.result.problems.map((problem) => (
            <li key={`${problem.code}-${problem.field}`}>{problem.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Messages by form field, from a refused request or from the report's receipt. */
function fieldErrorsOf(error: unknown, receipt: ReportReceipt | undefined): Record<string, string> {
  const problems = error instanceof ApiError ? error.problems : receipt?.status === 'rejected' ? receipt.problems : [];
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const field = fieldName(problem.field);
    if (field && !errors[field]) errors[field] = problem.message;
  }
  return errors;
}

/** The activity the typed ID names, by hub ID or the provider's own ID, as the hub reads it. */
function activityNamed(activities: readonly Activity[], typed: string): Activity | undefined {
  const id = typed.trim();
  if (!id) return undefined;
  const folded = activities.filter((activity) => activity.providerActivityId.toLowerCase() === id.toLowerCase());
  return activities.find((activity) => activity.id === id) ?? activities.find((activity) => activity.providerActivityId === id) ?? (folded.length === 1 ? folded[0] : undefined);
}
