import { useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import type { UploadProgress } from '../api/client.ts';
import { useLeaveWarning } from '../hooks/useLeaveWarning.ts';
import { Field } from './Field.tsx';

export type FileUpload<R> = {
  inputRef: RefObject<HTMLInputElement | null>;
  /** Set when the form was sent without a file. */
  fileError: string | undefined;
  /** The failed request, for the ErrorBanner, which takes the focus once it shows it (give it `ref={errorRef}`). */
  error: unknown;
  errorRef: RefObject<HTMLDivElement | null>;
  busy: boolean;
  /** Share of the file sent so far, 0 to 100, while it is being sent. */
  sentPercent: number | undefined;
  /** What the last successful send answered. */
  result: R | undefined;
  /** The form's onSubmit. */
  submit: (event: FormEvent<HTMLFormElement>) => Promise<void>;
};

/**
 * A form that sends one chosen file: says so when none was chosen, reports the share sent while it goes, and
 * keeps the answer (or the failure) for the page to show.
 */
export function useFileUpload<R>(
  send: (file: File, onProgress: (progress: UploadProgress) => void) => Promise<R>,
  missingFileMessage = 'Choose a CSV or XLSX file.',
): FileUpload<R> {
  const inputRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const [fileError, setFileError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<UploadProgress>();
  const [result, setResult] = useState<R>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = inputRef.current?.files?.[0];
    setFileError(file ? undefined : missingFileMessage);
    // After the render that shows it: the picker takes the focus with its error, which is read out with it.
    if (!file) return void requestAnimationFrame(() => inputRef.current?.focus());
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await send(file, setProgress));
    } catch (failure) {
      setError(failure);
      requestAnimationFrame(() => errorRef.current?.focus());
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  }

  const sentShare = progress?.totalBytes ? progress.sentBytes / progress.totalBytes : 0;
  const sentPercent = busy ? Math.round(sentShare * 100) : undefined;
  useLeaveWarning(sentPercent !== undefined && sentPercent < 100);
  return { inputRef, fileError, error, errorRef, busy, sentPercent, result, submit };
}

/** The busy submit button's words: the share sent while the file goes, then what the hub does with it. */
export function sendingLabel(upload: Pick<FileUpload<unknown>, 'sentPercent'>, afterSending: string): string {
  const percent = upload.sentPercent ?? 0;
  return percent < 100 ? `Sending… ${percent}%` : afterSending;
}

/** What a file picker for a CSV file or a workbook offers (.xlsm: a workbook with macros, which the hub reads and never runs). */
export const SPREADSHEET_FILES = '.csv,.xlsx,.xlsm,text/csv';

type FileFieldProps = {
  label: string;
  hint?: ReactNode;
  upload: Pick<FileUpload<unknown>, 'inputRef' | 'fileError'>;
  /** The file types offered in the picker; the hub still checks the content. */
  accept?: string;
};

/** The labelled file picker of a useFileUpload form, with its hint and the "choose a file" error. */
export function FileField({ label, hint, upload, accept = SPREADSHEET_FILES }: FileFieldProps) {
  return (
    <Field label={label} hint={hint} error={upload.fileError}>
      {(control) => <input ref={upload.inputRef} type="file" accept={accept} className="input" {...control} />}
    </Field>
  );
}
