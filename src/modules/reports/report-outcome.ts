// How the rule checks and the identity match decide a report's status. Pure.

import type { ReportStatus, StoredProblem } from './reports.tables.ts';

export type IdentityMatch = {
  status: 'matched' | 'ambiguous' | 'not_found' | 'invalid';
  personId: string | null;
  rule: string | null;
  problems: { code: string; field?: string; message: string }[];
};

export type ReportOutcome = {
  status: ReportStatus;
  personId: string | null;
  matchRule: string | null;
  problems: StoredProblem[];
};

/**
 * Rule failures or an identity that cannot be read reject the report; an identity that matches one
 * person accepts it (keeping the matcher's notices, such as an inactive license); any other identity
 * leaves it pending, with what the provider can fix.
 */
export function decideOutcome(ruleProblems: StoredProblem[], match: IdentityMatch): ReportOutcome {
  const identityProblems = match.problems.map((problem) => ({
    code: problem.code,
    field: learnerField(problem.field),
    message: problem.message,
  }));
  if (ruleProblems.length > 0 || match.status === 'invalid') {
    return {
      status: 'rejected',
      personId: null,
      matchRule: null,
      problems: [...ruleProblems, ...(match.status === 'invalid' ? identityProblems : [])],
    };
  }
  if (match.status === 'matched' && match.personId) {
    return { status: 'accepted', personId: match.personId, matchRule: match.rule, problems: identityProblems };
  }
  return {
    status: 'pending',
    personId: null,
    matchRule: null,
    problems: identityProblems.length > 0 ? identityProblems : [notMatchedProblem(match.status)],
  };
}

function notMatchedProblem(status: IdentityMatch['status']): StoredProblem {
  return status === 'ambiguous'
    ? {
        code: 'identity_ambiguous',
        field: 'learner',
        message: 'More than one physician fits this identity. Add the NPI or a license number to tell them apart.',
      }
    : {
        code: 'identity_not_found',
        field: 'learner',
        message:
          'No physician in the registry fits this identity yet. Check the name, birth date and license or NPI; the report is kept and matched again when the registry changes.',
      };
}

/** Identity problems name the learner's field; on a report it sits under `learner`. */
function learnerField(field: string | undefined): string {
  if (!field) return 'learner';
  return field.startsWith('learner') ? field : `learner.${field}`;
}
