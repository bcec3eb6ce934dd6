import { useState, type MouseEvent, type ReactNode } from 'react';
import { errorMessage, fetchFile } from '../api/client.ts';

/**
 * A link to a file the hub writes when asked (rows to fix, say): fetched here and saved under the hub's name
 * for it, so that a refusal ("none is left to fix") is said on the page instead of opening as raw JSON.
 */
export function DownloadLink({ href, label, children }: { href: string; label: string; children: ReactNode }) {
  const [error, setError] = useState<string>();

  async function download(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    setError(undefined);
    try {
      const { blob, fileName } = await fetchFile(href);
      const url = URL.createObjectURL(blob);
      const save = document.createElement('a');
      save.href = url;
      save.download = fileName;
      save.click();
      // The browser has taken the file by then; the object URL is let go.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  return (
    <>
      <a href={href} aria-label={label} onClick={(event) => void download(event)}>
        {children}
      </a>
      {error ? (
        <span role="alert" className="field__error">
          {' '}
          {error}
        </span>
      ) : null}
    </>
  );
}
