import { grown } from '../core/grown-array.js';
import type { Decimal } from '../core/money.js';

/** The arms as the columns store them. */
export const STABLE_CODE = 0;
export const CANARY_CODE = 1;

/**
 * An account's float mirrors, side by side in {@link AccountColumns.floats} (row `i` starts at
 * `i * ACCOUNT_FLOATS`): a fill or a buying-power check reads them together, and fills come in
 * no account order (each order's latency is its own), so with 100,000 accounts one row is one
 * memory line to fetch where four columns were four (a fill 3 % cheaper there, the same with
 * 1,000: README, "Architecture").
 */
export const ACCOUNT_FLOATS = 5;
/** Offset of the capital's float mirror in an account's row. */
export const CAPITAL_NUM = 0;
/** Offset of the realized P&L's float mirror. */
export const REALIZED_NUM = 1;
/** Offset of the fees' float mirror. */
export const FEES_NUM = 2;
/** Offset of the number of symbols the account has held (its positions, first traded first). */
export const SYMBOL_COUNT = 3;
/** Offset of the fees paid in units of 10⁻⁸ (machine words, while the account's books are in words). */
export const FEE_UNITS = 4;

/**
 * Every account of a ledger as columns indexed by a dense account index (structure of arrays):
 * the float mirrors that sizing and buying power read on every order sit in typed arrays, side by
 * side, so a target change over 100,000 accounts walks contiguous memory instead of one object
 * graph per account. The exact books (`bigint`, raw fixed point) are columns too; an index is
 * never reused, so a removed account's row is simply left closed.
 */
export class AccountColumns {
  /** Rows in use (open or closed). */
  size = 0;
  #capacity: number;
  readonly ids: string[] = [];
  readonly capital: Decimal[] = [];
  /** The capital, raw money. */
  readonly capitalRaw: bigint[] = [];
  /** Realized P&L, raw money. */
  readonly realized: bigint[] = [];
  /** Fees paid, raw money. */
  readonly fees: bigint[] = [];
  /** Realized P&L, fees and unrealized P&L when the account joined its current arm, raw money. */
  readonly joinedRealized: bigint[] = [];
  readonly joinedFees: bigint[] = [];
  readonly joinedUnrealized: bigint[] = [];
  /** {@link STABLE_CODE} or {@link CANARY_CODE}. */
  arm: Uint8Array;
  /** 1 while the account is open. */
  open: Uint8Array;
  /** Every account's row of float mirrors ({@link ACCOUNT_FLOATS} numbers from `i * ACCOUNT_FLOATS`). */
  floats: Float64Array;
  /**
   * 1 while the account's books are in machine words (the position rows' words and
   * {@link FEE_UNITS}), 0 once they are `bigint`s (a figure reached 2⁵³, or a price or fee had
   * more places than words hold: for good).
   */
  words: Uint8Array;
  /** 1 when the account's words changed since its `bigint` columns were last brought up to date. */
  stale: Uint8Array;
  /** 1 while the row is in {@link staleRows}. */
  listed: Uint8Array;
  /**
   * Every row that became stale since the last pass over all of them, once each (a row brought
   * up to date on its own stays listed until that pass).
   */
  readonly staleRows: number[] = [];

  constructor(capacity = 16) {
    this.#capacity = capacity;
    this.arm = new Uint8Array(capacity);
    this.open = new Uint8Array(capacity);
    this.floats = new Float64Array(capacity * ACCOUNT_FLOATS);
    this.words = new Uint8Array(capacity);
    this.stale = new Uint8Array(capacity);
    this.listed = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Appends an open, flat account and returns its index (the typed columns may be reallocated). */
  add(id: string, capital: Decimal, capitalRaw: bigint, capitalNum: number, arm: number): number {
    const index = this.size;
    if (index === this.#capacity) this.#grow(this.#capacity * 2);
    this.size = index + 1;
    this.ids.push(id);
    this.capital.push(capital);
    this.capitalRaw.push(capitalRaw);
    this.realized.push(0n);
    this.fees.push(0n);
    this.joinedRealized.push(0n);
    this.joinedFees.push(0n);
    this.joinedUnrealized.push(0n);
    this.arm[index] = arm;
    this.open[index] = 1;
    this.floats[index * ACCOUNT_FLOATS + CAPITAL_NUM] = capitalNum;
    return index;
  }

  #grow(capacity: number): void {
    this.#capacity = capacity;
    this.arm = grown(this.arm, new Uint8Array(capacity));
    this.open = grown(this.open, new Uint8Array(capacity));
    this.floats = grown(this.floats, new Float64Array(capacity * ACCOUNT_FLOATS));
    this.words = grown(this.words, new Uint8Array(capacity));
    this.stale = grown(this.stale, new Uint8Array(capacity));
    this.listed = grown(this.listed, new Uint8Array(capacity));
  }
}
