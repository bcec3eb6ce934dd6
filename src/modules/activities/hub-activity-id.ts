// The 9-digit hub activity ID: 8 digits from a database sequence (so a number is never handed out
// twice, even after a delete) followed by a Luhn check digit, so that a mistyped ID in a learner
// report is caught as a typo instead of landing on another activity.

export const FIRST_ACTIVITY_SEQUENCE_VALUE = 10_000_000;
export const LAST_ACTIVITY_SEQUENCE_VALUE = 99_999_999;

export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function hubActivityIdFromSequence(value: number): string {
  if (!Number.isInteger(value) || value < FIRST_ACTIVITY_SEQUENCE_VALUE || value > LAST_ACTIVITY_SEQUENCE_VALUE) {
    throw new RangeError(`activity sequence value out of range: ${value}`);
  }
  const body = String(value);
  return body + String(luhnCheckDigit(body));
}

/** Nine digits whose last is the check digit of the first eight. */
export function isHubActivityId(value: string): boolean {
  if (!/^[1-9]\d{8}$/.test(value)) return false;
  return luhnCheckDigit(value.slice(0, 8)) === Number(value[8]);
}
