import { Link } from 'react-router-dom';
import type { ReportReceipt } from './reportsApi.ts';

/** What became of a report just sent: accepted, pending a match, or rejected, and why. */
export function ReceiptSummary({ receipt }: { receipt: ReportReceipt }) {
  const tone = receipt.status === 'rejected' ? 'banner banner--error' : receipt.status === 'accepted' ? 'banner banner--success' : 'banner';
  const title = receipt.duplicate
    ? 'Already reported: the report on file is kept, nothing was added'
    : receipt.status === 'accepted'
      ? 'Reported and accepted'
      : receipt.status === 'pending'
        ? 'Reported, pending a match'
        : 'Not accepted';
  return (
    <div className={tone} role="status">
      <p className="banner__title">{title}</p>
      {receipt.late ? <p>Reported more than 30 days after completion: it counts as late.</p> : null}
      {receipt.problems.length > 0 ? (
        <ul className="banner__problems">
          {receipt.problems.map((problem, index) => (
            <li key={`${problem.code}-${index}`}>{problem.message}</li>
          ))}
        </ul>
      ) : null}
      {receipt.id ? (
        <p>
          <Link to={`/reports/${receipt.id}`}>Open the report</Link>
        </p>
      ) : null}
    </div>
  );
}
