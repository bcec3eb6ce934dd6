import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';

export type FieldErrors = Record<string, string>;

/** What a failed request means for the form: problems shown at their fields, and what the banner says. */
export type FailureView = { fieldErrors?: FieldErrors; error?: unknown };

export type SubmitSteps = {
  /** Problems found before anything is sent, by field; nothing is sent while there are any. */
  check?: () => FieldErrors;
  send: () => Promise<unknown>;
  /** By default the hub's problems go to their fields and the failure to the banner. */
  explain?: (failure: unknown) => FailureView;
  /** Runs once a failure is shown, instead of moving focus to the first field with a problem (or the banner). */
  onFailure?: (failure: unknown) => void;
};

type TextKeys<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

function hubProblemsAtFields(failure: unknown): FailureView {
  return { fieldErrors: failure instanceof ApiError ? failure.fieldErrors() : {}, error: failure };
}

/**
 * The state every form keeps: its values, the problems per field, the failure for the banner (give the
 * ErrorBanner `ref={form.errorRef}`), and whether it is being sent. `field(name)` gives a TextField or
 * SelectField its value, error and onChange.
 */
export function useForm<V extends object>(initial: V) {
  const [values, setValues] = useState<V>(initial);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [submitting, setSubmitting] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);

  function setValue<K extends keyof V>(name: K, value: V[K]) {
    setValues((current) => ({ ...current, [name]: value }));
  }

  function field<K extends TextKeys<V>>(name: K) {
    return {
      value: values[name] as string,
      error: fieldErrors[name],
      onChange: (event: { target: { value: string } }) => setValue(name, event.target.value as V[K]),
    };
  }

  /** After the render that shows the problems: the first field with one, else the banner. */
  function focusProblem(form: HTMLFormElement) {
    requestAnimationFrame(() => (form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? errorRef.current)?.focus());
  }

  async function submit(event: FormEvent<HTMLFormElement>, steps: SubmitSteps): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget;
    setError(undefined);
    const problems = steps.check?.() ?? {};
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) return focusProblem(form);

    setSubmitting(true);
    try {
      await steps.send();
    } catch (failure) {
      const view = (steps.explain ?? hubProblemsAtFields)(failure);
      setFieldErrors(view.fieldErrors ?? {});
      setError(view.error);
      if (steps.onFailure) steps.onFailure(failure);
      else focusProblem(form);
    } finally {
      setSubmitting(false);
    }
  }

  return {
    values,
    setValues,
    setValue,
    reset: () => setValues(initial),
    field,
    fieldErrors,
    error,
    errorRef,
    submitting,
    /** Use as `onSubmit={(event) => void form.submit(event, { check, send })}`. */
    submit,
  };
}
