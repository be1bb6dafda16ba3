import { Decimal } from '../core/money.js';

/**
 * Money for a reader: thousands grouped with commas, rounded half away from zero to 2 decimals,
 * computed in decimals from the exact string (no float on the way), a rounded zero without sign.
 * report.json and accounts.csv keep the exact strings; report.md, report.html, comparison.md and
 * the terminal summary show this.
 *
 * @example
 * formatMoney('16875999.42'); // "16,875,999.42"
 * formatMoney('-927.7808981198207'); // "-927.78"
 */
export function formatMoney(text: string): string {
  const fixed = new Decimal(text).toFixed(2, Decimal.ROUND_HALF_UP);
  const negative = fixed.startsWith('-') && /[1-9]/u.test(fixed);
  const [whole = '0', fraction = '00'] = fixed.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/gu, ',');
  return `${negative ? '-' : ''}${grouped}.${fraction}`;
}
