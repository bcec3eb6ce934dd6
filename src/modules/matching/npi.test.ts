import { describe, expect, it } from 'vitest';
import { isValidNpi, normalizeNpi, npiCheckDigit, npiProblem } from './npi.ts';

describe('NPI', () => {
  it('accepts the CMS example 1234567893', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
  });

  it('catches a mistyped digit and two swapped digits', () => {
    expect(npiProblem('1234567890')).toBe('npi_check_digit');
    expect(npiProblem('1234567839')).toBe('npi_check_digit');
    expect(npiProblem('2134567893')).toBe('npi_check_digit');
  });

  it('requires exactly ten digits', () => {
    expect(npiProblem('123456789')).toBe('npi_format');
    expect(npiProblem('12345678931')).toBe('npi_format');
    expect(npiProblem('12345A7893')).toBe('npi_format');
  });

  it('drops the spaces and dashes people type', () => {
    expect(normalizeNpi(' 1234-567 893 ')).toBe('1234567893');
  });
});
