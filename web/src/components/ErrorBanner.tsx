import type { Ref } from 'react';
import { ApiError, errorMessage } from '../api/client.ts';

type ErrorBannerProps = {
  error: unknown;
  /** Overrides the heading; by default the hub's problem title. */
  title?: string;
  ref?: Ref<HTMLDivElement>;
};

/** Announces a failed request: what went wrong, in the hub's words, and the reference to quote to support. */
export function ErrorBanner({ error, title, ref }: ErrorBannerProps) {
  if (!error) return null;
  const heading = title ?? (error instanceof ApiError ? error.title : 'Something went wrong');
  const message = errorMessage(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div ref={ref} className="banner banner--error" role="alert" tabIndex={-1}>
      <p className="banner__title">{heading}</p>
      {message !== heading ? <p>{message}</p> : null}
      {requestId ? <p className="banner__reference">Reference: {requestId}</p> : null}
    </div>
  );
}
