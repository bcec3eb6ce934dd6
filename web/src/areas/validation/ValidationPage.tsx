import { useEffect, useRef, useState, type Ref } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { Field } from '../../components/Field.tsx';
import { FileField, useFileUpload } from '../../components/FileUpload.tsx';
import { MessageList } from '../../components/MessageList.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useForm } from '../../components/useForm.ts';
import { validationApi, type LearnerIdentity, type ValidationResult } from './validationApi.ts';

const emptyLearner: LearnerIdentity = {
  firstName: '', lastName: '', birthMonth: '', birthDay: '', state: '', licenseNumber: '', npi: '', board: '', boardId: '',
};

const statusTitles: Record<ValidationResult['status'], string> = {
  matched: 'Matched: the hub knows this physician',
  ambiguous: 'Ambiguous: more than one physician fits',
  not_found: 'Not found',
  invalid: 'Something to fix first',
};

const ruleLabels: Record<NonNullable<ValidationResult['rule']>, string> = {
  state_license: 'state and license number',
  npi: 'NPI',
  board_id: 'certifying board ID',
  state_unique_name: 'name and birth date, the only fit among the state\'s licensees',
};

const toleranceLabels: Record<string, string> = {
  first_name_nickname: 'the first name as a nickname',
  first_name_initial: 'a first initial',
  first_name_partial: 'part of a compound first name',
  middle_name_as_first: 'the middle name as the first name',
  first_name_transposed: 'two letters swapped in the first name',
  first_name_typo: 'a one-letter slip in the first name',
  previous_last_name: 'a former last name',
  last_name_partial: 'part of a hyphenated or compound last name',
  last_name_transposed: 'two letters swapped in the last name',
  last_name_typo: 'a one-letter slip in the last name',
  names_reversed: 'first and last name in each other\'s place',
  birth_day_month_swapped: 'day and month of birth swapped',
  birth_date_unverified: 'a birth date the registry does not hold',
  license_prefix_missing: 'the license number without its prefix letters',
  license_prefix_extra: 'prefix letters the board does not write',
};

function LearnerForm({ onResult }: { onResult: (result: ValidationResult | undefined) => void }) {
  const form = useForm<LearnerIdentity>(emptyLearner);

  const text = (field: keyof LearnerIdentity, label: string, options: { hint?: string; optional?: boolean; width?: string } = {}) => (
    <Field label={label} hint={options.hint} optional={options.optional} error={form.fieldErrors[field]}>
      {(control) => (
        <input
          className="input"
          style={options.width ? { maxWidth: options.width } : undefined}
          value={form.values[field] ?? ''}
          onChange={(event) => form.setValue(field, event.target.value)}
          {...control}
        />
      )}
    </Field>
  );

  return (
    <form
      className="form form--narrow"
      onSubmit={(event) =>
        void form.submit(event, {
          send: async () => {
            onResult(undefined);
            onResult(await validationApi.validate(form.values));
          },
        })
      }
      aria-labelledby="one-learner"
    >
      <ErrorBanner ref={form.errorRef} error={form.error} title="The learner was not checked" />
      {text('firstName', 'First name')}
      {text('lastName', 'Last name')}
      <div className="form__row">
        {text('birthMonth', 'Birth month', { hint: '1 to 12', width: '6rem' })}
        {text('birthDay', 'Birth day', { hint: '1 to 31', width: '6rem' })}
      </div>
      <p className="field__hint">Then at least one of: state and license number, NPI, or certifying board and board ID.</p>
      <div className="form__row">
        {text('state', 'State', { optional: true, hint: 'Two letters, e.g. CA', width: '6rem' })}
        {text('licenseNumber', 'License number', { optional: true })}
      </div>
      {text('npi', 'NPI', { optional: true, hint: '10 digits' })}
      <div className="form__row">
        {text('board', 'Certifying board', { optional: true, hint: 'e.g. ABIM', width: '8rem' })}
        {text('boardId', 'Board ID', { optional: true })}
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={form.submitting}>
          {form.submitting ? 'Checking…' : 'Check learner'}
        </button>
      </div>
    </form>
  );
}

function ResultPanel({ result, ref }: { result: ValidationResult; ref: Ref<HTMLDivElement> }) {
  const matched = result.status === 'matched';
  return (
    <div ref={ref} className={matched ? 'banner banner--success' : 'banner banner--error'} role="status" aria-live="polite" tabIndex={-1}>
      <p className="banner__title">{statusTitles[result.status]}</p>
      {matched && result.rule ? <p>Identified by {ruleLabels[result.rule]}.</p> : null}
      {result.tolerances.length ? (
        <p>Accepted despite {result.tolerances.map((t) => toleranceLabels[t] ?? t).join(', ')}.</p>
      ) : null}
      <MessageList messages={result.problems} inBanner />
    </div>
  );
}

function FileForm() {
  const [format, setFormat] = useState<'csv' | 'xlsx'>('xlsx');
  const [dates, setDates] = useState<'day_first' | ''>('');
  const answerRef = useRef<HTMLDivElement>(null);
  const upload = useFileUpload(async (file) => {
    const blob = await validationApi.validateFile(file, format, dates);
    return { url: URL.createObjectURL(blob), name: `${file.name.replace(/\.[^.]+$/, '')}-checked.${format}` };
  });
  const answer = upload.result;
  // The button is disabled during a check, which takes the focus from it: the answer has it once shown; the last
  // answer's file is let go when the next comes.
  useEffect(() => {
    if (!answer) return;
    answerRef.current?.focus();
    return () => URL.revokeObjectURL(answer.url);
  }, [answer]);

  return (
    <form className="form form--narrow" onSubmit={(event) => void upload.submit(event)}>
      <ErrorBanner ref={upload.errorRef} error={upload.error} title="The file was not checked" />
      <FileField
        label="Learner file"
        hint="CSV or XLSX with the learner's columns as a learner file has them: First name and Last name (or one Name), Birth month and Birth day (or Date of birth), and License state and License number, NPI, or Certifying board and Board ID. The learner report template works as it is."
        upload={upload}
      />
      <Field label="Dates of birth in the file" hint="How a date of birth written with numbers is read (14/03 is day first).">
        {(control) => (
          <select className="input" value={dates} onChange={(event) => setDates(event.target.value as 'day_first' | '')} {...control}>
            <option value="">Month first (MM/DD), as in the US</option>
            <option value="day_first">Day first (DD/MM)</option>
          </select>
        )}
      </Field>
      <Field label="Answer as">
        {(control) => (
          <select className="input" value={format} onChange={(event) => setFormat(event.target.value as 'csv' | 'xlsx')} {...control}>
            <option value="xlsx">Excel (XLSX)</option>
            <option value="csv">CSV</option>
          </select>
        )}
      </Field>
      <div className="form__actions">
        <button type="submit" className="button" disabled={upload.busy}>
          {upload.busy ? 'Checking…' : 'Check file'}
        </button>
      </div>
      {answer ? (
        <div ref={answerRef} className="banner banner--success" role="status" tabIndex={-1}>
          <p className="banner__title">Every row has its answer.</p>
          <p>
            <a href={answer.url} download={answer.name}>
              Download {answer.name}
            </a>{' '}
            — each row of your file with its status and what to fix.
          </p>
        </div>
      ) : null}
    </form>
  );
}

/** Providers check learner identities before reporting, one learner at a time or a whole file. */
export function ValidationPage() {
  const [result, setResult] = useState<ValidationResult>();
  const resultRef = useRef<HTMLDivElement>(null);
  // The button is disabled during a check, which takes the focus from it: each answer has it once shown.
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);
  return (
    <>
      <PageHeader title="Validate learners" subtitle="Check that the hub can identify your learners before you report their credit." />
      <p>
        The check uses the same matching as learner reporting. It tells you whether the learner was identified and, if
        not, what to fix. It never shows registry data you did not enter, and nothing is stored.
      </p>
      <section className="section" aria-labelledby="one-learner">
        <h2 id="one-learner">One learner</h2>
        <LearnerForm onResult={setResult} />
        {result ? <ResultPanel ref={resultRef} result={result} /> : null}
      </section>
      <section className="section" aria-labelledby="learner-file">
        <h2 id="learner-file">A file of learners</h2>
        <FileForm />
      </section>
    </>
  );
}
