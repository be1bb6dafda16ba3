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
