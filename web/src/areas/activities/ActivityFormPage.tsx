import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { Field, SelectField, TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useForm, type FieldErrors } from '../../components/useForm.ts';
import { activitiesApi, type ActivityVocabulary } from './activitiesApi.ts';
import { emptyForm, formFromActivity, toRequest, type ActivityFormState, type MocEntry } from './activityForm.ts';
import { useVocabulary } from './vocabulary.tsx';
import './activities.css';

/** Create (`/activities/new`) or edit (`/activities/:id/edit`) an activity. */
export function ActivityFormPage() {
  const { activityId } = useParams();
  const vocabulary = useVocabulary();
  const [form, setForm] = useState<ActivityFormState>();
  const [loadError, setLoadError] = useState<unknown>();

  useEffect(() => {
    if (!activityId) {
      setForm(emptyForm);
      return;
    }
    const controller = new AbortController();
    activitiesApi.get(activityId, controller.signal).then(
      (activity) => setForm(formFromActivity(activity)),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoadError(error);
      },
    );
    return () => controller.abort();
  }, [activityId]);

  const title = activityId ? 'Edit activity' : 'New activity';
  if (loadError || vocabulary.error) {
    return (
      <>
        <PageHeader title={title} />
        <ErrorBanner error={loadError ?? vocabulary.error} />
      </>
    );
  }
  if (!form || !vocabulary.data) return <Loading label="Loading the activity form…" />;
  return <ActivityForm key={activityId ?? 'new'} activityId={activityId} initial={form} vocabulary={vocabulary.data} title={title} />;
}

type ActivityFormProps = { activityId: string | undefined; initial: ActivityFormState; vocabulary: ActivityVocabulary; title: string };

function ActivityForm({ activityId, initial, vocabulary, title }: ActivityFormProps) {
  const navigate = useNavigate();
  const activityForm = useForm(initial);
  const form = activityForm.values;
  const errors = activityForm.fieldErrors;
  const set = activityForm.setValue;
  const setMoc = (board: string, change: Partial<MocEntry>) =>
    activityForm.setValues((current) => ({
      ...current,
      moc: { ...current.moc, [board]: { ...(current.moc[board] ?? { points: '', creditTypes: [], claimDate: '' }), ...change } },
    }));
  const options = (list: { code: string; label: string }[]) => list.map((item) => ({ value: item.code, label: item.label }));
  const located = vocabulary.locatedTypes.includes(form.type);
  const backTo = activityId ? `/activities/${activityId}` : '/activities';

  function submit(event: FormEvent<HTMLFormElement>) {
    const request = toRequest(
      form,
      vocabulary.creditTypes.map((type) => type.code),
      vocabulary.mocBoards.map((board) => board.code),
    );
    return activityForm.submit(event, {
      send: async () => {
        const saved = activityId ? await activitiesApi.replace(activityId, request.input) : await activitiesApi.create(request.input);
        navigate(`/activities/${saved.id}`, { state: { notice: activityId ? 'The activity was saved.' : 'The activity was created as a draft.' } });
      },
      explain: (failure) => {
        const fieldErrors: FieldErrors = {};
        if (failure instanceof ApiError) {
          for (const problem of failure.problems) fieldErrors[request.fieldKey(problem.field)] ??= problem.message;
        }
        return { fieldErrors, error: failure };
      },
    });
  }

  return (
    <>
      <PageHeader title={title} subtitle={<Link to={backTo}>{activityId ? 'Back to the activity' : 'Back to activities'}</Link>} />
      <form className="form activity-form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorBanner ref={activityForm.errorRef} error={activityForm.error} title={activityId ? 'The activity was not saved' : 'The activity was not created'} />

        <Section title="The activity">
          <TextField
            label="Provider activity ID"
            hint="Your own ID for the activity, such as GR-2026-01. Sending an activity with an ID you already used updates that activity."
            value={form.providerActivityId}
            onChange={(event) => set('providerActivityId', event.target.value)}
            error={errors.providerActivityId}
          />
          <TextField label="Title" value={form.title} onChange={(event) => set('title', event.target.value)} error={errors.title} />
          <Field label="Description" optional hint="What learners will learn; up to 2,500 characters." error={errors.description}>
            {(control) => (
              <textarea className="input" rows={4} value={form.description} onChange={(event) => set('description', event.target.value)} {...control} />
            )}
          </Field>
          <div className="form__row">
            <SelectField
              label="Activity type"
              placeholder="Choose a type"
              options={vocabulary.types.map((type) => ({ value: type.code, label: `${type.label} (${type.code})` }))}
              value={form.type}
              onChange={(event) => set('type', event.target.value)}
              error={errors.type}
            />
            <SelectField
              label="Delivery method"
              optional={!located}
              hint={located ? 'Required for a course or a regularly scheduled series.' : undefined}
              placeholder="Choose how it is delivered"
              options={options(vocabulary.deliveryMethods)}
              value={form.deliveryMethod}
              onChange={(event) => set('deliveryMethod', event.target.value)}
              error={errors.deliveryMethod}
            />
          </div>
          <div className="form__row">
            <TextField label="Start date" type="date" value={form.startDate} onChange={(event) => set('startDate', event.target.value)} error={errors.startDate} />
            <TextField
              label="End date"
              type="date"
              hint="For a series or enduring material, the last day learners can take part."
              value={form.endDate}
              onChange={(event) => set('endDate', event.target.value)}
              error={errors.endDate}
            />
          </div>
        </Section>

        <Section title="Location" hint="Required for a course or series held in person.">
          <div className="form__row">
            <TextField label="City" optional={!located} value={form.city} onChange={(event) => set('city', event.target.value)} error={errors['location.city']} />
            <SelectField
              label="State"
              optional
              hint="Required in the USA."
              placeholder="No state"
              options={vocabulary.usStates.map((state) => ({ value: state.code, label: `${state.label} (${state.code})` }))}
              value={form.state}
              onChange={(event) => set('state', event.target.value)}
              error={errors['location.state']}
            />
            <SelectField
              label="Country"
              optional={!located}
              options={vocabulary.countries.map((country) => ({ value: country.code, label: `${country.label} (${country.code})` }))}
              placeholder="Choose a country"
              value={form.country}
              onChange={(event) => set('country', event.target.value)}
              error={errors['location.country']}
            />
          </div>
        </Section>

        <Section title="Providership">
          <SelectField
            label="Providership"
            options={options(vocabulary.providerships)}
            value={form.providership}
            onChange={(event) => set('providership', event.target.value as 'direct' | 'joint')}
            error={errors.providership}
          />
          {form.providership === 'joint' ? (
            <Field label="Joint providers" hint="One name per line. Required to close the activity." error={errors.jointProviders}>
              {(control) => (
                <textarea className="input" rows={3} value={form.jointProviders} onChange={(event) => set('jointProviders', event.target.value)} {...control} />
              )}
            </Field>
          ) : null}
        </Section>

        <Section title="Credits designated" hint="In steps of 0.25. AMA PRA Category 1 Credit is required; leave the others blank when not offered.">
          <div className="form__row">
            {vocabulary.creditTypes.map((type, index) => (
              <TextField
                key={type.code}
                label={type.label}
                optional={index > 0}
                inputMode="decimal"
                value={form.credits[type.code] ?? ''}
                onChange={(event) => set('credits', { ...form.credits, [type.code]: event.target.value })}
                error={errors[`credit:${type.code}`]}
              />
            ))}
          </div>
        </Section>

        <Section title="MOC / continuing certification" hint="Open each board the activity is registered with and fill it in; leave the others closed.">
          {vocabulary.mocBoards.map((board) => {
            const entry = form.moc[board.code] ?? { points: '', creditTypes: [], claimDate: '' };
            const key = (part: string) => errors[`moc:${board.code}:${part}`];
            const used = Boolean(entry.points || entry.creditTypes.length || entry.claimDate);
            const invalid = ['points', 'board', 'creditTypes', 'claimDate'].some((part) => key(part));
            return (
              <details key={board.code} className="activity-form__board" open={used || invalid}>
                <summary>
                  {board.label} ({board.code}){used ? ` · ${entry.points || '?'} points` : ''}
                </summary>
                <fieldset className="field-group">
                <legend className="visually-hidden">
                  {board.label} ({board.code})
                </legend>
                <div className="form__row">
                  <TextField
                    label={`${board.code} MOC points`}
                    optional
                    inputMode="decimal"
                    value={entry.points}
                    onChange={(event) => setMoc(board.code, { points: event.target.value })}
                    error={key('points') ?? key('board')}
                  />
                  <TextField
                    label={`${board.code} credit claim date`}
                    optional
                    hint="Required to close."
                    type="date"
                    value={entry.claimDate}
                    onChange={(event) => setMoc(board.code, { claimDate: event.target.value })}
                    error={key('claimDate')}
                  />
                </div>
                <CheckboxGroup
                  legend={`${board.code} credit types`}
                  options={board.creditTypes}
                  checked={entry.creditTypes}
                  onChange={(creditTypes) => setMoc(board.code, { creditTypes })}
                  error={key('creditTypes')}
                />
                </fieldset>
              </details>
            );
          })}
        </Section>

        <Section title="Topics and specialties">
          <CheckboxGroup
            legend="Topics"
            hint="State-mandated and other topics the activity covers; boards count them toward their requirements."
            options={vocabulary.topics}
            checked={form.topics}
            onChange={(topics) => set('topics', topics)}
            error={errors.topics}
          />
          <Field label="Specialties" optional hint="One per line." error={errors.specialties}>
            {(control) => (
              <textarea className="input" rows={2} value={form.specialties} onChange={(event) => set('specialties', event.target.value)} {...control} />
            )}
          </Field>
          <div className="form__row">
            <SelectField
              label="FDA REMS"
              optional
              placeholder="Not part of a REMS"
              options={options(vocabulary.remsPrograms)}
              value={form.remsProgram}
              onChange={(event) => set('remsProgram', event.target.value)}
              error={errors['rems.program']}
            />
            {form.remsProgram ? (
              <TextField label="REMS identifier" optional value={form.remsIdentifier} onChange={(event) => set('remsIdentifier', event.target.value)} error={errors['rems.identifier']} />
            ) : null}
          </div>
          <Checkbox label="Counts as a MIPS improvement activity" checked={form.mips} onChange={(mips) => set('mips', mips)} />
        </Section>

        <Section title="Public catalog">
          <Checkbox
            label="List this activity in the public catalog"
            checked={form.catalogListed}
            onChange={(listed) => set('catalogListed', listed)}
          />
          {form.catalogListed ? (
            <>
              <TextField
                label="Web address"
                hint="Where learners register or take part, starting with https://."
                type="url"
                value={form.catalogUrl}
                onChange={(event) => set('catalogUrl', event.target.value)}
                error={errors['catalog.url']}
              />
              <div className="form__row">
                <SelectField
                  label="Fee"
                  placeholder="Choose"
                  options={options(vocabulary.catalogFees)}
                  value={form.catalogFee}
                  onChange={(event) => set('catalogFee', event.target.value)}
                  error={errors['catalog.fee']}
                />
                <SelectField
                  label="Registration"
                  placeholder="Choose"
                  options={options(vocabulary.catalogRegistrations)}
                  value={form.catalogRegistration}
                  onChange={(event) => set('catalogRegistration', event.target.value)}
                  error={errors['catalog.registration']}
                />
              </div>
            </>
          ) : null}
        </Section>

        <Section title="Year-end data" hint="Needed to close the activity; you can fill it in later.">
          <SelectField
            label="Commercial support"
            optional
            placeholder="Not answered yet"
            options={[
              { value: 'no', label: 'No commercial support' },
              { value: 'yes', label: 'Yes, the activity received commercial support' },
            ]}
            value={form.commercialSupport}
            onChange={(event) => set('commercialSupport', event.target.value as ActivityFormState['commercialSupport'])}
            error={errors['commercialSupport.received'] ?? errors['commercialSupport.sources']}
          />
          {form.commercialSupport === 'yes' ? (
            <fieldset className="field-group">
              <legend>Commercial supporters</legend>
              {form.supporters.map((supporter, index) => {
                const change = (patch: Partial<typeof supporter>) =>
                  set(
                    'supporters',
                    form.supporters.map((item, position) => (position === index ? { ...item, ...patch } : item)),
                  );
                return (
                  <div className="form__row" key={index}>
                    <TextField label={`Supporter ${index + 1}`} value={supporter.name} onChange={(event) => change({ name: event.target.value })} error={errors[`supporter:${index}:name`]} />
                    <TextField
                      label="Amount in US dollars"
                      optional
                      inputMode="numeric"
                      value={supporter.amount}
                      onChange={(event) => change({ amount: event.target.value })}
                      error={errors[`supporter:${index}:amount`]}
                    />
                    <Checkbox label="In-kind support" checked={supporter.inKind} onChange={(inKind) => change({ inKind })} />
                  </div>
                );
              })}
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => set('supporters', [...form.supporters, { name: '', amount: '', inKind: false }])}
              >
                Add a supporter
              </button>
            </fieldset>
          ) : null}
          <div className="form__row">
            <TextField label="Physician learners" optional hint="0 is allowed." inputMode="numeric" value={form.physicians} onChange={(event) => set('physicians', event.target.value)} error={errors['learners.physicians']} />
            <TextField label="Other learners" optional hint="0 is allowed." inputMode="numeric" value={form.others} onChange={(event) => set('others', event.target.value)} error={errors['learners.others']} />
          </div>
          <fieldset className="field-group" aria-describedby={errors.outcomes ? 'outcomes-error' : undefined}>
            <legend>Outcomes measured</legend>
            <p className="field__hint">Tick how each outcome you measured was measured. At least one is needed to close.</p>
            {errors.outcomes ? (
              <p id="outcomes-error" className="field__error">
                {errors.outcomes}
              </p>
            ) : null}
            {vocabulary.outcomes.map((outcome) => (
              <CheckboxGroup
                key={outcome.code}
                legend={outcome.label}
                inline
                options={vocabulary.measurements}
                checked={form.outcomes[outcome.code] ?? []}
                onChange={(measurements) => set('outcomes', { ...form.outcomes, [outcome.code]: measurements })}
              />
            ))}
          </fieldset>
        </Section>

        <FormActions label={activityId ? 'Save changes' : 'Create activity'} busyLabel="Saving…" busy={activityForm.submitting}>
          <Link className="button button--secondary" to={backTo}>
            Cancel
          </Link>
        </FormActions>
      </form>
    </>
  );
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <section className="activity-form__section" aria-label={title}>
      <h2>{title}</h2>
      {hint ? <p className="field__hint">{hint}</p> : null}
      {children}
    </section>
  );
}

function Checkbox({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="activity-form__check">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} /> {label}
    </label>
  );
}

type CheckboxGroupProps = {
  legend: string;
  hint?: string;
  options: { code: string; label: string }[];
  checked: string[];
  onChange: (checked: string[]) => void;
  error?: string;
  inline?: boolean;
};

function CheckboxGroup({ legend, hint, options, checked, onChange, error, inline }: CheckboxGroupProps) {
  return (
    <fieldset className={`field-group activity-form__checks${inline ? ' activity-form__checks--inline' : ''}${error ? ' field--invalid' : ''}`}>
      <legend>{legend}</legend>
      {hint ? <p className="field__hint">{hint}</p> : null}
      {error ? <p className="field__error">{error}</p> : null}
      <div className="activity-form__check-list">
        {options.map((option) => (
          <Checkbox
            key={option.code}
            label={option.label}
            checked={checked.includes(option.code)}
            onChange={(on) => onChange(on ? [...checked, option.code] : checked.filter((code) => code !== option.code))}
          />
        ))}
      </div>
    </fieldset>
  );
}
