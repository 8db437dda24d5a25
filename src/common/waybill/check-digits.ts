// UPU S10 check digit, used for international S10 numbers and for 13-digit domestic EMS numbers.
import type { CheckDigitName } from './rules';

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** The S10 check digit of an 8-digit serial: c = 11 − (Σ mod 11); 10 → 0; 11 → 5. */
export function s10CheckDigit(serial: string): number {
  if (!/^\d{8}$/.test(serial)) throw new Error(`S10 serial must be 8 digits, got ${serial.length} characters`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial[i]) * S10_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

/** `EB000717595HK`: two letters, 8-digit serial, check digit, two-letter country. */
export function isValidS10(value: string): boolean {
  const m = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/.exec(value);
  return m !== null && s10CheckDigit(m[1]!) === Number(m[2]);
}

/** Domestic EMS `^1\d{12}$`: serial = digits 3–10, check digit = digit 11 (1-based). */
export function isValidEmsDomestic(value: string): boolean {
  if (!/^1\d{12}$/.test(value)) return false;
  return s10CheckDigit(value.slice(2, 10)) === Number(value[10]);
}

export const checkDigitValidators: Record<CheckDigitName, (value: string) => boolean> = {
  s10: isValidS10,
  ems13: isValidEmsDomestic,
};
