import { UsageError } from '../core/errors.js';

/** An integer option in [min, max], or a UsageError naming the option. */
export function parseInteger(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim()))
    throw new UsageError(`${name}: expected a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max)
    throw new UsageError(`${name}: ${value} is outside ${min}–${max}`);
  return value;
}

/** A decimal number option in [min, max], or a UsageError naming the option. */
export function parseNumberInRange(name: string, text: string, min: number, max: number): number {
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(text.trim())) {
    throw new UsageError(`${name}: expected a number, got "${text}"`);
  }
  const value = Number(text);
  if (value < min || value > max)
    throw new UsageError(`${name}: ${value} is outside ${min}–${max}`);
  return value;
}

/**
 * A positive plain decimal option (digits, an optional fraction; no sign or exponent), returned
 * as written so no digit is lost, or a UsageError naming the option.
 */
export function parsePositiveDecimal(name: string, text: string): string {
  if (!/^\d+(\.\d+)?$/.test(text) || !/[1-9]/.test(text))
    throw new UsageError(`${name}: expected a positive decimal number like 0.01, got "${text}"`);
  return text;
}
