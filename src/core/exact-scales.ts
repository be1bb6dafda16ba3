/**
 * Decimal places the exact books keep (docs/accounting.md): a quantity or a price with more would
 * be rounded, so the books refuse it (`E_PRECISION`) and the feed readers call it a bad field.
 */

/** Decimal places of a quantity (base units). */
export const QTY_DIGITS = 18;
/** Decimal places of a price (quote per base unit). */
export const PRICE_DIGITS = 24;
