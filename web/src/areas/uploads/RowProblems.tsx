import { useEffect, useRef, useState, type ReactNode } from 'react';
import { rowProblemGroups } from '../../../../src/modules/uploads/row-problem-counts.ts';
import { rowWords, withLocalTimes } from '../../format.ts';
import type { RowProblem, Upload } from './uploadsApi.ts';

/**
 * Kinds listed before "Show N more": the most common say what to fix first, and a file with more kinds than this
 * often has a deeper problem (the wrong columns); the rest are a click away.
 */
const kindsShownFirst = 8;

const rowsOf = (count: number) => `${count.toLocaleString()} ${count === 1 ? 'row' : 'rows'}`;

const showLabel = (kind: RowProblem) => (kind.rows === 1 ? 'Show this row' : 'Show these rows');

/**
 * The row whose message is shown: the first of its kind, or of what to fix the first rejected, which may name its own
 * values, so said as an example.
 */
function exampleOf(kind: RowProblem, counted: Counted): { words: string; message: string } {
  const example = (counted === 'rejected' ? kind.firstRejected : null) ?? { row: kind.firstRow, sheet: kind.firstRowSheet, message: kind.message };
  const row = rowWords(example.row, example.sheet);
  return { words: kind.rows === 1 ? row.charAt(0).toUpperCase() + row.slice(1) : `Such as ${row}`, message: example.message };
}

type KindsProps = { kinds: RowProblem[]; shown: RowProblem | null; onShowRows: (kind: RowProblem) => void };

/** The rows of a kind a list counts: the rejected ones only, where the list is of what to fix. */
type Counted = 'all' | 'rejected';

/**
 * What went wrong with the file's rows, most common first, so that thousands of rejected rows read as a
 * few things to fix; each kind opens its rows in the receipt (`shown`: the kind whose rows it shows). Kinds
 * none of whose rows was rejected are apart: those rows are on file (pending until matched, or accepted), and
 * nothing of them is to send again; and so are rows that are no completion (a registrant who did not attend, a total),
 * nothing of which is kept or to fix. Of a withdrawn upload, all but those are what was wrong, to correct in the file
 * sent again whole.
 */
export function RowProblems({ upload, shown, onShowRows }: { upload: Upload } & Omit<KindsProps, 'kinds'>) {
  const { toFix, toCheck, noCompletions } = rowProblemGroups(upload.rowProblems);
  const allCorrected = upload.rows.stillToFix === 0;
  // Withdrawn, nothing it took in stays: no row is to fix alone, nor on file not to send again; the file goes again whole.
  const found = upload.rowProblems.filter((kind) => !kind.noCompletion);
  return (
    <>
      {upload.withdrawal && found.length > 0 ? (
        <ProblemKinds id="row-problems" heading="What was wrong, most common first" kinds={found} shown={shown} onShowRows={onShowRows}>
          <p>
            {upload.withdrawal.status === 'withdrawing'
              ? 'Its accepted and pending rows are being deleted too: once that is done, correct these in the file and send it again whole.'
              : 'Its accepted and pending rows were deleted too: correct these in the file and send it again whole.'}
          </p>
        </ProblemKinds>
      ) : null}
      {!upload.withdrawal && toFix.length > 0 ? (
        <ProblemKinds
          id="row-problems"
          heading={allCorrected ? 'What was wrong, most common first' : 'What to fix, most common first'}
          kinds={toFix}
          counted="rejected"
          shown={shown}
          onShowRows={onShowRows}
        />
      ) : null}
      {!upload.withdrawal && toCheck.length > 0 ? (
        <ProblemKinds id="rows-to-check" heading="Taken in, with something to check" kinds={toCheck} shown={shown} onShowRows={onShowRows}>
          <p>These rows are on file: pending until the physician is matched, or accepted with a note. Do not send them again.</p>
        </ProblemKinds>
      ) : null}
      {noCompletions.length > 0 ? (
        <ProblemKinds id="rows-not-completions" heading="Not taken in: no completions" kinds={noCompletions} shown={shown} onShowRows={onShowRows}>
          <p>Nothing of these rows is kept, and there is nothing to fix or send again: no one is credited for them.</p>
        </ProblemKinds>
      ) : null}
    </>
  );
}

function ProblemKinds({ id, heading, kinds, counted = 'all', shown, onShowRows, children }: KindsProps & { id: string; heading: string; counted?: Counted; children?: ReactNode }) {
  const [showAll, setShowAll] = useState(false);
  const firstBrought = useRef<HTMLButtonElement>(null);
  // The button that brought them is gone: the focus goes on to the first kind it brought.
  useEffect(() => {
    if (showAll) firstBrought.current?.focus();
  }, [showAll]);
  const listed = showAll ? kinds : kinds.slice(0, kindsShownFirst);
  const more = kinds.length - listed.length;
  return (
    <section className="section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      {children}
      <ul className="row-problems">
        {listed.map((kind, index) => {
          const isShown = shown?.code === kind.code && shown.field === kind.field;
          // Of what to fix, the rows rejected: those of the kind taken in (pending) are on file, not to send again.
          const count = counted === 'rejected' && kind.rejectedRows !== null ? kind.rejectedRows : kind.rows;
          const example = exampleOf(kind, counted);
          return (
            <li key={`${kind.code}:${kind.field ?? ''}`}>
              <strong>
                {rowsOf(count)}
                {count < kind.rows ? <span className="muted"> rejected, {(kind.rows - count).toLocaleString()} more taken in</span> : null}
              </strong>
              <span>
                <span className="muted">{example.words}:</span> {withLocalTimes(example.message)}
              </span>
              <button
                ref={index === kindsShownFirst ? firstBrought : undefined}
                type="button"
                className={isShown ? 'button button--small' : 'button button--small button--secondary'}
                aria-pressed={isShown}
                // Which rows, for a screen reader going from button to button; it starts with the words on the button.
                aria-label={`${showLabel(kind)}: ${withLocalTimes(example.message)}`}
                onClick={() => onShowRows(kind)}
              >
                {showLabel(kind)}
              </button>
            </li>
          );
        })}
      </ul>
      {more > 0 ? (
        <button type="button" className="button button--small button--secondary" onClick={() => setShowAll(true)}>
          Show {more === 1 ? 'one more kind' : `${more.toLocaleString()} more kinds`} of problem
        </button>
      ) : null}
    </section>
  );
}
