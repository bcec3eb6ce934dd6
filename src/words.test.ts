import { describe, expect, it } from 'vitest';
import { charactersPast, cutShort, inWords, quoted } from './words.ts';

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
});
