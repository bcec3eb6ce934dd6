import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import './zod-messages.ts';

const messageOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map((issue) => issue.message);

describe("zod's messages in the hub's words", () => {
  it('says of a number past its bounds the bound and the number sent', () => {
    expect(messageOf(z.number().int().max(65535), 99999)).toEqual(['At most 65535 (this is 99999)']);
    expect(messageOf(z.number().min(1), 0)).toEqual(['At least 1 (this is 0)']);
    expect(messageOf(z.number().positive(), -2)).toEqual(['More than 0 (this is -2)']);
    expect(messageOf(z.number().lt(10), 10)).toEqual(['Less than 10 (this is 10)']);
  });

  it('counts the characters of a text and the items of a list as the bound does, an emoji as one', () => {
    expect(messageOf(z.string().max(3), '😀😀😀😀')).toEqual(['At most 3 characters (this one has 4)']);
    expect(messageOf(z.string().length(9), '12345678')).toEqual(['Exactly 9 characters (this one has 8)']);
    expect(messageOf(z.string().min(1), '')).toEqual(['At least 1 character (this one is empty)']);
    expect(messageOf(z.array(z.string()).max(1000), Array.from({ length: 1200 }, () => 'a'))).toEqual(['At most 1,000 items (this list has 1,200)']);
  });

  it('says that text read as a number is none, not that it is NaN', () => {
    expect(messageOf(z.coerce.number(), 'abc')).toEqual(['A number goes here; what was sent is not one']);
  });

  it('says of a choice sent as a list or an object what was sent, never "[object Object]"', () => {
    const role = z.enum(['provider_admin', 'provider_staff']);
    expect(messageOf(role, 'admin')).toEqual(['"admin" is not one of provider_admin or provider_staff']);
    expect(messageOf(role, [{}])).toEqual(['Give one of provider_admin or provider_staff, not a list']);
    expect(messageOf(role, { name: 'provider_admin' })).toEqual(['Give one of provider_admin or provider_staff, not an object']);
    expect(messageOf(role, null)).toEqual(['Give one of provider_admin or provider_staff, not null']);
  });
});
