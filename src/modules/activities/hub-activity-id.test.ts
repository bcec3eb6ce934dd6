import { describe, expect, it } from 'vitest';
import { hubActivityIdFromSequence, isHubActivityId } from './hub-activity-id.ts';

describe('hub activity ID', () => {
  it('is nine digits ending in a check digit', () => {
    const id = hubActivityIdFromSequence(10_000_001);
    expect(id).toMatch(/^\d{9}$/);
    expect(id.slice(0, 8)).toBe('10000001');
    expect(isHubActivityId(id)).toBe(true);
  });

  it('catches a single mistyped digit and a swap of neighbours', () => {
    const id = hubActivityIdFromSequence(12_345_678);
    for (let position = 0; position < 9; position += 1) {
      const digit = Number(id[position]);
      const typo = id.slice(0, position) + String((digit + 1) % 10) + id.slice(position + 1);
      if (/^[1-9]/.test(typo)) expect(isHubActivityId(typo)).toBe(false);
    }
    const swapped = id[1] + id[0] + id.slice(2);
    expect(isHubActivityId(swapped)).toBe(false);
  });

  it('refuses values outside eight digits', () => {
    expect(() => hubActivityIdFromSequence(9_999_999)).toThrow(RangeError);
    expect(() => hubActivityIdFromSequence(100_000_000)).toThrow(RangeError);
    expect(isHubActivityId('12345678')).toBe(false);
    expect(isHubActivityId('012345674')).toBe(false);
  });
});
