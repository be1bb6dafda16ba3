import type { Account } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import type { FillReport } from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import type {
  AccountBooks,
  AccountSnapshot,
  ArmPositionTotals,
  ArmTotals,
  PositionSnapshot,
} from './ledger-snapshot.js';
import { SymbolMark } from './symbol-mark.js';
import {
  ACCOUNT_FLOATS,
  AccountColumns,
  CANARY_CODE,
  CAPITAL_NUM,
  FEE_UNITS,
  FEES_NUM,
  REALIZED_NUM,
  STABLE_CODE,
  SYMBOL_COUNT,
} from './account-columns.js';
import {
  COST_BASIS_NUM,
  POSITION_FLOATS,
  PositionColumns,
  QUANTITY_NUM,
  REALIZED_UNITS,
  STEPS,
  SymbolOrder,
  TICKS,
} from './position-columns.js';
import {
  bookInWords,
  divideHalfEven,
  isExactWhole,
  type WordPosition,
} from './machine-word-books.js';
import { FLOAT_POW10 } from '../core/float-powers-of-ten.js';
import { decimalToFloat, LastDecimalFloat } from '../core/decimal-to-float.js';
import {
  averageCostRaw,
  fromRaw,
  MONEY_DIGITS,
  pow10,
  PRICE_DIGITS,
  QTY_DIGITS,
  rawToFloat,
  roundScaled,
  toRaw,
} from './fixed-point.js';
import { VENUE_FEE_DECIMALS } from '../core/venue-fee.js';

/** A raw quantity as a float mirror. */
const qtyFloat = (raw: bigint): number => rawToFloat(raw, QTY_DIGITS);
/** Raw money as a float mirror. */
const moneyFloat = (raw: bigint): number => rawToFloat(raw, MONEY_DIGITS);
/** Raw money per unit of a venue fee's last place (10⁻⁸ quote units). */
const VENUE_FEE_UNIT = pow10(MONEY_DIGITS - VENUE_FEE_DECIMALS);
/** Units of 10⁻⁸ in one quote unit, as a float. */
const FEE_UNITS_PER_QUOTE = FLOAT_POW10[VENUE_FEE_DECIMALS]!;
/** Most decimals of a money unit (step × tick) in machine words: 10ⁿ must be an exact float. */
const MAX_WORD_MONEY_DECIMALS = 22;
/**
 * A quantity in raw units (10⁻¹⁸): given in steps or raw, else the decimal of `source` (read only
 * then: an engine order builds its decimal at each read).
 */
const rawQuantity = (
  quantity: StepQuantity | bigint | undefined,
  source: { readonly quantity: Decimal },
): bigint =>
  quantity === undefined
    ? toRaw(source.quantity, QTY_DIGITS)
    : typeof quantity === 'bigint'
      ? quantity
      : BigInt(quantity.steps) * pow10(QTY_DIGITS - quantity.decimals);
/** Raw money as an exact decimal (reports, snapshots). */
const money = (raw: bigint): Decimal => fromRaw(raw, MONEY_DIGITS);

/** An arm's equity figures as floats (statistics, risk checks), quote currency. */
export interface ArmEquityNum {
  readonly equity: number;
  readonly capital: number;
  /** Float of {@link ArmTotals.contributed}. */
  readonly contributed: number;
  /** Gross notional of the arm's positions, Σ over accounts of abs(quantity) × mark. */
  readonly grossNotional: number;
  readonly accounts: number;
}

/**
 * An arm's closed trades: every fill that reduces, closes or flips a position is one, its P&L the
 * realized P&L of the quantity it closed, before fees (floats: statistics, not money). Counted on
 * the arm the account was on at the fill.
 */
export interface ArmTradeStats {
  readonly closedTrades: number;
  /** Closed trades with a positive P&L. */
  readonly winningTrades: number;
  /** Σ P&L of the winning trades. */
  readonly grossProfit: number;
  /** Σ |P&L| of the losing trades. */
  readonly grossLoss: number;
}

/**
 * A quantity as a whole number of steps of 10^−decimals base units (the engine's orders): the
 * books read it without a decimal.
 */
export interface StepQuantity {
  readonly steps: number;
  readonly decimals: number;
}

/** How a {@link Ledger} keeps its exact books. */
export interface LedgerOptions {
  /**
   * Book each account in machine words while they hold its figures exactly, `bigint`s after
   * (default true); false keeps every account in `bigint`s. The figures are the same either way
   * (docs/accounting.md): false is the reference the words are tested and measured against.
   */
  readonly machineWords?: boolean;
}

/** What the engine's sizing reads of one account: floats, marked at the last price. */
export interface LedgerAccountView {
  /** Capital + realized + unrealized − fees, quote currency (float mirror). */
  readonly equity: number;
  /** Signed quantity held in the symbol, base units (float mirror; filled orders only). */
  readonly position: number;
}

/**
 * One account's books, as a handle: the engine keeps it beside the account and passes it to
 * {@link Ledger.applyFill} and {@link Ledger.canAfford}, which then need no lookup by id (with
 * 100,000 accounts a lookup by id is a cache miss per fill). Opaque: only its ledger reads it.
 */
export interface LedgerAccount {
  readonly id: string;
}

/** A handle's inside: the account's row in its ledger's columns. */
class AccountHandle implements LedgerAccount {
  constructor(
    readonly id: string,
    readonly index: number,
    readonly ledger: Ledger,
  ) {}
}

/** Realized P&L, fees and unrealized P&L, exact raw money. */
interface Attributed {
  readonly realized: bigint;
  readonly fees: bigint;
  readonly unrealized: bigint;
}

const NOTHING: Attributed = { realized: 0n, fees: 0n, unrealized: 0n };

/** Float sums over an arm's accounts for one symbol (risk checks and sampling, not money). */
interface ArmSymbolNum {
  readonly mark: SymbolMark;
  /** Σ signed quantity. */
  quantity: number;
  /** Σ |quantity| (gross). */
  gross: number;
  /** Σ cost basis. */
  costBasis: number;
}

interface ArmBook {
  /** Its code in the account columns. */
  readonly code: number;
  /** Open accounts on the arm. */
  accounts: number;
  /** Raw money. */
  capital: bigint;
  /** Raw money. */
  contributed: bigint;
  contributedNum: number;
  // Float mirrors summed over the arm's accounts, kept incrementally from the accounts' mirrors.
  capitalNum: number;
  realizedNum: number;
  feesNum: number;
  /** Per symbol, in the order the arm first held it (the order its float equity is summed in). */
  readonly symbolsNum: Map<string, ArmSymbolNum>;
  /** The same sums by symbol index. */
  readonly symbolsNumByIndex: (ArmSymbolNum | undefined)[];
  /** What accounts that left the arm earned while on it. */
  departed: Attributed;
  readonly trades: { closed: number; winning: number; grossProfit: number; grossLoss: number };
}

/** Relative distance within which a float decision is re-done exactly. */
const FLOAT_BAND = 1e-9;

/**
 * Exact books for every account, and for each arm as the sums over its accounts (docs/accounting.md).
 *
 * - Positions carry a signed quantity and an average cost; reducing realizes `(fill − avg) × closed`
 *   for a long (the mirror for a short); a fill past flat closes and reopens at the fill price.
 * - Money is exact: whole numbers in machine words on the hot path (each position in its own
 *   increments, held exactly in floats while under 2⁵³, machine-word-books.ts), scaled `bigint`s
 *   for an account whose figures outgrow them (fixed-point.ts), {@link Decimal} in and out. The
 *   one rounding point is the average cost (to the account's tick in the symbol, the finest
 *   increment among its fill prices there so far, half-even) and its residual is booked to
 *   realized P&L, so
 *   `realized + unrealized − fees` is the exact cash-flow P&L and arm totals are the exact sums of
 *   their accounts.
 * - A fill touches only its account; an arm's exact totals are summed over its accounts when asked
 *   (O(accounts)); its float equity is kept as running sums for per-interval sampling.
 * - Laid out as columns (structure of arrays): each account is a row index in
 *   {@link AccountColumns}, each symbol a {@link PositionColumns} of every account's position, so
 *   sizing and buying power over 100,000 accounts read typed arrays, not an object per account.
 * - `mark()` is the per-event hot path: it stores a reference and allocates nothing.
 *
 * @example
 * const ledger = new Ledger([{ account: { id: 'a1', capital: new Decimal('10000') }, arm: 'stable' }]);
 * ledger.mark(trade);            // every market event
 * ledger.applyFill(fillReport);  // every fill
 * ledger.armTotals('stable').equity.toFixed();
 */
export class Ledger {
  /** Account id → row in the columns (open accounts only). */
  readonly #index = new Map<string, number>();
  /**
   * The row after the last one looked up by id: where a pass over the accounts in their order
   * (the closing reports, handles taken at the start) finds the next one, with no map lookup: in
   * a profile of the closing reports of 100,000 accounts, the lookups took about 0.5 µs each, the
   * map's table and keys scattered in memory.
   */
  #nextRow = 0;
  readonly #rows = new AccountColumns();
  /** Symbol → its marks and position columns, in the order the symbols were first seen. */
  readonly #symbols = new Map<string, PositionColumns>();
  readonly #symbolList: PositionColumns[] = [];
  readonly #order = new SymbolOrder(this.#rows.capacity);
  readonly #arms: Record<Arm, ArmBook> = {
    stable: newArmBook(STABLE_CODE),
    canary: newArmBook(CANARY_CODE),
  };
  readonly #armByCode: readonly ArmBook[] = [this.#arms.stable, this.#arms.canary];
  readonly #machineWords: boolean;
  /** The position a fill is booked into in words (reused: no object per fill). */
  readonly #word: WordPosition = { steps: 0, ticks: 0, realized: 0, closed: false, closedPnl: 0 };
  #lastPrice: Decimal | null = null;
  /** {@link #lastPrice} as a raw price, once the `bigint` books ask (null until then). */
  #lastPriceRaw: bigint | null = null;
  /** {@link #lastPrice} × 10^decimals, a whole float; NaN past 2⁵³. */
  #lastPriceMantissa = 0;
  /** Decimal places of {@link #lastPrice} (significant ones; at most 24, or toRaw refuses it). */
  #lastPriceDecimals = 0;
  #lastFeePerUnit: Decimal | null = null;
  #lastFeePerUnitRaw: bigint | null = null;
  /** The fee per unit whose words follow, remembered by identity. */
  #wordFeePerUnit: Decimal | null = null;
  /** It × 10^{@link #wordFeePlaces}, a whole float; NaN past 2⁵³. */
  #wordFeeMantissa = 0;
  #wordFeePlaces = 0;
  /** The last buying-power check's fill price as a float (the fills of an event share it). */
  readonly #fillPriceFloat = new LastDecimalFloat();
  /** The symbol of the last fill or check, remembered by identity (fills of an event share it). */
  #lastSymbol = '';
  #lastSymbolColumns: PositionColumns | undefined = undefined;

  constructor(
    accounts: Iterable<{ readonly account: Account; readonly arm: Arm }> = [],
    options: LedgerOptions = {},
  ) {
    this.#machineWords = options.machineWords ?? true;
    for (const { account, arm } of accounts) this.addAccount(account, arm);
  }

  /**
   * Opens the books of a new account on `arm` (flat; its capital counts as contributed).
   * @throws ConfigError `E_ACCOUNTS_FILE` for a duplicate id.
   */
  addAccount(account: Account, arm: Arm): void {
    if (this.#index.has(account.id)) {
      throw new ConfigError('E_ACCOUNTS_FILE', `duplicate account id "${account.id}"`);
    }
    const capitalRaw = toRaw(account.capital, MONEY_DIGITS);
    const capitalNum = moneyFloat(capitalRaw);
    const armBook = this.#arms[arm];
    const rows = this.#rows;
    const capacity = rows.capacity;
    const index = rows.add(account.id, account.capital, capitalRaw, capitalNum, armBook.code);
    rows.words[index] = this.#machineWords ? 1 : 0;
    if (rows.capacity !== capacity) {
      for (const columns of this.#symbolList) columns.grow(rows.capacity);
      this.#order.grow(rows.capacity);
    }
    this.#index.set(account.id, index);
    armBook.accounts++;
    armBook.capital += capitalRaw;
    armBook.contributed += capitalRaw;
    armBook.contributedNum = moneyFloat(armBook.contributed);
    armBook.capitalNum += capitalNum;
  }

  /**
   * Closes an account's books and takes it out of its arm (a paper account at the end of a
   * shadow step): its equity at the current marks leaves the arm as a flow (`contributed`), so
   * the arm's returns are not disturbed. An open position goes with it.
   * @throws RangeError for an unknown account.
   */
  removeAccount(accountId: string): void {
    const index = this.#row(accountId);
    this.#sync(index);
    const armBook = this.#armOfRow(index);
    const equity = this.#exactEquity(index);
    this.#leave(armBook, index);
    this.#addToArmNum(armBook, index, -1);
    armBook.accounts--;
    clearFloatSumsIfEmpty(armBook);
    armBook.capital -= this.#rows.capitalRaw[index]!;
    armBook.contributed -= equity;
    armBook.contributedNum = moneyFloat(armBook.contributed);
    this.#index.delete(accountId);
    this.#rows.open[index] = 0;
  }

  /**
   * Updates the symbol's mark from a market event: called with every event. Keeps a reference only
   * (no Decimal work, no allocation once the symbol is known).
   */
  mark(event: MarketEvent): void {
    const mark = this.#columnsOf(event.symbol).mark;
    if (event.type === 'quote') mark.onQuote(event);
    else mark.onTrade(event);
  }

  /** The symbol's current mark (quote mid, else last trade, else last fill), or null if none. */
  markPrice(symbol: string): Decimal | null {
    return this.#symbols.get(symbol)?.mark.price ?? null;
  }

  /** Every symbol's current mark, in the order the symbols were first seen (those without one left out). */
  markPrices(): [symbol: string, price: Decimal][] {
    const out: [string, Decimal][] = [];
    for (const [symbol, columns] of this.#symbols) {
      const price = columns.mark.price;
      if (price !== null) out.push([symbol, price]);
    }
    return out;
  }

  /**
   * Sets a symbol's mark to `price` as if a trade had printed there: a rebuild from a report
   * journal restores the marks a membership change was booked at (`moveAccount` values the
   * accounts at their marks), and later fills do not move it, as market data would not have.
   */
  restoreMark(symbol: string, price: Decimal, tsUs: number): void {
    const text = price.toFixed();
    this.mark({
      type: 'trade',
      tsUs,
      exchangeTsUs: null,
      exchange: 'journal',
      symbol,
      id: null,
      side: null,
      price: text,
      priceNum: Number(text),
      size: '0',
      sizeNum: 0,
    });
  }

  /**
   * Books a fill: position, average cost, realized P&L and fees of the account (the account counts
   * towards the arm it is on now: after a move its P&L travels with it). Touches only the account,
   * so it costs a few machine-word operations (docs/accounting.md); arm totals are summed on
   * demand.
   *
   * A caller that has them passes the account's handle, the quantity (in steps, or raw units of
   * 10⁻¹⁸) and the fee per unit of the fill's price (a venue's fee: `feePerUnit × quantity`
   * rounded half-even to 10⁻⁸, core/venue-fee.ts): then no decimal of the fill but its price,
   * shared by the fills of one event, is read (the simulated venue's fills).
   * @throws RangeError for an unknown account or a handle of another ledger.
   */
  applyFill(
    fill: FillReport,
    handle?: LedgerAccount,
    quantity?: StepQuantity | bigint,
    feePerUnit?: Decimal,
  ): void {
    const i = handle === undefined ? this.#row(fill.accountId) : this.#own(handle);
    const rows = this.#rows;
    const p = this.#position(i, fill.symbol);
    const armBook = this.#armOfRow(i);
    const positionFloats = p.floats;
    const position = i * POSITION_FLOATS;
    const accountFloats = rows.floats;
    const account = i * ACCOUNT_FLOATS;
    const oldQuantityNum = positionFloats[position + QUANTITY_NUM]!;
    const oldCostBasisNum = positionFloats[position + COST_BASIS_NUM]!;
    const oldRealizedNum = accountFloats[account + REALIZED_NUM]!;
    const oldFeesNum = accountFloats[account + FEES_NUM]!;
    this.#notePrice(fill.price);
    p.mark.onFill(fill.price);
    const buy = fill.side === 'buy';
    if (rows.words[i] === 1 && !this.#bookInWords(i, p, buy, fill, quantity, feePerUnit, armBook)) {
      this.#toBigints(i);
    }
    if (rows.words[i] === 0) this.#bookInBigints(i, p, buy, fill, quantity, feePerUnit, armBook);

    const quantityNum = positionFloats[position + QUANTITY_NUM]!;
    const sums = armSymbolNumOf(armBook, p);
    sums.quantity += quantityNum - oldQuantityNum;
    sums.gross += Math.abs(quantityNum) - Math.abs(oldQuantityNum);
    sums.costBasis += positionFloats[position + COST_BASIS_NUM]! - oldCostBasisNum;
    armBook.realizedNum += accountFloats[account + REALIZED_NUM]! - oldRealizedNum;
    armBook.feesNum += accountFloats[account + FEES_NUM]! - oldFeesNum;
  }

  /**
   * Books a fill in account `i`'s machine words and their float mirrors (docs/accounting.md):
   * the position's increments refined to the fill's first, if it has more places. Returns false,
   * changing nothing, when the words cannot hold a figure exactly (2⁵³, more than 22 places of
   * money, a reported fee past 10⁻⁸).
   */
  #bookInWords(
    i: number,
    p: PositionColumns,
    buy: boolean,
    fill: FillReport,
    quantity: StepQuantity | bigint | undefined,
    feePerUnit: Decimal | undefined,
    armBook: ArmBook,
  ): boolean {
    let quantitySteps: number;
    let quantityDecimals: number;
    if (quantity !== undefined && typeof quantity !== 'bigint') {
      quantitySteps = quantity.steps;
      quantityDecimals = quantity.decimals;
    } else {
      quantityDecimals = fill.quantity.decimalPlaces();
      if (quantityDecimals > QTY_DIGITS) return false;
      quantitySteps = Number(toRaw(fill.quantity, quantityDecimals));
    }
    const priceDecimals = this.#lastPriceDecimals;
    const oldStep = p.stepDecimals[i]!;
    const oldTick = p.priceDecimals[i]!;
    const step = oldStep > quantityDecimals ? oldStep : quantityDecimals;
    const tick = oldTick > priceDecimals ? oldTick : priceDecimals;
    if (step > QTY_DIGITS || step + tick > MAX_WORD_MONEY_DECIMALS) return false;
    const row = p.floats;
    const at = i * POSITION_FLOATS;
    const word = this.#word;
    word.steps = row[at + STEPS]!;
    word.ticks = row[at + TICKS]!;
    word.realized = row[at + REALIZED_UNITS]!;
    if (step !== oldStep || tick !== oldTick) {
      // Finer increments: the same figures in more, smaller units.
      const stepScale = FLOAT_POW10[step - oldStep]!;
      const tickScale = FLOAT_POW10[tick - oldTick]!;
      word.steps *= stepScale;
      word.ticks *= tickScale;
      word.realized *= stepScale * tickScale;
      if (!isExactWhole(word.steps) || !isExactWhole(word.ticks) || !isExactWhole(word.realized)) {
        return false;
      }
    }
    const size = quantitySteps * FLOAT_POW10[step - quantityDecimals]!;
    const priceTicks = this.#lastPriceMantissa * FLOAT_POW10[tick - priceDecimals]!;
    if (!isExactWhole(size) || !isExactWhole(priceTicks)) return false;
    if (!bookInWords(word, buy ? size : -size, priceTicks)) return false;
    const accountFloats = this.#rows.floats;
    const account = i * ACCOUNT_FLOATS;
    const fee = this.#feeUnits(fill, quantitySteps, quantityDecimals, quantity, feePerUnit);
    const fees = accountFloats[account + FEE_UNITS]! + fee;
    if (!isExactWhole(fee) || !isExactWhole(fees)) return false;

    const realizedChanged = word.realized !== row[at + REALIZED_UNITS];
    row[at + STEPS] = word.steps;
    row[at + TICKS] = word.ticks;
    row[at + REALIZED_UNITS] = word.realized;
    p.stepDecimals[i] = step;
    p.priceDecimals[i] = tick;
    accountFloats[account + FEE_UNITS] = fees;
    const moneyScale = FLOAT_POW10[step + tick]!;
    row[at + QUANTITY_NUM] = word.steps / FLOAT_POW10[step]!;
    row[at + COST_BASIS_NUM] = (word.steps * word.ticks) / moneyScale;
    accountFloats[account + FEES_NUM] = fees / FEE_UNITS_PER_QUOTE;
    const rows = this.#rows;
    rows.stale[i] = 1;
    if (rows.listed[i] === 0) {
      rows.listed[i] = 1;
      rows.staleRows.push(i);
    }
    if (realizedChanged) {
      accountFloats[account + REALIZED_NUM] =
        accountFloats[account + SYMBOL_COUNT] === 1
          ? word.realized / moneyScale
          : this.#realizedNumInWords(i);
    }
    if (word.closed) recordClosedTrade(armBook, word.closedPnl / moneyScale);
    return true;
  }

  /**
   * A fill's fee in units of 10⁻⁸ as a whole float: the venue's, `feePerUnit × quantity` rounded
   * half-even, or the fill's own fee. NaN when it is not a whole number of units under 2⁵³ (a
   * reported fee with more places).
   */
  #feeUnits(
    fill: FillReport,
    quantitySteps: number,
    quantityDecimals: number,
    quantity: StepQuantity | bigint | undefined,
    feePerUnit: Decimal | undefined,
  ): number {
    if (feePerUnit !== undefined) {
      if (feePerUnit !== this.#wordFeePerUnit) {
        this.#wordFeePerUnit = feePerUnit;
        const places = feePerUnit.decimalPlaces();
        this.#wordFeePlaces = places;
        this.#wordFeeMantissa = places > PRICE_DIGITS ? NaN : Number(toRaw(feePerUnit, places));
      }
      // fee = mantissa × steps × 10^−(places + decimals), in units of 10⁻⁸.
      const product = this.#wordFeeMantissa * quantitySteps;
      const shift = this.#wordFeePlaces + quantityDecimals - VENUE_FEE_DECIMALS;
      if (isExactWhole(product)) {
        if (shift <= 0) return product * FLOAT_POW10[-shift]!;
        if (shift <= MAX_WORD_MONEY_DECIMALS) {
          const units = divideHalfEven(product, FLOAT_POW10[shift]!);
          if (!Number.isNaN(units)) return units;
        }
      }
      // A product past 2⁵³ (a fee per unit of many places): the exact fee, then its units.
      const size = rawQuantity(quantity, fill);
      return Number(this.#feeRaw(fill, size, feePerUnit) / VENUE_FEE_UNIT);
    }
    const fee = fill.fee;
    if (fee.isZero()) return 0;
    if (fee.decimalPlaces() > VENUE_FEE_DECIMALS) return NaN;
    return Number(toRaw(fee, VENUE_FEE_DECIMALS));
  }

  /**
   * Account `i`'s realized P&L as the nearest float, as {@link rawToFloat} gives it from the
   * `bigint`s: its positions' realized P&L summed exactly in the finest of their money units
   * (one position: its own), else, past 2⁵³, from the exact sum.
   */
  #realizedNumInWords(i: number): number {
    const at = i * POSITION_FLOATS;
    let places = 0;
    this.#forEachPosition(i, (p) => {
      places = Math.max(places, p.stepDecimals[i]! + p.priceDecimals[i]!);
    });
    let units = 0;
    let exact = true;
    this.#forEachPosition(i, (p) => {
      const scale = FLOAT_POW10[places - p.stepDecimals[i]! - p.priceDecimals[i]!]!;
      const term = p.floats[at + REALIZED_UNITS]! * scale;
      units += term;
      exact &&= isExactWhole(term) && isExactWhole(units);
    });
    if (exact) return units / FLOAT_POW10[places]!;
    this.#sync(i);
    return moneyFloat(this.#rows.realized[i]!);
  }

  /** Books a fill in account `i`'s `bigint` columns and their float mirrors. */
  #bookInBigints(
    i: number,
    p: PositionColumns,
    buy: boolean,
    fill: FillReport,
    quantity: StepQuantity | bigint | undefined,
    feePerUnit: Decimal | undefined,
    armBook: ArmBook,
  ): void {
    const rows = this.#rows;
    const price = (this.#lastPriceRaw ??= toRaw(fill.price, PRICE_DIGITS));
    // The account's tick in the symbol: the finest increment among its fill prices there so far,
    // this one included (its own fills only, so one account's books never depend on another's).
    let tick = p.priceDecimals[i]!;
    if (this.#lastPriceDecimals > tick) {
      tick = this.#lastPriceDecimals;
      p.priceDecimals[i] = tick;
    }
    const size = rawQuantity(quantity, fill);
    const held = p.quantity[i]!;
    const heldAvg = p.avgPrice[i]!;
    const next = buy ? held + size : held - size;
    let avgPrice: bigint;
    let basis: bigint;
    let realized: bigint | null = null;

    if (held === 0n) {
      // Open from flat: no division.
      avgPrice = price;
      basis = next * price;
    } else if (held > 0n === buy) {
      // Add: new average cost, rounded to the account's tick (the one rounding point); its
      // residual goes to realized P&L so that realized − cost basis stays exactly the cash flow.
      const notional = size * price;
      const heldBasis = held * heldAvg;
      const cost = buy ? heldBasis + notional : heldBasis - notional;
      avgPrice = averageCostRaw(cost, next, tick);
      basis = next * avgPrice;
      const residual = cost - basis;
      if (residual !== 0n) realized = -residual;
    } else if (next === 0n || next > 0n === held > 0n) {
      // Reduce or close: realize (fill − avg) × closed for a long, (avg − fill) × closed for a short.
      realized = buy ? (heldAvg - price) * size : (price - heldAvg) * size;
      recordClosedTrade(armBook, moneyFloat(realized));
      if (next === 0n) {
        avgPrice = 0n;
        basis = 0n;
      } else {
        avgPrice = heldAvg;
        basis = next * avgPrice;
      }
    } else {
      // Flip: close the whole position, open the rest at the fill price.
      realized = (price - heldAvg) * held;
      recordClosedTrade(armBook, moneyFloat(realized));
      avgPrice = price;
      basis = next * price;
    }

    const positionFloats = p.floats;
    const position = i * POSITION_FLOATS;
    const accountFloats = rows.floats;
    const account = i * ACCOUNT_FLOATS;
    p.quantity[i] = next;
    p.avgPrice[i] = avgPrice;
    positionFloats[position + QUANTITY_NUM] = qtyFloat(next);
    positionFloats[position + COST_BASIS_NUM] = moneyFloat(basis);
    if (realized !== null) {
      const total = rows.realized[i]! + realized;
      rows.realized[i] = total;
      accountFloats[account + REALIZED_NUM] = moneyFloat(total);
    }
    const fee = this.#feeRaw(fill, size, feePerUnit);
    if (fee !== 0n) {
      const total = rows.fees[i]! + fee;
      rows.fees[i] = total;
      accountFloats[account + FEES_NUM] = moneyFloat(total);
    }
  }

  /**
   * Brings account `i`'s `bigint` columns up to date with its words (a no-op for an account in
   * `bigint`s, or one whose words have not changed since): every exact reader calls it first.
   */
  #sync(i: number): void {
    const rows = this.#rows;
    if (rows.stale[i] === 0) return;
    rows.stale[i] = 0;
    let realized = 0n;
    const at = i * POSITION_FLOATS;
    this.#forEachPosition(i, (p) => {
      const step = p.stepDecimals[i]!;
      const tick = p.priceDecimals[i]!;
      const row = p.floats;
      p.quantity[i] = BigInt(row[at + STEPS]!) * pow10(QTY_DIGITS - step);
      p.avgPrice[i] = BigInt(row[at + TICKS]!) * pow10(PRICE_DIGITS - tick);
      realized += BigInt(row[at + REALIZED_UNITS]!) * pow10(MONEY_DIGITS - step - tick);
    });
    rows.realized[i] = realized;
    rows.fees[i] = BigInt(rows.floats[i * ACCOUNT_FLOATS + FEE_UNITS]!) * VENUE_FEE_UNIT;
  }

  /** {@link #sync} for every account whose words changed (before a pass over all accounts). */
  #syncAll(): void {
    const rows = this.#rows;
    for (const i of rows.staleRows) {
      this.#sync(i);
      rows.listed[i] = 0;
    }
    rows.staleRows.length = 0;
  }

  /** Moves account `i` to `bigint` books for good: its words could not hold a fill. */
  #toBigints(i: number): void {
    this.#sync(i);
    this.#rows.words[i] = 0;
  }

  /**
   * Remembers a fill price: the broker hands every fill of one order batch the same decimal
   * object, so its places and mantissa (and its raw value, when the `bigint` books need it) are
   * worked out once, by identity.
   * @throws ConfigError `E_PRECISION` for a price of more than 24 places.
   */
  #notePrice(price: Decimal): void {
    if (price !== this.#lastPrice) {
      const places = price.decimalPlaces();
      if (places > PRICE_DIGITS) toRaw(price, PRICE_DIGITS); // refuses it
      this.#lastPriceDecimals = places;
      const mantissa = Number(toRaw(price, places));
      this.#lastPriceMantissa = isExactWhole(mantissa) ? mantissa : NaN;
      this.#lastPriceRaw = null;
      this.#lastPrice = price;
    }
  }

  /**
   * A fill's fee as raw money: the venue's fee, `feePerUnit × quantity` rounded half-even to
   * 10⁻⁸ (core/venue-fee.ts), in scaled integers when the fee per unit fits a raw price
   * (24 places; it is remembered by identity, as fills of one event share it), else the fill's
   * own fee decimal.
   */
  #feeRaw(fill: FillReport, size: bigint, feePerUnit: Decimal | undefined): bigint {
    if (feePerUnit !== undefined) {
      if (feePerUnit !== this.#lastFeePerUnit) {
        this.#lastFeePerUnit = feePerUnit;
        this.#lastFeePerUnitRaw =
          feePerUnit.decimalPlaces() <= PRICE_DIGITS ? toRaw(feePerUnit, PRICE_DIGITS) : null;
      }
      if (this.#lastFeePerUnitRaw !== null) {
        const fee = this.#lastFeePerUnitRaw * size;
        return roundScaled(fee, MONEY_DIGITS, VENUE_FEE_DECIMALS) * VENUE_FEE_UNIT;
      }
    }
    return fill.fee.isZero() ? 0n : toRaw(fill.fee, MONEY_DIGITS);
  }

  /**
   * Equity and position of one account as floats, for sizing: float mirrors of the exact books,
   * marked at each symbol's float mark. O(positions of the account), no Decimal work. The account
   * by id or by its handle ({@link LedgerAccount}: no lookup).
   * @throws RangeError for an unknown account.
   */
  accountView(account: string | LedgerAccount, symbol: string): LedgerAccountView {
    return { equity: this.equityNum(account), position: this.positionNum(account, symbol) };
  }

  /** {@link accountView}'s equity alone (no object: the engine sizes every account of an arm). */
  equityNum(account: string | LedgerAccount): number {
    return this.#equityNum(typeof account === 'string' ? this.#row(account) : this.#own(account));
  }

  /** {@link accountView}'s position alone. */
  positionNum(account: string | LedgerAccount, symbol: string): number {
    const i = typeof account === 'string' ? this.#row(account) : this.#own(account);
    return this.#knownColumns(symbol)?.floats[i * POSITION_FLOATS + QUANTITY_NUM] ?? 0;
  }

  /** An account's float equity: capital + realized − fees + Σ unrealized, positions in its order. */
  #equityNum(i: number): number {
    const floats = this.#rows.floats;
    const account = i * ACCOUNT_FLOATS;
    let equity = floats[account + CAPITAL_NUM]! + floats[account + REALIZED_NUM]!;
    equity -= floats[account + FEES_NUM]!;
    const count = floats[account + SYMBOL_COUNT]!;
    const position = i * POSITION_FLOATS;
    for (let rank = 0; rank < count; rank++) {
      const p = this.#symbolList[this.#order.symbolAt(rank)[i]!]!;
      const quantityNum = p.floats[position + QUANTITY_NUM]!;
      if (quantityNum !== 0) {
        equity += quantityNum * p.mark.priceNum - p.floats[position + COST_BASIS_NUM]!;
      }
    }
    return equity;
  }

  /**
   * The exact books of one account at the current marks.
   * @throws RangeError for an unknown account.
   */
  accountSnapshot(accountId: string): AccountSnapshot {
    const i = this.#row(accountId);
    this.#sync(i);
    const rows = this.#rows;
    const positions: PositionSnapshot[] = [];
    let unrealized = 0n;
    this.#forEachPosition(i, (p) => {
      const quantity = p.quantity[i]!;
      if (quantity === 0n) return;
      const markPrice = markOf(p.mark);
      const avgPrice = p.avgPrice[i]!;
      const unrealizedPnl = quantity * (markRawOf(p.mark) - avgPrice);
      unrealized += unrealizedPnl;
      positions.push({
        symbol: p.mark.symbol,
        quantity: fromRaw(quantity, QTY_DIGITS),
        avgPrice: fromRaw(avgPrice, PRICE_DIGITS),
        costBasis: money(quantity * avgPrice),
        markPrice,
        unrealizedPnl: money(unrealizedPnl),
      });
    });
    positions.sort((a, b) => compareStrings(a.symbol, b.symbol));
    const realized = rows.realized[i]!;
    const fees = rows.fees[i]!;
    return {
      accountId,
      arm: this.#armOfRow(i) === this.#arms.stable ? 'stable' : 'canary',
      capital: rows.capital[i]!,
      realizedPnl: money(realized),
      unrealizedPnl: money(unrealized),
      fees: money(fees),
      equity: money(rows.capitalRaw[i]! + realized + unrealized - fees),
      positions,
    };
  }

  /**
   * One account's books at the current marks as raw money (10⁻⁴², fixed-point.ts): the figures of
   * {@link accountSnapshot} without its positions and without a decimal object, for reports that
   * write a line per account (accounts.csv: 100,000 accounts).
   * @throws RangeError for an unknown account.
   */
  accountBooks(accountId: string): AccountBooks {
    const i = this.#row(accountId);
    this.#sync(i);
    const rows = this.#rows;
    const capital = rows.capitalRaw[i]!;
    const realized = rows.realized[i]!;
    const fees = rows.fees[i]!;
    const unrealized = this.#exactUnrealized(i);
    return {
      arm: this.#armOfRow(i) === this.#arms.stable ? 'stable' : 'canary',
      capital,
      realized,
      unrealized,
      fees,
      equity: capital + realized + unrealized - fees,
    };
  }

  /**
   * The exact books of one arm at the current marks: the sums over the accounts on it, so exact by
   * construction. O(accounts × symbols) integer work: for reports and decisions, not per event
   * (per-interval sampling uses {@link armEquityNum}).
   */
  armTotals(arm: Arm): ArmTotals {
    this.#syncAll();
    const book = this.#arms[arm];
    const rows = this.#rows;
    const code = book.code;
    // Sums over the accounts on the arm now, and their baselines from when they joined it.
    let realized = 0n;
    let fees = 0n;
    let joinedRealized = 0n;
    let joinedFees = 0n;
    let joinedUnrealized = 0n;
    for (let i = 0; i < rows.size; i++) {
      if (rows.open[i] === 0 || rows.arm[i] !== code) continue;
      realized += rows.realized[i]!;
      fees += rows.fees[i]!;
      joinedRealized += rows.joinedRealized[i]!;
      joinedFees += rows.joinedFees[i]!;
      joinedUnrealized += rows.joinedUnrealized[i]!;
    }
    const positions: ArmPositionTotals[] = [];
    let unrealized = 0n;
    for (const p of this.#symbolList) {
      // A symbol any account on the arm has traded, flat or not.
      let held = false;
      let quantity = 0n;
      let costBasis = 0n;
      for (let i = 0; i < rows.size; i++) {
        if (p.touched[i] === 0 || rows.open[i] === 0 || rows.arm[i] !== code) continue;
        held = true;
        quantity += p.quantity[i]!;
        costBasis += p.quantity[i]! * p.avgPrice[i]!;
      }
      if (!held) continue;
      const markPrice = markOf(p.mark);
      if (quantity !== 0n || costBasis !== 0n) {
        unrealized += quantity * markRawOf(p.mark) - costBasis;
      }
      positions.push({
        symbol: p.mark.symbol,
        quantity: fromRaw(quantity, QTY_DIGITS),
        costBasis: money(costBasis),
        markPrice,
      });
    }
    positions.sort((a, b) => compareStrings(a.symbol, b.symbol));
    const departed = book.departed;
    const realizedPnl = realized - joinedRealized + departed.realized;
    const feesPaid = fees - joinedFees + departed.fees;
    const unrealizedPnl = unrealized - joinedUnrealized + departed.unrealized;
    return {
      arm,
      accounts: book.accounts,
      capital: money(book.capital),
      realizedPnl: money(realizedPnl),
      unrealizedPnl: money(unrealizedPnl),
      fees: money(feesPaid),
      pnl: money(realizedPnl + unrealizedPnl - feesPaid),
      equity: money(book.capital + realized + unrealized - fees),
      contributed: money(book.contributed),
      positions,
    };
  }

  /**
   * An arm's equity, capital, contributed equity and gross notional as floats, from sums of its
   * accounts' float mirrors kept on every fill and move: O(symbols), no decimal work. For
   * per-interval sampling and per-report risk checks (statistics, not money).
   */
  armEquityNum(arm: Arm): ArmEquityNum {
    const book = this.#arms[arm];
    let equity = book.capitalNum + book.realizedNum - book.feesNum;
    let grossNotional = 0;
    for (const sums of book.symbolsNum.values()) {
      if (sums.quantity === 0 && sums.costBasis === 0 && sums.gross === 0) continue;
      const mark = sums.mark.priceNum;
      equity += sums.quantity * mark - sums.costBasis;
      grossNotional += sums.gross * mark;
    }
    return {
      equity,
      capital: book.capitalNum,
      contributed: book.contributedNum,
      grossNotional,
      accounts: book.accounts,
    };
  }

  /** The arm's closed trades so far (see {@link ArmTradeStats}). O(1). */
  armTradeStats(arm: Arm): ArmTradeStats {
    const t = this.#arms[arm].trades;
    return {
      closedTrades: t.closed,
      winningTrades: t.winning,
      grossProfit: t.grossProfit,
      grossLoss: t.grossLoss,
    };
  }

  /** The arm an account is on. @throws RangeError for an unknown account. */
  armOf(accountId: string): Arm {
    return this.#rows.arm[this.#row(accountId)] === STABLE_CODE ? 'stable' : 'canary';
  }

  /** Accounts open in the ledger (added and not removed). O(1). */
  get openAccounts(): number {
    return this.#index.size;
  }

  /**
   * Open accounts whose books are in `bigint`s: their machine words could not hold a fill (or the
   * ledger was made with `machineWords: false`). O(accounts): for reports and probes.
   */
  get accountsInBigints(): number {
    const rows = this.#rows;
    let count = 0;
    for (let i = 0; i < rows.size; i++) if (rows.open[i] === 1 && rows.words[i] === 0) count++;
    return count;
  }

  /** True when the account is known to the ledger. */
  hasAccount(accountId: string): boolean {
    return this.#index.has(accountId);
  }

  /**
   * The handle of an account's books (see {@link LedgerAccount}); valid until the account is
   * removed.
   * @throws RangeError for an unknown account.
   */
  account(accountId: string): LedgerAccount {
    return new AccountHandle(accountId, this.#row(accountId), this);
  }

  /**
   * Moves an account, with its positions and P&L, to another arm (a no-op when it is already
   * there). Both arms' aggregates stay the exact sums of their accounts; the account's equity at
   * the current marks moves from one arm's `contributed` to the other's. O(positions of the account).
   * @throws RangeError for an unknown account.
   */
  moveAccount(accountId: string, toArm: Arm): void {
    const i = this.#row(accountId);
    const from = this.#armOfRow(i);
    const to = this.#arms[toArm];
    if (from === to) return;
    this.#sync(i);
    const capitalRaw = this.#rows.capitalRaw[i]!;
    const equity = this.#exactEquity(i);
    this.#leave(from, i);
    this.#addToArmNum(from, i, -1);
    this.#addToArmNum(to, i, +1);
    from.accounts--;
    clearFloatSumsIfEmpty(from);
    from.capital -= capitalRaw;
    from.contributed -= equity;
    from.contributedNum = moneyFloat(from.contributed);
    to.accounts++;
    to.capital += capitalRaw;
    to.contributed += equity;
    to.contributedNum = moneyFloat(to.contributed);
    this.#rows.arm[i] = to.code;
  }

  /**
   * The buying-power check: true when, after filling `order` at `fillPrice`, the account's gross
   * notional (Σ |quantity| × mark, the order's symbol at the fill price) is at most
   * `maxLeverage × equity` (equity marked the same way, before the fill's fee). An order that only
   * reduces a position (no flip) is always affordable.
   *
   * Runs on every fill, so it decides on the float mirrors first and falls back to the exact
   * decimal computation only when the two sides are within a relative 1e-9 of each other: the
   * answer is the exact one, at float cost in all but borderline cases.
   * `handle`, when given, is the order's account's (no lookup by id), and `quantity` the
   * order's quantity in steps or raw units (10⁻¹⁸; no decimal read).
   * @throws RangeError for an unknown account or a `maxLeverage` that is not a positive number.
   */
  canAfford(
    order: Order,
    fillPrice: Decimal,
    maxLeverage: number,
    handle?: LedgerAccount,
    quantity?: StepQuantity | bigint,
  ): boolean {
    if (!(maxLeverage > 0) || !Number.isFinite(maxLeverage)) {
      throw new RangeError(`maxLeverage must be a positive number, got ${maxLeverage}`);
    }
    const i = handle === undefined ? this.#row(order.accountId) : this.#own(handle);
    const rows = this.#rows;
    const columns = this.#knownColumns(order.symbol);
    const position = columns !== undefined && columns.touched[i] === 1 ? columns : undefined;
    const positionAt = i * POSITION_FLOATS;
    const heldNum = position?.floats[positionAt + QUANTITY_NUM] ?? 0;
    const sizeNum = order.quantityNum ?? decimalToFloat(order.quantity);
    const buy = order.side === 'buy';
    // Reducing (same-or-smaller size on the same side, or flat): decided in floats unless the
    // order's size is within rounding of the position's.
    if (heldNum !== 0 && buy === heldNum < 0) {
      const held = Math.abs(heldNum);
      if (sizeNum < held * (1 - FLOAT_BAND)) return true;
      // Closing exactly (the common exit) or by a hair more: one exact comparison settles the
      // close; a hair's flip goes on to the full check.
      if (sizeNum <= held * (1 + FLOAT_BAND) && position !== undefined) {
        if (this.#sizeAtMostHeld(i, position, order, quantity)) return true;
      }
    }
    const fillPriceNum = this.#fillPriceFloat.of(fillPrice);
    const nextNum = buy ? heldNum + sizeNum : heldNum - sizeNum;
    const floats = rows.floats;
    const account = i * ACCOUNT_FLOATS;
    let equity = floats[account + CAPITAL_NUM]! + floats[account + REALIZED_NUM]!;
    equity -= floats[account + FEES_NUM]!;
    let gross = Math.abs(nextNum) * fillPriceNum;
    const count = floats[account + SYMBOL_COUNT]!;
    for (let rank = 0; rank < count; rank++) {
      const other = this.#symbolList[this.#order.symbolAt(rank)[i]!]!;
      const otherNum = other.floats[positionAt + QUANTITY_NUM]!;
      if (otherNum === 0) continue;
      const markPrice = other === position ? fillPriceNum : other.mark.priceNum;
      equity += otherNum * markPrice - other.floats[positionAt + COST_BASIS_NUM]!;
      if (other !== position) gross += Math.abs(otherNum) * markPrice;
    }
    const limit = equity * maxLeverage;
    const band = Math.abs(limit) * FLOAT_BAND + FLOAT_BAND;
    if (gross < limit - band) return true;
    if (gross > limit + band) return false;
    return this.#canAffordExactly(i, order, fillPrice, maxLeverage);
  }

  /** True when the order's size is at most the account's position in the symbol, exactly. */
  #sizeAtMostHeld(
    i: number,
    position: PositionColumns,
    order: Order,
    quantity: StepQuantity | bigint | undefined,
  ): boolean {
    if (this.#rows.words[i] === 1 && quantity !== undefined && typeof quantity !== 'bigint') {
      // In the position's steps, or the position in the order's when those are finer.
      const step = position.stepDecimals[i]!;
      const held = Math.abs(position.floats[i * POSITION_FLOATS + STEPS]!);
      if (quantity.decimals <= step) {
        const size = quantity.steps * FLOAT_POW10[step - quantity.decimals]!;
        if (isExactWhole(size)) return size <= held;
      } else {
        const heldSteps = held * FLOAT_POW10[quantity.decimals - step]!;
        if (isExactWhole(heldSteps)) return quantity.steps <= heldSteps;
      }
    }
    this.#sync(i);
    const size = rawQuantity(quantity, order);
    const heldRaw = position.quantity[i]!;
    return size <= (heldRaw < 0n ? -heldRaw : heldRaw);
  }

  /** {@link canAfford} exactly, in scaled integers (the borderline cases). */
  #canAffordExactly(i: number, order: Order, fillPrice: Decimal, maxLeverage: number): boolean {
    this.#sync(i);
    const rows = this.#rows;
    const position = this.#knownColumns(order.symbol);
    const held = position?.quantity[i] ?? 0n;
    const size = toRaw(order.quantity, QTY_DIGITS);
    const next = order.side === 'buy' ? held + size : held - size;
    const abs = (x: bigint): bigint => (x < 0n ? -x : x);
    const reduces =
      next === 0n || (held !== 0n && next > 0n === held > 0n && abs(next) <= abs(held));
    if (reduces) return true;
    const fill = toRaw(fillPrice, PRICE_DIGITS);
    let equity = rows.capitalRaw[i]! + rows.realized[i]! - rows.fees[i]!;
    let gross = abs(next) * fill;
    this.#forEachPosition(i, (other) => {
      const quantity = other.quantity[i]!;
      if (quantity === 0n) return;
      const markPrice = other === position ? fill : markRawOf(other.mark);
      equity += quantity * (markPrice - other.avgPrice[i]!);
      if (other !== position) gross += abs(quantity) * markPrice;
    });
    // gross ≤ equity × maxLeverage, exactly: the leverage as an exact decimal fraction.
    const leverage = new Decimal(maxLeverage);
    const places = Math.max(0, leverage.decimalPlaces());
    return gross * pow10(places) <= equity * toRaw(leverage, places);
  }

  /** Adds (sign +1) or removes (-1) an account's float mirrors to or from an arm's sums. */
  #addToArmNum(armBook: ArmBook, i: number, sign: 1 | -1): void {
    const floats = this.#rows.floats;
    const account = i * ACCOUNT_FLOATS;
    armBook.capitalNum += sign * floats[account + CAPITAL_NUM]!;
    armBook.realizedNum += sign * floats[account + REALIZED_NUM]!;
    armBook.feesNum += sign * floats[account + FEES_NUM]!;
    const position = i * POSITION_FLOATS;
    this.#forEachPosition(i, (p) => {
      const sums = armSymbolNumOf(armBook, p);
      const quantityNum = p.floats[position + QUANTITY_NUM]!;
      sums.quantity += sign * quantityNum;
      sums.gross += sign * Math.abs(quantityNum);
      sums.costBasis += sign * p.floats[position + COST_BASIS_NUM]!;
    });
  }

  /**
   * An account leaves an arm: the arm keeps what the account earned while on it, and the account's
   * baseline restarts from its current figures for the arm it joins.
   */
  #leave(armBook: ArmBook, i: number): void {
    const rows = this.#rows;
    const realized = rows.realized[i]!;
    const fees = rows.fees[i]!;
    const unrealized = this.#exactUnrealized(i);
    const departed = armBook.departed;
    armBook.departed = {
      realized: departed.realized + realized - rows.joinedRealized[i]!,
      fees: departed.fees + fees - rows.joinedFees[i]!,
      unrealized: departed.unrealized + unrealized - rows.joinedUnrealized[i]!,
    };
    rows.joinedRealized[i] = realized;
    rows.joinedFees[i] = fees;
    rows.joinedUnrealized[i] = unrealized;
  }

  /** The account's unrealized P&L at the current marks, raw money. */
  #exactUnrealized(i: number): bigint {
    let unrealized = 0n;
    this.#forEachPosition(i, (p) => {
      const quantity = p.quantity[i]!;
      if (quantity === 0n) return;
      unrealized += quantity * (markRawOf(p.mark) - p.avgPrice[i]!);
    });
    return unrealized;
  }

  /** The account's equity at the current marks, raw money. */
  #exactEquity(i: number): bigint {
    const rows = this.#rows;
    return rows.capitalRaw[i]! + rows.realized[i]! - rows.fees[i]! + this.#exactUnrealized(i);
  }

  /** Calls `visit` with the columns of every symbol the account has traded, in the order it did. */
  #forEachPosition(i: number, visit: (columns: PositionColumns) => void): void {
    const count = this.#rows.floats[i * ACCOUNT_FLOATS + SYMBOL_COUNT]!;
    for (let rank = 0; rank < count; rank++) {
      visit(this.#symbolList[this.#order.symbolAt(rank)[i]!]!);
    }
  }

  #armOfRow(i: number): ArmBook {
    return this.#armByCode[this.#rows.arm[i]!]!;
  }

  /** The row behind a handle, which must be this ledger's and still open. */
  #own(handle: LedgerAccount): number {
    if (
      !(handle instanceof AccountHandle) ||
      handle.ledger !== this ||
      this.#rows.open[handle.index] !== 1
    ) {
      throw new RangeError(`ledger: account handle "${handle.id}" is not open in this ledger`);
    }
    return handle.index;
  }

  #row(accountId: string): number {
    const rows = this.#rows;
    const next = this.#nextRow;
    if (next < rows.size && rows.ids[next] === accountId && rows.open[next] === 1) {
      this.#nextRow = next + 1;
      return next;
    }
    const index = this.#index.get(accountId);
    if (index === undefined) throw new RangeError(`ledger: unknown account "${accountId}"`);
    this.#nextRow = index + 1;
    return index;
  }

  /** The symbol's columns if it has been seen (remembered by identity: fills of an event share it). */
  #knownColumns(symbol: string): PositionColumns | undefined {
    if (symbol !== this.#lastSymbol || this.#lastSymbolColumns === undefined) {
      const columns = this.#symbols.get(symbol);
      if (columns === undefined) return undefined;
      this.#lastSymbol = symbol;
      this.#lastSymbolColumns = columns;
    }
    return this.#lastSymbolColumns;
  }

  /** The symbol's columns, created (with its mark) on first sight. */
  #columnsOf(symbol: string): PositionColumns {
    const known = this.#knownColumns(symbol);
    if (known !== undefined) return known;
    const columns = new PositionColumns(
      this.#symbolList.length,
      new SymbolMark(symbol),
      this.#rows.capacity,
    );
    this.#symbols.set(symbol, columns);
    this.#symbolList.push(columns);
    return columns;
  }

  /** The account's position columns in `symbol`, its position opened (flat) on first use. */
  #position(i: number, symbol: string): PositionColumns {
    const columns = this.#columnsOf(symbol);
    if (columns.touched[i] === 0) {
      columns.touched[i] = 1;
      const floats = this.#rows.floats;
      const rank = floats[i * ACCOUNT_FLOATS + SYMBOL_COUNT]!;
      this.#order.set(rank, i, columns.index);
      floats[i * ACCOUNT_FLOATS + SYMBOL_COUNT] = rank + 1;
    }
    return columns;
  }
}

/** Counts a closed trade of the arm, its P&L (before fees) as a float. */
function recordClosedTrade(armBook: ArmBook, pnl: number): void {
  const trades = armBook.trades;
  trades.closed++;
  if (pnl > 0) {
    trades.winning++;
    trades.grossProfit += pnl;
  } else if (pnl < 0) trades.grossLoss -= pnl;
}

function newArmBook(code: number): ArmBook {
  return {
    code,
    accounts: 0,
    capital: 0n,
    contributed: 0n,
    contributedNum: 0,
    capitalNum: 0,
    realizedNum: 0,
    feesNum: 0,
    symbolsNum: new Map(),
    symbolsNumByIndex: [],
    departed: NOTHING,
    trades: { closed: 0, winning: 0, grossProfit: 0, grossLoss: 0 },
  };
}

/**
 * An arm left with no accounts has float sums of exactly zero: subtracting each account's mirrors
 * leaves rounding residue (1e-9 of equity), which an equity curve would read as a −100 % return.
 */
function clearFloatSumsIfEmpty(book: ArmBook): void {
  if (book.accounts > 0) return;
  book.capitalNum = 0;
  book.realizedNum = 0;
  book.feesNum = 0;
  book.symbolsNum.clear();
  book.symbolsNumByIndex.length = 0;
}

function armSymbolNumOf(book: ArmBook, columns: PositionColumns): ArmSymbolNum {
  let sums = book.symbolsNumByIndex[columns.index];
  if (sums === undefined) {
    sums = { mark: columns.mark, quantity: 0, gross: 0, costBasis: 0 };
    book.symbolsNum.set(columns.mark.symbol, sums);
    book.symbolsNumByIndex[columns.index] = sums;
  }
  return sums;
}

/** A held symbol always has a mark: at worst the price of the fill that opened it. */
function markOf(mark: SymbolMark): Decimal {
  const price = mark.price;
  if (price === null) throw new Error(`ledger: no mark for ${mark.symbol}`);
  return price;
}

/** A symbol's mark as a raw price (converted once per mark: fixed-point.ts). */
function markRawOf(mark: SymbolMark): bigint {
  const price = mark.priceRaw;
  if (price === null) throw new Error(`ledger: no mark for ${mark.symbol}`);
  return price;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
