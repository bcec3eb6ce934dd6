import { z } from 'zod';
import { inWords, quoted } from '../words.ts';

// zod's own messages ("Invalid option: expected one of "a"|"b"", "Invalid input: expected number, received string")
// said in the hub's words for every schema a request is checked by: what was sent, and what to send instead. A
// schema's own message, where it has one, still wins.

/** What each type zod expects is, as a sender would write it. */
const kinds: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list (an array)',
  date: 'a date',
};

/** Choices beyond these are counted, not listed. */
const choicesListed = 12;

function sentAs(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'string') return `text, ${quoted(input)}`;
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  return typeof input === 'object' ? 'an object' : typeof input;
}

function choicesWords(values: readonly unknown[]): string {
  const listed = values.slice(0, choicesListed).map((value) => String(value));
  const more = values.length - listed.length;
  return more > 0 ? `${listed.join(', ')} or ${more} more` : inWords(listed, 'or');
}

z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_value' && issue.values.length > 0) {
      const choices = choicesWords(issue.values);
      return issue.input === undefined ? `Give one of ${choices}` : `${quoted(String(issue.input))} is not one of ${choices}`;
    }
    if (issue.code === 'invalid_type') {
      const wanted = kinds[issue.expected] ?? issue.expected;
      // Named by its field: a problem lists its field beside it, but a person reading the message alone is told which.
      const field = issue.path?.findLast((key) => typeof key === 'string');
      if (issue.input === undefined) return field ? `${field} is missing: give it as ${wanted}` : `Missing: give ${wanted}`;
      return `${wanted.charAt(0).toUpperCase()}${wanted.slice(1)} goes here, not ${sentAs(issue.input)}`;
    }
    return undefined;
  },
});
