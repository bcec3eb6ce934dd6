import { describe, expect, it } from 'vitest';
import { charactersPast, closestSpelling, cutShort, inWords, lettersOffAllowed, quoted } from './words.ts';

describe('words', () => {
  it('lists items as a sentence does', () => {
    expect(inWords(['a'])).toBe('a');
    expect(inWords(['a', 'b'])).toBe('a and b');
    expect(inWords(['a', 'b', 'c'], 'or')).toBe('a, b or c');
  });

  it('cuts a long text to the length asked, ending in an ellipsis, never through a character written in two halves', () => {
    expect(cutShort('short', 5)).toBe('short');
    expect(cutShort('a longer text', 5)).toBe('a lo…');
    const emoji = cutShort('😀'.repeat(10), 6);
    expect(emoji).toBe('😀😀…');
    expect(emoji.isWellFormed()).toBe(true);
    expect(cutShort(`a${'😀'.repeat(10)}`, 6)).toBe('a😀😀…');
  });

  it('quotes a value whole up to 100 characters, and a note pasted in its place cut short', () => {
    expect(quoted('last week')).toBe('"last week"');
    expect(quoted('x'.repeat(100))).toBe(`"${'x'.repeat(100)}"`);
    expect(quoted('x'.repeat(40_000))).toBe(`"${'x'.repeat(99)}…"`);
    // A value of 60 characters, as an activity's board or credit type could be mistyped, is quoted whole.
    expect(quoted(`  ${'x'.repeat(60)}  `.trim())).toBe(`"${'x'.repeat(60)}"`);
  });

  it('counts an emoji as one character when telling a text past a limit', () => {
    expect(charactersPast('😀'.repeat(3), 3)).toBeNull();
    expect(charactersPast('😀'.repeat(4), 3)).toBe(4);
    expect(charactersPast('abcd', 3)).toBe(4);
  });

  it('allows two letters off a word of eight or more, one off a word of four to seven, none off a shorter one', () => {
    expect(['NPI', 'Actve', 'Suspnded'].map(lettersOffAllowed)).toEqual([0, 1, 2]);
  });

  it('gives the value of the spelling a misspelt word is closest to, within the letters its length allows', () => {
    const statuses = [['active', 'active'], ['current', 'active'], ['suspended', 'suspended'], ['retired', 'retired']] as const;
    expect(closestSpelling('actve', statuses)).toBe('active');
    expect(closestSpelling('suspnded', statuses)).toBe('suspended');
    expect(closestSpelling('acive', statuses)).toBe('active');
    // Two letters off a word under eight; nothing close; too short to tell.
    expect(closestSpelling('actv', statuses)).toBeNull();
    expect(closestSpelling('sleeping', statuses)).toBeNull();
    expect(closestSpelling('act', [['act', 'act']])).toBeNull();
    // The closest wins over one farther within the letters allowed.
    expect(closestSpelling('suspnded', [['suspender', 'suspender'], ['suspended', 'suspended']])).toBe('suspended');
  });

  it('counts two neighbouring letters typed the other way round as one letter off', () => {
    const statuses = [['active', 'active'], ['inactive', 'inactive']] as const;
    expect(closestSpelling('atcive', statuses)).toBe('active');
    // "Frist name" is the First name, not the "Print name" two letters from it too.
    expect(closestSpelling('fristname', [['printname', 'fullName'], ['firstname', 'firstName']])).toBe('firstName');
    // Two swaps are two letters off.
    expect(closestSpelling('tacvie', statuses)).toBeNull();
  });

  it('gives no guess between two values as close, though two spellings of one value may be', () => {
    expect(closestSpelling('row_cd_x', [['row_cd_y', 'y'], ['row_cd_z', 'z']])).toBeNull();
    expect(closestSpelling('row_cd_x', [['row_cd_y', 'y'], ['row_cd_z', 'z'], ['row_cd_xx', 'xx']])).toBeNull();
    expect(closestSpelling('row_cd_x', [['row_cd_y', 'y'], ['row_cd_z', 'y']])).toBe('y');
    // A closer one ends a tie.
    expect(closestSpelling('gr-12', [['gr-13', 'GR-13'], ['gr-14', 'GR-14'], ['gr-12', 'GR-12']])).toBe('GR-12');
  });

  it('takes a spelling that is the word exactly unless asked not to, and the letters allowed as a caller asks', () => {
    const ids = [['gr-1', 'GR-1'], ['em-1', 'EM-1']] as const;
    expect(closestSpelling('gr-1', ids)).toBe('GR-1');
    expect(closestSpelling('gr-1', ids, { exactExcluded: true })).toBeNull();
    expect(closestSpelling('gr-1', [['gr-1', 'GR-1'], ['gr-10', 'GR-10']], { exactExcluded: true })).toBe('GR-10');
    expect(closestSpelling('ab', [['abc', 'abc']], { allowed: 1 })).toBe('abc');
    expect(closestSpelling('actve', [['active', 'active']], { allowed: 0 })).toBeNull();
    // Allowed by the length of each spelling: a stem two letters short of a long word is it.
    const byKnown = { allowed: lettersOffAllowed };
    expect(closestSpelling('suspend', [['suspended', 'suspended']])).toBeNull();
    expect(closestSpelling('suspend', [['suspended', 'suspended']], byKnown)).toBe('suspended');
    expect(closestSpelling('acts', [['act', 'act']])).toBe('act');
    expect(closestSpelling('acts', [['act', 'act']], byKnown)).toBeNull();
  });
});
