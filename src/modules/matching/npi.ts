/** NPI checks per the CMS rule: 10 digits, the last a Luhn check digit over "80840" + the first nine. */

/** Strips the spaces and dashes people type inside an NPI. */
export function normalizeNpi(raw: string | null | undefined): string {
  return (raw ?? '').replace(/[\s\-.]/g, '');
}

export function npiCheckDigit(firstNineDigits: string): number {
  const payload = `80840${firstNineDigits}`;
  let sum = 0;
  // Doubling starts at the rightmost payload digit, since the check digit will sit to its right.
  for (let i = payload.length - 1, double = true; i >= 0; i -= 1, double = !double) {
    let digit = payload.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export type NpiProblem = 'npi_format' | 'npi_check_digit';

/** Why a normalized NPI cannot be one, or null when it is well formed. */
export function npiProblem(npi: string): NpiProblem | null {
  if (!/^\d{10}$/.test(npi)) return 'npi_format';
  return npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]) ? null : 'npi_check_digit';
}

export function isValidNpi(npi: string): boolean {
  return npiProblem(npi) === null;
}
