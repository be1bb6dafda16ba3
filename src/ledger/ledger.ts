import type { Account } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import type { FillReport } from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import type {
  AccountSnapshot,
  ArmPositionTotals,
  ArmTotals,
  PositionSnapshot,
} from './ledger-snapshot.js';
import { SymbolMark } from './symbol-mark.js';
import { decimalToFloat } from '../core/decimal-to-float.js';
import {
  averageCostRaw,
  fromRaw,
  MONEY_DIGITS,
  pow10,
  PRICE_DIGITS,
  QTY_DIGITS,
  rawToFloat,
  toRaw,
} from './fixed-point.js';

/** A raw quantity as a float mirror. */
const qtyFloat = (raw: bigint): number => rawToFloat(raw, QTY_DIGITS);
/** Raw money as a float mirror. */
const moneyFloat = (raw: bigint): number => rawToFloat(raw, MONEY_DIGITS);
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

/** What the engine's sizing reads of one account: floats, marked at the last price. */
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

export interface LedgerAccountView {
  /** Capital + realized + unrealized − fees, quote currency (float mirror). */
  readonly equity: number;
  /** Signed quantity held in the symbol, base units (float mirror; filled orders only). */
  readonly position: number;
}

/** One position, exact in raw fixed point (fixed-point.ts): quantity 10⁻¹⁸, price 10⁻²⁴, money 10⁻⁴². */
interface Position {
  readonly mark: SymbolMark;
  /** Signed base units, raw. */
  quantity: bigint;
  /** Raw price; zero when flat. */
  avgPrice: bigint;
  /** quantity × avgPrice, signed, raw money. */
  costBasis: bigint;
  quantityNum: number;
  costBasisNum: number;
}

/**
 * One account's books, as a handle: the engine keeps it beside the account and passes it to
 * {@link Ledger.applyFill} and {@link Ledger.canAfford}, which then need no lookup by id (with
 * 100,000 accounts a lookup by id is a cache miss per fill). Opaque: only its ledger reads it.
 */
export interface LedgerAccount {
  readonly id: string;
}

interface AccountBook extends LedgerAccount {
  /** The ledger this account belongs to (a handle from another ledger is refused). */
  readonly ledger: Ledger;
  /** False once the account is removed (its handle is then refused). */
  open: boolean;
  arm: Arm;
  readonly capital: Decimal;
  /** The capital, raw money. */
  readonly capitalRaw: bigint;
  readonly capitalNum: number;
  /** Raw money. */
  realized: bigint;
  /** Raw money. */
  fees: bigint;
  realizedNum: number;
  feesNum: number;
  readonly positions: Map<string, Position>;
  /** The same positions, for allocation-free iteration. */
  readonly positionList: Position[];
  /** The account's realized P&L, fees and unrealized P&L when it joined its current arm. */
  joinedWith: Attributed;
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
  /** The arm's accounts, in the order they joined it. */
  readonly accounts: Set<AccountBook>;
  /** Raw money. */
  capital: bigint;
  /** Raw money. */
  contributed: bigint;
  contributedNum: number;
  // Float mirrors summed over the arm's accounts, kept incrementally from the accounts' mirrors.
  capitalNum: number;
  realizedNum: number;
  feesNum: number;
  readonly symbolsNum: Map<string, ArmSymbolNum>;
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
 * - Money is exact: scaled integers on the hot path (fixed-point.ts: a fill costs a few bigint
 *   operations, no decimal object), {@link Decimal} in and out. The one rounding point is the
 *   average cost (12 places, half-even) and its residual is booked to realized P&L, so
 *   `realized + unrealized − fees` is the exact cash-flow P&L and arm totals are the exact sums of
 *   their accounts.
 * - A fill touches only its account; an arm's exact totals are summed over its accounts when asked
 *   (O(accounts)), and its float equity likewise for per-interval sampling.
 * - `mark()` is the per-event hot path: it stores a reference and allocates nothing.
 *
 * @example
 * const ledger = new Ledger([{ account: { id: 'a1', capital: new Decimal('10000') }, arm: 'stable' }]);
 * ledger.mark(trade);            // every market event
 * ledger.applyFill(fillReport);  // every fill
 * ledger.armTotals('stable').equity.toFixed();
 */
export class Ledger {
  readonly #accounts = new Map<string, AccountBook>();
  readonly #marks = new Map<string, SymbolMark>();
  readonly #arms: Record<Arm, ArmBook> = { stable: newArmBook(), canary: newArmBook() };
  #lastPrice: Decimal | null = null;
  #lastPriceRaw = 0n;
  #lastFeePerUnit: Decimal | null = null;
  #lastFeePerUnitRaw: bigint | null = null;

  constructor(accounts: Iterable<{ readonly account: Account; readonly arm: Arm }> = []) {
    for (const { account, arm } of accounts) this.addAccount(account, arm);
  }

  /**
   * Opens the books of a new account on `arm` (flat; its capital counts as contributed).
   * @throws ConfigError `E_ACCOUNTS_FILE` for a duplicate id.
   */
  addAccount(account: Account, arm: Arm): void {
    if (this.#accounts.has(account.id)) {
      throw new ConfigError('E_ACCOUNTS_FILE', `duplicate account id "${account.id}"`);
    }
    const capitalRaw = toRaw(account.capital, MONEY_DIGITS);
    const book: AccountBook = {
      ledger: this,
      open: true,
      id: account.id,
      arm,
      capital: account.capital,
      capitalRaw,
      capitalNum: moneyFloat(capitalRaw),
      realized: 0n,
      fees: 0n,
      realizedNum: 0,
      feesNum: 0,
      positions: new Map(),
      positionList: [],
      joinedWith: NOTHING,
    };
    this.#accounts.set(account.id, book);
    const armBook = this.#arms[arm];
    armBook.accounts.add(book);
    armBook.capital += book.capitalRaw;
    armBook.contributed += book.capitalRaw;
    armBook.contributedNum = moneyFloat(armBook.contributed);
    armBook.capitalNum += book.capitalNum;
  }

  /**
   * Closes an account's books and takes it out of its arm (a paper account at the end of a
   * shadow step): its equity at the current marks leaves the arm as a flow (`contributed`), so
   * the arm's returns are not disturbed. An open position goes with it.
   * @throws RangeError for an unknown account.
   */
  removeAccount(accountId: string): void {
    const account = this.#book(accountId);
    const armBook = this.#arms[account.arm];
    const equity = this.#exactEquity(account);
    this.#leave(armBook, account);
    this.#addToArmNum(armBook, account, -1);
    armBook.accounts.delete(account);
    clearFloatSumsIfEmpty(armBook);
    armBook.capital -= account.capitalRaw;
    armBook.contributed -= equity;
    armBook.contributedNum = moneyFloat(armBook.contributed);
    this.#accounts.delete(accountId);
    account.open = false;
  }

  /**
   * Updates the symbol's mark from a market event: called with every event. Keeps a reference only
   * (no Decimal work, no allocation once the symbol is known).
   */
  mark(event: MarketEvent): void {
    let mark = this.#marks.get(event.symbol);
    if (mark === undefined) mark = this.#newMark(event.symbol);
    if (event.type === 'quote') mark.onQuote(event);
    else mark.onTrade(event);
  }

  /** The symbol's current mark (quote mid, else last trade, else last fill), or null if none. */
  markPrice(symbol: string): Decimal | null {
    return this.#marks.get(symbol)?.price ?? null;
  }

  /** Every symbol's current mark, in the order the symbols were first seen (those without one left out). */
  markPrices(): [symbol: string, price: Decimal][] {
    const out: [string, Decimal][] = [];
    for (const [symbol, mark] of this.#marks) {
      const price = mark.price;
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
   * so it costs a few integer operations (docs/accounting.md); arm totals are summed on demand.
   *
   * A caller that has them passes the account's handle, the quantity in raw units (10⁻¹⁸) and the
   * fee per unit of the fill's price (`fee = feePerUnit × quantity`): then no decimal of the fill
   * but its price, shared by the fills of one event, is read (the simulated venue's fills).
   * @throws RangeError for an unknown account or a handle of another ledger.
   */
  applyFill(
    fill: FillReport,
    handle?: LedgerAccount,
    quantityRaw?: bigint,
    feePerUnit?: Decimal,
  ): void {
    const account = handle === undefined ? this.#book(fill.accountId) : this.#own(handle);
    const position = this.#position(account, fill.symbol);
    const armBook = this.#arms[account.arm];
    const oldQuantityNum = position.quantityNum;
    const oldCostBasisNum = position.costBasisNum;
    const oldRealizedNum = account.realizedNum;
    const oldFeesNum = account.feesNum;
    const price = this.#priceRaw(fill.price);
    const size = quantityRaw ?? toRaw(fill.quantity, QTY_DIGITS);
    const buy = fill.side === 'buy';
    const held = position.quantity;
    const next = buy ? held + size : held - size;
    let avgPrice: bigint;
    let basis: bigint;
    let realized: bigint | null = null;

    if (held === 0n) {
      // Open from flat: no division.
      avgPrice = price;
      basis = next * price;
    } else if (held > 0n === buy) {
      // Add: new average cost, the one rounding point; its residual goes to realized P&L so that
      // realized − cost basis stays exactly the cash flow.
      const notional = size * price;
      const cost = buy ? position.costBasis + notional : position.costBasis - notional;
      avgPrice = averageCostRaw(cost, next);
      basis = next * avgPrice;
      const residual = cost - basis;
      if (residual !== 0n) realized = -residual;
    } else if (next === 0n || next > 0n === held > 0n) {
      // Reduce or close: realize (fill − avg) × closed for a long, (avg − fill) × closed for a short.
      realized = buy ? (position.avgPrice - price) * size : (price - position.avgPrice) * size;
      recordClosedTrade(armBook, realized);
      if (next === 0n) {
        avgPrice = 0n;
        basis = 0n;
      } else {
        avgPrice = position.avgPrice;
        basis = next * avgPrice;
      }
    } else {
      // Flip: close the whole position, open the rest at the fill price.
      realized = (price - position.avgPrice) * held;
      recordClosedTrade(armBook, realized);
      avgPrice = price;
      basis = next * price;
    }

    position.quantity = next;
    position.avgPrice = avgPrice;
    position.costBasis = basis;
    position.quantityNum = qtyFloat(next);
    position.costBasisNum = moneyFloat(basis);
    position.mark.onFill(fill.price);

    if (realized !== null) {
      account.realized += realized;
      account.realizedNum = moneyFloat(account.realized);
    }
    const fee = this.#feeRaw(fill, size, feePerUnit);
    if (fee !== 0n) {
      account.fees += fee;
      account.feesNum = moneyFloat(account.fees);
    }

    const sums = armSymbolNumOf(armBook, position.mark);
    sums.quantity += position.quantityNum - oldQuantityNum;
    sums.gross += Math.abs(position.quantityNum) - Math.abs(oldQuantityNum);
    sums.costBasis += position.costBasisNum - oldCostBasisNum;
    armBook.realizedNum += account.realizedNum - oldRealizedNum;
    armBook.feesNum += account.feesNum - oldFeesNum;
  }

  /**
   * A fill price as a raw price. The broker hands every fill of one order batch the same decimal
   * object, so the last conversion is remembered by identity.
   */
  #priceRaw(price: Decimal): bigint {
    if (price !== this.#lastPrice) {
      this.#lastPriceRaw = toRaw(price, PRICE_DIGITS);
      this.#lastPrice = price;
    }
    return this.#lastPriceRaw;
  }

  /**
   * A fill's fee as raw money: `feePerUnit × quantity` in scaled integers when the fee per unit
   * fits a raw price (24 places; it is remembered by identity, as fills of one event share it),
   * else the fill's own fee decimal.
   */
  #feeRaw(fill: FillReport, size: bigint, feePerUnit: Decimal | undefined): bigint {
    if (feePerUnit !== undefined) {
      if (feePerUnit !== this.#lastFeePerUnit) {
        this.#lastFeePerUnit = feePerUnit;
        this.#lastFeePerUnitRaw =
          feePerUnit.decimalPlaces() <= PRICE_DIGITS ? toRaw(feePerUnit, PRICE_DIGITS) : null;
      }
      if (this.#lastFeePerUnitRaw !== null) return this.#lastFeePerUnitRaw * size;
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
    const books = typeof account === 'string' ? this.#book(account) : this.#own(account);
    let equity = books.capitalNum + books.realizedNum - books.feesNum;
    for (const position of books.positionList) {
      if (position.quantityNum !== 0) {
        equity += position.quantityNum * position.mark.priceNum - position.costBasisNum;
      }
    }
    return { equity, position: findPosition(books, symbol)?.quantityNum ?? 0 };
  }

  /**
   * The exact books of one account at the current marks.
   * @throws RangeError for an unknown account.
   */
  accountSnapshot(accountId: string): AccountSnapshot {
    const account = this.#book(accountId);
    const positions: PositionSnapshot[] = [];
    let unrealized = 0n;
    for (const position of account.positionList) {
      if (position.quantity === 0n) continue;
      const markPrice = markOf(position.mark);
      const unrealizedPnl = position.quantity * toRaw(markPrice, PRICE_DIGITS) - position.costBasis;
      unrealized += unrealizedPnl;
      positions.push({
        symbol: position.mark.symbol,
        quantity: fromRaw(position.quantity, QTY_DIGITS),
        avgPrice: fromRaw(position.avgPrice, PRICE_DIGITS),
        costBasis: money(position.costBasis),
        markPrice,
        unrealizedPnl: money(unrealizedPnl),
      });
    }
    positions.sort((a, b) => compareStrings(a.symbol, b.symbol));
    return {
      accountId: account.id,
      arm: account.arm,
      capital: account.capital,
      realizedPnl: money(account.realized),
      unrealizedPnl: money(unrealized),
      fees: money(account.fees),
      equity: money(account.capitalRaw + account.realized + unrealized - account.fees),
      positions,
    };
  }

  /**
   * The exact books of one arm at the current marks: the sums over the accounts on it, so exact by
   * construction. O(accounts × positions) integer work: for reports and decisions, not per event
   * (per-interval sampling uses {@link armEquityNum}).
   */
  armTotals(arm: Arm): ArmTotals {
    const book = this.#arms[arm];
    // Sums over the accounts on the arm now, and their baselines from when they joined it.
    let realized = 0n;
    let fees = 0n;
    let joinedRealized = 0n;
    let joinedFees = 0n;
    let joinedUnrealized = 0n;
    const bySymbol = new Map<string, { mark: SymbolMark; quantity: bigint; costBasis: bigint }>();
    for (const account of book.accounts) {
      realized += account.realized;
      fees += account.fees;
      const joined = account.joinedWith;
      joinedRealized += joined.realized;
      joinedFees += joined.fees;
      joinedUnrealized += joined.unrealized;
      for (const position of account.positionList) {
        let entry = bySymbol.get(position.mark.symbol);
        if (entry === undefined) {
          entry = { mark: position.mark, quantity: 0n, costBasis: 0n };
          bySymbol.set(position.mark.symbol, entry);
        }
        entry.quantity += position.quantity;
        entry.costBasis += position.costBasis;
      }
    }
    const positions: ArmPositionTotals[] = [];
    let unrealized = 0n;
    for (const entry of bySymbol.values()) {
      const markPrice = markOf(entry.mark);
      if (entry.quantity !== 0n || entry.costBasis !== 0n) {
        unrealized += entry.quantity * toRaw(markPrice, PRICE_DIGITS) - entry.costBasis;
      }
      positions.push({
        symbol: entry.mark.symbol,
        quantity: fromRaw(entry.quantity, QTY_DIGITS),
        costBasis: money(entry.costBasis),
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
      accounts: book.accounts.size,
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
      accounts: book.accounts.size,
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
    return this.#book(accountId).arm;
  }

  /** True when the account is known to the ledger. */
  hasAccount(accountId: string): boolean {
    return this.#accounts.has(accountId);
  }

  /**
   * The handle of an account's books (see {@link LedgerAccount}); valid until the account is
   * removed.
   * @throws RangeError for an unknown account.
   */
  account(accountId: string): LedgerAccount {
    return this.#book(accountId);
  }

  /**
   * Moves an account, with its positions and P&L, to another arm (a no-op when it is already
   * there). Both arms' aggregates stay the exact sums of their accounts; the account's equity at
   * the current marks moves from one arm's `contributed` to the other's. O(positions of the account).
   * @throws RangeError for an unknown account.
   */
  moveAccount(accountId: string, toArm: Arm): void {
    const account = this.#book(accountId);
    if (account.arm === toArm) return;
    const from = this.#arms[account.arm];
    const to = this.#arms[toArm];
    const equity = this.#exactEquity(account);
    this.#leave(from, account);
    this.#addToArmNum(from, account, -1);
    this.#addToArmNum(to, account, +1);
    from.accounts.delete(account);
    clearFloatSumsIfEmpty(from);
    from.capital -= account.capitalRaw;
    from.contributed -= equity;
    from.contributedNum = moneyFloat(from.contributed);
    to.accounts.add(account);
    to.capital += account.capitalRaw;
    to.contributed += equity;
    to.contributedNum = moneyFloat(to.contributed);
    account.arm = toArm;
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
   * `handle`, when given, is the order's account's (no lookup by id), and `quantityRaw` the
   * order's quantity in raw units (10⁻¹⁸; no decimal read).
   * @throws RangeError for an unknown account or a `maxLeverage` that is not a positive number.
   */
  canAfford(
    order: Order,
    fillPrice: Decimal,
    maxLeverage: number,
    handle?: LedgerAccount,
    quantityRaw?: bigint,
  ): boolean {
    if (!(maxLeverage > 0) || !Number.isFinite(maxLeverage)) {
      throw new RangeError(`maxLeverage must be a positive number, got ${maxLeverage}`);
    }
    const account = handle === undefined ? this.#book(order.accountId) : this.#own(handle);
    const position = findPosition(account, order.symbol);
    const heldNum = position?.quantityNum ?? 0;
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
        const size = quantityRaw ?? toRaw(order.quantity, QTY_DIGITS);
        if (size <= (position.quantity < 0n ? -position.quantity : position.quantity)) return true;
      }
    }
    const fillPriceNum = decimalToFloat(fillPrice);
    const nextNum = buy ? heldNum + sizeNum : heldNum - sizeNum;
    let equity = account.capitalNum + account.realizedNum - account.feesNum;
    let gross = Math.abs(nextNum) * fillPriceNum;
    for (const other of account.positionList) {
      if (other.quantityNum === 0) continue;
      const markPrice = other === position ? fillPriceNum : other.mark.priceNum;
      equity += other.quantityNum * markPrice - other.costBasisNum;
      if (other !== position) gross += Math.abs(other.quantityNum) * markPrice;
    }
    const limit = equity * maxLeverage;
    const band = Math.abs(limit) * FLOAT_BAND + FLOAT_BAND;
    if (gross < limit - band) return true;
    if (gross > limit + band) return false;
    return this.#canAffordExactly(account, order, fillPrice, maxLeverage);
  }

  /** {@link canAfford} exactly, in scaled integers (the borderline cases). */
  #canAffordExactly(
    account: AccountBook,
    order: Order,
    fillPrice: Decimal,
    maxLeverage: number,
  ): boolean {
    const position = findPosition(account, order.symbol);
    const held = position?.quantity ?? 0n;
    const size = toRaw(order.quantity, QTY_DIGITS);
    const next = order.side === 'buy' ? held + size : held - size;
    const abs = (x: bigint): bigint => (x < 0n ? -x : x);
    const reduces =
      next === 0n || (held !== 0n && next > 0n === held > 0n && abs(next) <= abs(held));
    if (reduces) return true;
    const fill = toRaw(fillPrice, PRICE_DIGITS);
    let equity = account.capitalRaw + account.realized - account.fees;
    let gross = abs(next) * fill;
    for (const other of account.positionList) {
      if (other.quantity === 0n) continue;
      const markPrice = other === position ? fill : toRaw(markOf(other.mark), PRICE_DIGITS);
      equity += other.quantity * markPrice - other.costBasis;
      if (other !== position) gross += abs(other.quantity) * markPrice;
    }
    // gross ≤ equity × maxLeverage, exactly: the leverage as an exact decimal fraction.
    const leverage = new Decimal(maxLeverage);
    const places = Math.max(0, leverage.decimalPlaces());
    return gross * pow10(places) <= equity * toRaw(leverage, places);
  }

  /** Adds (sign +1) or removes (-1) an account's float mirrors to or from an arm's sums. */
  #addToArmNum(armBook: ArmBook, account: AccountBook, sign: 1 | -1): void {
    armBook.capitalNum += sign * account.capitalNum;
    armBook.realizedNum += sign * account.realizedNum;
    armBook.feesNum += sign * account.feesNum;
    for (const position of account.positionList) {
      const sums = armSymbolNumOf(armBook, position.mark);
      sums.quantity += sign * position.quantityNum;
      sums.gross += sign * Math.abs(position.quantityNum);
      sums.costBasis += sign * position.costBasisNum;
    }
  }

  /**
   * An account leaves an arm: the arm keeps what the account earned while on it, and the account's
   * baseline restarts from its current figures for the arm it joins.
   */
  #leave(armBook: ArmBook, account: AccountBook): void {
    const now: Attributed = {
      realized: account.realized,
      fees: account.fees,
      unrealized: this.#exactUnrealized(account),
    };
    armBook.departed = {
      realized: armBook.departed.realized + now.realized - account.joinedWith.realized,
      fees: armBook.departed.fees + now.fees - account.joinedWith.fees,
      unrealized: armBook.departed.unrealized + now.unrealized - account.joinedWith.unrealized,
    };
    account.joinedWith = now;
  }

  /** The account's unrealized P&L at the current marks, raw money. */
  #exactUnrealized(account: AccountBook): bigint {
    let unrealized = 0n;
    for (const position of account.positionList) {
      if (position.quantity === 0n && position.costBasis === 0n) continue;
      unrealized +=
        position.quantity * toRaw(markOf(position.mark), PRICE_DIGITS) - position.costBasis;
    }
    return unrealized;
  }

  /** The account's equity at the current marks, raw money. */
  #exactEquity(account: AccountBook): bigint {
    return account.capitalRaw + account.realized - account.fees + this.#exactUnrealized(account);
  }

  /** The books behind a handle, which must be this ledger's and still open. */
  #own(handle: LedgerAccount): AccountBook {
    const book = handle as AccountBook;
    if (book.ledger !== this || !book.open) {
      throw new RangeError(`ledger: account handle "${handle.id}" is not open in this ledger`);
    }
    return book;
  }

  #book(accountId: string): AccountBook {
    const account = this.#accounts.get(accountId);
    if (account === undefined) throw new RangeError(`ledger: unknown account "${accountId}"`);
    return account;
  }

  #newMark(symbol: string): SymbolMark {
    const mark = new SymbolMark(symbol);
    this.#marks.set(symbol, mark);
    return mark;
  }

  #position(account: AccountBook, symbol: string): Position {
    let position = findPosition(account, symbol);
    if (position === undefined) {
      position = {
        mark: this.#marks.get(symbol) ?? this.#newMark(symbol),
        quantity: 0n,
        avgPrice: 0n,
        costBasis: 0n,
        quantityNum: 0,
        costBasisNum: 0,
      };
      account.positions.set(symbol, position);
      account.positionList.push(position);
    }
    return position;
  }
}

/**
 * The account's position in `symbol`, if it has one. Most accounts hold one or two symbols: a scan
 * of their short list touches memory the fill reads anyway, where a map lookup misses the caches
 * with many accounts; past a few symbols, the map.
 */
function findPosition(account: AccountBook, symbol: string): Position | undefined {
  const list = account.positionList;
  if (list.length > 4) return account.positions.get(symbol);
  for (let i = 0; i < list.length; i++) {
    const position = list[i]!;
    if (position.mark.symbol === symbol) return position;
  }
  return undefined;
}

function recordClosedTrade(armBook: ArmBook, realized: bigint): void {
  const pnl = moneyFloat(realized);
  const trades = armBook.trades;
  trades.closed++;
  if (pnl > 0) {
    trades.winning++;
    trades.grossProfit += pnl;
  } else if (pnl < 0) trades.grossLoss -= pnl;
}

function newArmBook(): ArmBook {
  return {
    accounts: new Set(),
    capital: 0n,
    contributed: 0n,
    contributedNum: 0,
    capitalNum: 0,
    realizedNum: 0,
    feesNum: 0,
    symbolsNum: new Map(),
    departed: NOTHING,
    trades: { closed: 0, winning: 0, grossProfit: 0, grossLoss: 0 },
  };
}

/**
 * An arm left with no accounts has float sums of exactly zero: subtracting each account's mirrors
 * leaves rounding residue (1e-9 of equity), which an equity curve would read as a −100 % return.
 */
function clearFloatSumsIfEmpty(book: ArmBook): void {
  if (book.accounts.size > 0) return;
  book.capitalNum = 0;
  book.realizedNum = 0;
  book.feesNum = 0;
  book.symbolsNum.clear();
}

function armSymbolNumOf(book: ArmBook, mark: SymbolMark): ArmSymbolNum {
  let sums = book.symbolsNum.get(mark.symbol);
  if (sums === undefined) {
    sums = { mark, quantity: 0, gross: 0, costBasis: 0 };
    book.symbolsNum.set(mark.symbol, sums);
  }
  return sums;
}

/** A held symbol always has a mark: at worst the price of the fill that opened it. */
function markOf(mark: SymbolMark): Decimal {
  const price = mark.price;
  if (price === null) throw new Error(`ledger: no mark for ${mark.symbol}`);
  return price;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
