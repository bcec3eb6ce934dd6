import { z } from 'zod';
import { inWords, quoted } from '../words.ts';

// zod's own messages ("Invalid option: expected one of "a"|"b"", "Invalid input: expected number, received string",
// "Too big: expected string to have <=255 characters") said in the hub's words for every schema a request is checked
// by: what was sent, and what to send instead. A schema's own message, where it has one, still wins.

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

const capitalized = (words: string) => `${words.charAt(0).toUpperCase()}${words.slice(1)}`;

function choicesWords(values: readonly unknown[]): string {
  const listed = values.slice(0, choicesListed).map((value) => String(value));
  const more = values.length - listed.length;
  return more > 0 ? `${listed.join(', ')} or ${more} more` : inWords(listed, 'or');
}

/** "1 character", "1,000 characters". */
const counted = (count: number, noun: string) => `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;

type OutOfBounds = { code: 'too_big' | 'too_small'; origin: string; input?: unknown; inclusive?: boolean; exact?: boolean };

/**
 * A text, a list or a number past one of its bounds (`bound`): the bound, and what was sent ("At most 255 characters
 * (this one has 300)", "At most 65535 (this is 99999)"). Other kinds (dates, files) keep zod's words.
 */
function outOfBoundsMessage({ code, origin, input, inclusive = true, exact }: OutOfBounds, bound: number | bigint): string | undefined {
  const limit = exact ? 'Exactly' : code === 'too_big' ? (inclusive ? 'At most' : 'Less than') : inclusive ? 'At least' : 'More than';
  if (typeof input === 'number' && (origin === 'number' || origin === 'int')) return `${limit} ${bound} (this is ${input})`;
  if (typeof bound !== 'number') return undefined;
  // Characters counted as zod's length checks count them: an emoji is one.
  if (typeof input === 'string' && origin === 'string') {
    const length = [...input].length;
    return `${limit} ${counted(bound, 'character')} (this one ${length === 0 ? 'is empty' : `has ${length.toLocaleString('en-US')}`})`;
  }
  if (Array.isArray(input) && origin === 'array') {
    return `${limit} ${counted(bound, 'item')} (this list ${input.length === 0 ? 'is empty' : `has ${input.length.toLocaleString('en-US')}`})`;
  }
  return undefined;
}

z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_value' && issue.values.length > 0) {
      const choices = choicesWords(issue.values);
      if (issue.input === undefined) return `Give one of ${choices}`;
      const written = typeof issue.input === 'string' || typeof issue.input === 'number' || typeof issue.input === 'boolean';
      return written ? `${quoted(String(issue.input))} is not one of ${choices}` : `Give one of ${choices}, not ${sentAs(issue.input)}`;
    }
    if (issue.code === 'invalid_type') {
      const wanted = kinds[issue.expected] ?? issue.expected;
      // Named by its field: a problem lists its field beside it, but a person reading the message alone is told which.
      const field = issue.path?.findLast((key) => typeof key === 'string');
      if (issue.input === undefined) return field ? `${field} is missing: give it as ${wanted}` : `Missing: give ${wanted}`;
      // Text read as a number (an option, a setting) that is none: zod keeps only the NaN it became, not the text.
      if (Number.isNaN(issue.input)) return `${capitalized(wanted)} goes here; what was sent is not one`;
      return `${capitalized(wanted)} goes here, not ${sentAs(issue.input)}`;
    }
    if (issue.code === 'too_big') return outOfBoundsMessage(issue, issue.maximum);
    if (issue.code === 'too_small') return outOfBoundsMessage(issue, issue.minimum);
    return undefined;
  },
});
