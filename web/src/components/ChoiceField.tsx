import { useEffect, useRef, useState, type Ref } from 'react';
import { ApiError } from '../api/client.ts';

type ChoiceFieldProps<Value extends string> = {
  id: string;
  label: string;
  hint: string;
  /** The hub's refusal of the file for want of this choice: announced at once, and the choice gets the focus. */
  error: string | undefined;
  value: Value;
  options: readonly { value: Value; label: string }[];
  selectRef: Ref<HTMLSelectElement>;
  onChange: (chosen: Value) => void;
};

/** A choice made for a whole file sent, where the hub's words on a file that lacks it are said. */
export function ChoiceField<Value extends string>({ id, label, hint, error, value, options, selectRef, onChange }: ChoiceFieldProps<Value>) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select
        id={id}
        ref={selectRef}
        className="input"
        value={value}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value as Value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="field__hint">
        {hint}
      </span>
      {error ? (
        <span id={`${id}-error`} className="field__error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** How a file writes its dates of numbers: unsaid, month first, as in the US. */
export type DateOrder = 'month_first' | 'day_first';

const dateOrderChoices: readonly { value: DateOrder | ''; label: string }[] = [
  { value: '', label: 'Month first (MM/DD/YYYY), as in the US' },
  { value: 'day_first', label: 'Day first (DD/MM/YYYY)' },
];

/**
 * What to do about a file the hub found written day first, said at the choice that does it: `found` is the hub's
 * words on the date it found, `taken` what becomes of the file's rows ("taken in", "saved"), `send` the form's button.
 */
export function dateOrderAsked(found: string, taken: string, send = 'Upload'): string {
  return (
    `${found} Read month first, the file's dates that read both ways (05/06/2026) would be ${taken} on the wrong day. If the file writes its dates ` +
    `day first, choose Day first here. If those dates are mistakes, press ${send} again: the dates are read month first, and the rows with such dates are rejected.`
  );
}

type DateOrderFieldProps = Pick<ChoiceFieldProps<DateOrder | ''>, 'id' | 'error' | 'value' | 'selectRef' | 'onChange'>;

/** The choice of how a file sent writes its dates of numbers: unsaid, month first. */
export function DateOrderField(props: DateOrderFieldProps) {
  return (
    <ChoiceField
      {...props}
      label="Dates in the file"
      hint="How dates written with numbers are read (30/06/2026 is day first). Dates as YYYY-MM-DD, or with the month's name, read either way."
      options={dateOrderChoices}
    />
  );
}

/**
 * A page's *Dates in the file* choice, for a file the hub asks about when its dates show it written day first:
 * `field` for `DateOrderField`; `toSend`, the order to send; `refused`, which says the hub's question at the choice
 * (true when the failure was that question). `taken` is what becomes of the file's rows ("saved", "loaded"), `send`
 * the form's button.
 */
export function useDateOrderChoice(taken: string, send: string) {
  const [value, setValue] = useState<DateOrder | ''>('');
  // Asked once how the file writes its dates and left at month first, the file is sent saying so: its slips are rejected.
  const [asked, setAsked] = useState(false);
  const [error, setError] = useState<string>();
  const selectRef = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (error) selectRef.current?.focus();
  }, [error]);
  const chosen: DateOrder | undefined = value || (asked ? 'month_first' : undefined);
  return {
    field: {
      error,
      value,
      selectRef,
      onChange: (order: DateOrder | '') => {
        setValue(order);
        setError(undefined);
      },
    },
    toSend: chosen,
    sending: () => setError(undefined),
    refused(failure: unknown, fileName: string): boolean {
      if (!(failure instanceof ApiError && failure.code === 'date_order_required')) return false;
      setAsked(true);
      setError(dateOrderAsked(failure.problems[0]?.message ?? `${fileName} has dates that can only be read day first.`, taken, send));
      return true;
    },
  };
}
