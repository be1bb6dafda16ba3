/**
 * Powers of ten as floats, `FLOAT_POW10[k]` = 10^k for k = 0 … 22: every one exactly
 * representable (10^22 is the largest power of ten a double holds exactly). One table for the
 * hot paths that scale by a power of ten (decimal mirrors, machine-word books, price ticks,
 * quantities in steps, fills.csv's digits).
 */
export const FLOAT_POW10: readonly number[] = Array.from({ length: 23 }, (_, k) =>
  Number(`1e${k}`),
);
