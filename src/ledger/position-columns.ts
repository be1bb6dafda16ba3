import { grown } from '../core/grown-array.js';
import type { SymbolMark } from './symbol-mark.js';

/**
 * A position's numbers, side by side in {@link PositionColumns.floats} (row `i` starts at
 * `i * POSITION_FLOATS`), read and written together by every fill and buying-power check: its
 * float mirrors, and its exact books in machine words (whole numbers held exactly in floats, in
 * the row's own increments: steps of 10^−stepDecimals, ticks of 10^−priceDecimals, money units of
 * their product) while its account keeps its books in words (`AccountColumns.words`).
 */
export const POSITION_FLOATS = 5;
/** Offset of the signed quantity's float mirror in a position's row. */
export const QUANTITY_NUM = 0;
/** Offset of the cost basis's float mirror (`quantity × avgPrice`). */
export const COST_BASIS_NUM = 1;
/** Offset of the signed quantity in steps (machine words). */
export const STEPS = 2;
/** Offset of the average cost in ticks (machine words; 0 when flat). */
export const TICKS = 3;
/** Offset of the realized P&L booked in this symbol, in money units (machine words). */
export const REALIZED_UNITS = 4;

/**
 * Every account's position in one symbol, as columns indexed by the account's index
 * ({@link AccountColumns}): exact values in machine words or as raw `bigint`s (quantity 10⁻¹⁸,
 * price 10⁻²⁴, money 10⁻⁴²; fixed-point.ts), and their float mirrors. While an account keeps its
 * books in words, the `bigint` columns hold them as of the ledger's last sync (`Ledger`). A row
 * an account never traded stays flat and `touched` 0; once traded, the position exists (flat or
 * not) for as long as the account.
 */
export class PositionColumns {
  /** The symbol's index in its ledger (first seen, first numbered). */
  readonly index: number;
  readonly mark: SymbolMark;
  /** Signed base units, raw. */
  readonly quantity: bigint[];
  /**
   * Raw price; zero when flat. The cost basis is `quantity × avgPrice` exactly (every branch of
   * `Ledger.applyFill` sets it so), computed where it is needed rather than kept: one `bigint`
   * fewer written per fill, which with 100,000 accounts lives long enough to be promoted.
   */
  readonly avgPrice: bigint[];
  /** Every account's row of float mirrors ({@link POSITION_FLOATS} numbers from `i * POSITION_FLOATS`). */
  floats: Float64Array;
  /** 1 once the account has traded the symbol. */
  touched: Uint8Array;
  /**
   * Each account's tick in the symbol, as decimal places: the most (significant) decimals of any
   * price the account has been filled at in it so far. Its average cost is rounded to it.
   */
  priceDecimals: Uint8Array;
  /**
   * Each account's quantity step in the symbol while its books are in words, as decimal places:
   * the most decimals of any quantity it has been filled for there so far.
   */
  stepDecimals: Uint8Array;

  constructor(index: number, mark: SymbolMark, capacity: number) {
    this.index = index;
    this.mark = mark;
    this.quantity = new Array<bigint>(capacity).fill(0n);
    this.avgPrice = new Array<bigint>(capacity).fill(0n);
    this.floats = new Float64Array(capacity * POSITION_FLOATS);
    this.touched = new Uint8Array(capacity);
    this.priceDecimals = new Uint8Array(capacity);
    this.stepDecimals = new Uint8Array(capacity);
  }

  /** Makes room for `capacity` accounts (new rows flat and untouched). */
  grow(capacity: number): void {
    for (let i = this.quantity.length; i < capacity; i++) {
      this.quantity.push(0n);
      this.avgPrice.push(0n);
    }
    if (this.touched.length >= capacity) return;
    this.floats = grown(this.floats, new Float64Array(capacity * POSITION_FLOATS));
    this.touched = grown(this.touched, new Uint8Array(capacity));
    this.priceDecimals = grown(this.priceDecimals, new Uint8Array(capacity));
    this.stepDecimals = grown(this.stepDecimals, new Uint8Array(capacity));
  }
}

/**
 * The order in which each account first traded its symbols, as columns: `symbolAt(rank)[i]` is
 * the index of account i's (rank+1)-th symbol. Float sums over an account's positions run in this
 * order, so they come out bit for bit as an account-by-account sum would.
 */
export class SymbolOrder {
  readonly #ranks: Uint32Array[] = [];
  #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The column of every account's (rank+1)-th symbol. */
  symbolAt(rank: number): Uint32Array {
    return this.#ranks[rank]!;
  }

  /** Records that account `account` traded symbol `symbol` as its (rank+1)-th. */
  set(rank: number, account: number, symbol: number): void {
    while (this.#ranks.length <= rank) this.#ranks.push(new Uint32Array(this.#capacity));
    this.#ranks[rank]![account] = symbol;
  }

  /** Makes room for `capacity` accounts. */
  grow(capacity: number): void {
    if (capacity <= this.#capacity) return;
    this.#capacity = capacity;
    for (let r = 0; r < this.#ranks.length; r++) {
      this.#ranks[r] = grown(this.#ranks[r]!, new Uint32Array(capacity));
    }
  }
}
