import type { Ref } from 'react';
import { ApiError, errorMessage, fieldName } from '../api/client.ts';
import type { Problem } from '../api/client.ts';

type ErrorBannerProps = {
  error: unknown;
  /** Overrides the heading; by default the hub's problem title. */
  title?: string;
  /**
   * Fields the surrounding form shows its own errors for; problems about any other field are listed here,
   * so none is lost.
   */
  fields?: readonly string[];
  ref?: Ref<HTMLDivElement>;
};

/** Announces a failed request: what went wrong, in the hub's words, and the reference to quote to support. */
export function ErrorBanner({ error, title, fields = [], ref }: ErrorBannerProps) {
  if (!error) return null;
  const heading = title ?? (error instanceof ApiError ? error.title : 'Something went wrong');
  const message = errorMessage(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  // A problem the message already says (a file refused for one thing) is not listed again.
  const otherProblems =
    error instanceof ApiError ? error.problems.filter((problem) => !fields.includes(fieldName(problem.field)) && !message.includes(problem.message)) : [];
  return (
    <div ref={ref} className="banner banner--error" role="alert" tabIndex={-1}>
      <p className="banner__title">{heading}</p>
      {message !== heading ? <p>{message}</p> : null}
      {otherProblems.length > 0 ? (
        <ul className="banner__problems">
          {otherProblems.map((problem, index) => (
            <li key={`${problem.field}-${problem.row ?? ''}-${index}`}>
              {placeOf(problem, message)}
              {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
      {requestId ? <p className="banner__reference">Reference: {requestId}</p> : null}
    </div>
  );
}

/**
 * The row (and sheet) a problem is of, before its message, unless the banner's message names it already: a file
 * refused for its header row says that row once, not before each column it lacks.
 */
function placeOf(problem: Problem, message: string): string | null {
  if (problem.row === undefined) return null;
  const place = `row ${problem.row}${problem.sheet ? ` of sheet "${problem.sheet}"` : ''}`;
  if (message.toLowerCase().includes(place.toLowerCase())) return null;
  return `${place.charAt(0).toUpperCase()}${place.slice(1)}: `;
}
