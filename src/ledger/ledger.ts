import type { Account } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import type { FillReport } from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import { Decimal, ZERO } from '../core/money.js';
import type { Order } from '../core/order.js';
import { averageCost } from './average-cost.js';
import type {
  AccountSnapshot,
  ArmPositionTotals,
  ArmTotals,
  PositionSnapshot,
} from './ledger-snapshot.js';
import { SymbolMark } from './symbol-mark.js';
import { toFloat } from './to-float.js';

/** What the engine's sizing reads of one account: floats, marked at the last price. */
export interface LedgerAccountView {
  /** Capital + realized + unrealized − fees, quote currency (float mirror). */
  readonly equity: number;
  /** Signed quantity held in the symbol, base units (float mirror; filled orders only). */
  readonly position: number;
}

interface Position {
  readonly mark: SymbolMark;
  /** Signed base units. */
  quantity: Decimal;
  /** Zero when flat. */
  avgPrice: Decimal;
  /** quantity × avgPrice, signed. */
  costBasis: Decimal;
  quantityNum: number;
  costBasisNum: number;
}

interface AccountBook {
  readonly id: string;
  arm: Arm;
  readonly capital: Decimal;
  readonly capitalNum: number;
  realized: Decimal;
  fees: Decimal;
  realizedNum: number;
  feesNum: number;
  readonly positions: Map<string, Position>;
  /** The same positions, for allocation-free iteration. */
  readonly positionList: Position[];
}

interface ArmSymbol {
  readonly mark: SymbolMark;
  quantity: Decimal;
  costBasis: Decimal;
}

interface ArmBook {
  accounts: number;
  capital: Decimal;
  realized: Decimal;
  fees: Decimal;
  contributed: Decimal;
  readonly symbols: Map<string, ArmSymbol>;
  readonly symbolList: ArmSymbol[];
}

/**
 * Exact books for every account and, maintained incrementally, for each arm (docs/accounting.md).
 *
 * - Positions carry a signed quantity and an average cost; reducing realizes `(fill − avg) × closed`
 *   for a long (the mirror for a short); a fill past flat closes and reopens at the fill price.
 * - Money is {@link Decimal} throughout; the one rounding point is the average cost (12 places,
 *   half-even) and its residual is booked to realized P&L, so `realized + unrealized − fees` is the
 *   exact cash-flow P&L and arm totals are the exact sums of their accounts.
 * - Per arm and symbol it keeps Σ quantity and Σ cost basis: reading an arm costs O(symbols).
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

  constructor(accounts: Iterable<{ readonly account: Account; readonly arm: Arm }>) {
    for (const { account, arm } of accounts) {
      if (this.#accounts.has(account.id)) {
        throw new ConfigError('E_ACCOUNTS_FILE', `duplicate account id "${account.id}"`);
      }
      this.#accounts.set(account.id, {
        id: account.id,
        arm,
        capital: account.capital,
        capitalNum: toFloat(account.capital),
        realized: ZERO,
        fees: ZERO,
        realizedNum: 0,
        feesNum: 0,
        positions: new Map(),
        positionList: [],
      });
      const book = this.#arms[arm];
      book.accounts += 1;
      book.capital = book.capital.plus(account.capital);
      book.contributed = book.contributed.plus(account.capital);
    }
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

  /**
   * Books a fill: position, average cost, realized P&L and fees of the account, and the aggregates
   * of the arm the account is on now (the report's `arm` is the arm that sent the order; after a
   * move the account's P&L travels with it). Costs 4 to 15 Decimal operations (docs/accounting.md).
   * @throws RangeError for an unknown account.
   */
  applyFill(fill: FillReport): void {
    const account = this.#book(fill.accountId);
    const position = this.#position(account, fill.symbol);
    const arm = this.#arms[account.arm];
    const armSymbol = armSymbolOf(arm, position.mark);
    const { price, quantity: size, fee } = fill;
    const buy = fill.side === 'buy';
    const held = position.quantity;
    const oldBasis = position.costBasis;
    const next = buy ? held.plus(size) : held.minus(size);
    let avgPrice: Decimal;
    let basis: Decimal;
    let realized: Decimal | null = null;

    if (held.isZero()) {
      // Open from flat: no division.
      avgPrice = price;
      basis = next.times(price);
    } else if (held.isPositive() === buy) {
      // Add: new average cost, the one rounding point; its residual goes to realized P&L so that
      // realized − cost basis stays exactly the cash flow.
      const notional = size.times(price);
      const cost = buy ? oldBasis.plus(notional) : oldBasis.minus(notional);
      avgPrice = averageCost(cost, next);
      basis = next.times(avgPrice);
      const residual = cost.minus(basis);
      if (!residual.isZero()) realized = residual.negated();
    } else if (next.isZero() || next.isPositive() === held.isPositive()) {
      // Reduce or close: realize (fill − avg) × closed for a long, (avg − fill) × closed for a short.
      realized = buy
        ? position.avgPrice.minus(price).times(size)
        : price.minus(position.avgPrice).times(size);
      if (next.isZero()) {
        avgPrice = ZERO;
        basis = ZERO;
      } else {
        avgPrice = position.avgPrice;
        basis = next.times(avgPrice);
      }
    } else {
      // Flip: close the whole position, open the rest at the fill price.
      realized = price.minus(position.avgPrice).times(held);
      avgPrice = price;
      basis = next.times(price);
    }

    position.quantity = next;
    position.avgPrice = avgPrice;
    position.costBasis = basis;
    position.quantityNum = toFloat(next);
    position.costBasisNum = toFloat(basis);
    position.mark.onFill(price);

    armSymbol.quantity = buy ? armSymbol.quantity.plus(size) : armSymbol.quantity.minus(size);
    armSymbol.costBasis = oldBasis.isZero()
      ? armSymbol.costBasis.plus(basis)
      : armSymbol.costBasis.plus(basis.minus(oldBasis));
    if (realized !== null) {
      account.realized = account.realized.plus(realized);
      account.realizedNum = toFloat(account.realized);
      arm.realized = arm.realized.plus(realized);
    }
    if (!fee.isZero()) {
      account.fees = account.fees.plus(fee);
      account.feesNum = toFloat(account.fees);
      arm.fees = arm.fees.plus(fee);
    }
  }

  /**
   * Equity and position of one account as floats, for sizing: float mirrors of the exact books,
   * marked at each symbol's float mark. O(positions of the account), no Decimal work.
   * @throws RangeError for an unknown account.
   */
  accountView(accountId: string, symbol: string): LedgerAccountView {
    const account = this.#book(accountId);
    let equity = account.capitalNum + account.realizedNum - account.feesNum;
    for (const position of account.positionList) {
      if (position.quantityNum !== 0) {
        equity += position.quantityNum * position.mark.priceNum - position.costBasisNum;
      }
    }
    return { equity, position: account.positions.get(symbol)?.quantityNum ?? 0 };
  }

  /**
   * The exact books of one account at the current marks.
   * @throws RangeError for an unknown account.
   */
  accountSnapshot(accountId: string): AccountSnapshot {
    const account = this.#book(accountId);
    const positions: PositionSnapshot[] = [];
    let unrealized = ZERO;
    for (const position of account.positionList) {
      if (position.quantity.isZero()) continue;
      const markPrice = markOf(position.mark);
      const unrealizedPnl = position.quantity.times(markPrice).minus(position.costBasis);
      unrealized = unrealized.plus(unrealizedPnl);
      positions.push({
        symbol: position.mark.symbol,
        quantity: position.quantity,
        avgPrice: position.avgPrice,
        costBasis: position.costBasis,
        markPrice,
        unrealizedPnl,
      });
    }
    positions.sort((a, b) => compareStrings(a.symbol, b.symbol));
    return {
      accountId: account.id,
      arm: account.arm,
      capital: account.capital,
      realizedPnl: account.realized,
      unrealizedPnl: unrealized,
      fees: account.fees,
      equity: account.capital.plus(account.realized).plus(unrealized).minus(account.fees),
      positions,
    };
  }

  /** The exact books of one arm at the current marks, in O(symbols). */
  armTotals(arm: Arm): ArmTotals {
    const book = this.#arms[arm];
    const positions: ArmPositionTotals[] = [];
    let unrealized = ZERO;
    for (const entry of book.symbolList) {
      const markPrice = markOf(entry.mark);
      if (!entry.quantity.isZero() || !entry.costBasis.isZero()) {
        unrealized = unrealized.plus(entry.quantity.times(markPrice).minus(entry.costBasis));
      }
      positions.push({
        symbol: entry.mark.symbol,
        quantity: entry.quantity,
        costBasis: entry.costBasis,
        markPrice,
      });
    }
    positions.sort((a, b) => compareStrings(a.symbol, b.symbol));
    return {
      arm,
      accounts: book.accounts,
      capital: book.capital,
      realizedPnl: book.realized,
      unrealizedPnl: unrealized,
      fees: book.fees,
      equity: book.capital.plus(book.realized).plus(unrealized).minus(book.fees),
      contributed: book.contributed,
      positions,
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
    let equity = account.capital.plus(account.realized).minus(account.fees);
    for (const position of account.positionList) {
      if (position.quantity.isZero() && position.costBasis.isZero()) continue;
      equity = equity.plus(
        position.quantity.times(markOf(position.mark)).minus(position.costBasis),
      );
      const out = armSymbolOf(from, position.mark);
      out.quantity = out.quantity.minus(position.quantity);
      out.costBasis = out.costBasis.minus(position.costBasis);
      const into = armSymbolOf(to, position.mark);
      into.quantity = into.quantity.plus(position.quantity);
      into.costBasis = into.costBasis.plus(position.costBasis);
    }
    from.accounts -= 1;
    from.capital = from.capital.minus(account.capital);
    from.realized = from.realized.minus(account.realized);
    from.fees = from.fees.minus(account.fees);
    from.contributed = from.contributed.minus(equity);
    to.accounts += 1;
    to.capital = to.capital.plus(account.capital);
    to.realized = to.realized.plus(account.realized);
    to.fees = to.fees.plus(account.fees);
    to.contributed = to.contributed.plus(equity);
    account.arm = toArm;
  }

  /**
   * The buying-power check: true when, after filling `order` at `fillPrice`, the account's gross
   * notional (Σ |quantity| × mark, the order's symbol at the fill price) is at most
   * `maxLeverage × equity` (equity marked the same way, before the fill's fee). An order that only
   * reduces a position (no flip) is always affordable.
   * @throws RangeError for an unknown account or a `maxLeverage` that is not a positive number.
   */
  canAfford(order: Order, fillPrice: Decimal, maxLeverage: number): boolean {
    if (!(maxLeverage > 0) || !Number.isFinite(maxLeverage)) {
      throw new RangeError(`maxLeverage must be a positive number, got ${maxLeverage}`);
    }
    const account = this.#book(order.accountId);
    const position = account.positions.get(order.symbol);
    const held = position?.quantity ?? ZERO;
    const next = order.side === 'buy' ? held.plus(order.quantity) : held.minus(order.quantity);
    const reduces =
      next.isZero() ||
      (!held.isZero() && next.isPositive() === held.isPositive() && next.abs().lte(held.abs()));
    if (reduces) return true;
    let equity = account.capital.plus(account.realized).minus(account.fees);
    let gross = next.abs().times(fillPrice);
    for (const other of account.positionList) {
      if (other.quantity.isZero()) continue;
      const markPrice = other === position ? fillPrice : markOf(other.mark);
      equity = equity.plus(other.quantity.times(markPrice).minus(other.costBasis));
      if (other !== position) gross = gross.plus(other.quantity.abs().times(markPrice));
    }
    return gross.lte(equity.times(new Decimal(maxLeverage)));
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
    let position = account.positions.get(symbol);
    if (position === undefined) {
      position = {
        mark: this.#marks.get(symbol) ?? this.#newMark(symbol),
        quantity: ZERO,
        avgPrice: ZERO,
        costBasis: ZERO,
        quantityNum: 0,
        costBasisNum: 0,
      };
      account.positions.set(symbol, position);
      account.positionList.push(position);
    }
    return position;
  }
}

function newArmBook(): ArmBook {
  return {
    accounts: 0,
    capital: ZERO,
    realized: ZERO,
    fees: ZERO,
    contributed: ZERO,
    symbols: new Map(),
    symbolList: [],
  };
}

function armSymbolOf(book: ArmBook, mark: SymbolMark): ArmSymbol {
  let entry = book.symbols.get(mark.symbol);
  if (entry === undefined) {
    entry = { mark, quantity: ZERO, costBasis: ZERO };
    book.symbols.set(mark.symbol, entry);
    book.symbolList.push(entry);
  }
  return entry;
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
