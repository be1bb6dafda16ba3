import type { Arm } from '../core/arm.js';
import { moneyToString } from '../core/money.js';
import type { Decimal } from '../core/money.js';

/** One open position of an account, valued at the symbol's mark. */
export interface PositionSnapshot {
  readonly symbol: string;
  /** Signed base units: positive long, negative short (never zero: flat positions are left out). */
  readonly quantity: Decimal;
  /** Average cost, quote per base unit, rounded to the account's tick (docs/accounting.md). */
  readonly avgPrice: Decimal;
  /** `quantity × avgPrice`, signed, exact. */
  readonly costBasis: Decimal;
  /** Quote mid, else last trade, else last fill price. */
  readonly markPrice: Decimal;
  /** `quantity × markPrice − costBasis`. */
  readonly unrealizedPnl: Decimal;
}

/** One account's books, quote currency. `equity = capital + realizedPnl + unrealizedPnl − fees`. */
export interface AccountSnapshot {
  readonly accountId: string;
  readonly arm: Arm;
  readonly capital: Decimal;
  /** Closed P&L, fees excluded (includes the average-cost rounding residual, docs/accounting.md). */
  readonly realizedPnl: Decimal;
  readonly unrealizedPnl: Decimal;
  readonly fees: Decimal;
  readonly equity: Decimal;
  /** Open positions, by symbol. */
  readonly positions: readonly PositionSnapshot[];
}

/**
 * One account's books as raw money (10⁻⁴², `ledger/fixed-point.ts`): {@link AccountSnapshot}'s
 * figures without its positions, for a line per account.
 */
export interface AccountBooks {
  readonly arm: Arm;
  readonly capital: bigint;
  readonly realized: bigint;
  readonly unrealized: bigint;
  readonly fees: bigint;
  /** capital + realized + unrealized − fees. */
  readonly equity: bigint;
}

/** An arm's net position in one symbol: the sums over its accounts. */
export interface ArmPositionTotals {
  readonly symbol: string;
  /** Σ signed quantity, base units. */
  readonly quantity: Decimal;
  /** Σ quantity × avgPrice, signed. */
  readonly costBasis: Decimal;
  readonly markPrice: Decimal;
}

/**
 * An arm's books, exact. `accounts`, `capital`, `equity` and `positions` are the sums over the
 * accounts on the arm **now**. The P&L figures are **attributed to the arm**: what its accounts
 * earned while they were on it (an account that moves leaves what it earned so far with the arm
 * it leaves, its unrealized P&L valued at the move), so a rollback does not carry the canary's
 * losses into stable's figures. `pnl = realizedPnl + unrealizedPnl − fees = equity − contributed`.
 * Without moves, every figure is the sum over the arm's accounts and
 * `equity = capital + realizedPnl + unrealizedPnl − fees`.
 */
export interface ArmTotals {
  readonly arm: Arm;
  /** Number of accounts on the arm. */
  readonly accounts: number;
  readonly capital: Decimal;
  /** Realized P&L earned on the arm, fees excluded. */
  readonly realizedPnl: Decimal;
  /** Unrealized P&L earned on the arm (current accounts' open positions since they joined, plus the unrealized P&L departed accounts left with it). */
  readonly unrealizedPnl: Decimal;
  /** Fees paid on the arm. */
  readonly fees: Decimal;
  /** Everything earned on the arm: `realizedPnl + unrealizedPnl − fees`. */
  readonly pnl: Decimal;
  readonly equity: Decimal;
  /**
   * Equity put into the arm: the starting capital of the accounts it started with, plus the equity
   * of accounts moved in, minus the equity of accounts moved out (each valued when it moved). The
   * equity curve takes changes in it as flows, not returns (docs/accounting.md).
   */
  readonly contributed: Decimal;
  /** Net positions by symbol (symbols the arm has traded; flat ones have quantity 0). */
  readonly positions: readonly ArmPositionTotals[];
}

/** {@link PositionSnapshot} as JSON: money as decimal strings. */
export interface PositionSnapshotJson {
  readonly symbol: string;
  readonly quantity: string;
  readonly avgPrice: string;
  readonly costBasis: string;
  readonly markPrice: string;
  readonly unrealizedPnl: string;
}

/** {@link AccountSnapshot} as JSON: money as decimal strings. */
export interface AccountSnapshotJson {
  readonly accountId: string;
  readonly arm: Arm;
  readonly capital: string;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly fees: string;
  readonly equity: string;
  readonly positions: readonly PositionSnapshotJson[];
}

/** {@link ArmTotals} as JSON: money as decimal strings. */
export interface ArmTotalsJson {
  readonly arm: Arm;
  readonly accounts: number;
  readonly capital: string;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly fees: string;
  readonly pnl: string;
  readonly equity: string;
  readonly contributed: string;
  readonly positions: readonly {
    readonly symbol: string;
    readonly quantity: string;
    readonly costBasis: string;
    readonly markPrice: string;
  }[];
}

/** An account snapshot with money as plain decimal strings, for JSON. */
export function accountSnapshotToJson(snapshot: AccountSnapshot): AccountSnapshotJson {
  return {
    accountId: snapshot.accountId,
    arm: snapshot.arm,
    capital: moneyToString(snapshot.capital),
    realizedPnl: moneyToString(snapshot.realizedPnl),
    unrealizedPnl: moneyToString(snapshot.unrealizedPnl),
    fees: moneyToString(snapshot.fees),
    equity: moneyToString(snapshot.equity),
    positions: snapshot.positions.map((p) => ({
      symbol: p.symbol,
      quantity: moneyToString(p.quantity),
      avgPrice: moneyToString(p.avgPrice),
      costBasis: moneyToString(p.costBasis),
      markPrice: moneyToString(p.markPrice),
      unrealizedPnl: moneyToString(p.unrealizedPnl),
    })),
  };
}

/** Arm totals with money as plain decimal strings, for JSON (report.json). */
export function armTotalsToJson(totals: ArmTotals): ArmTotalsJson {
  return {
    arm: totals.arm,
    accounts: totals.accounts,
    capital: moneyToString(totals.capital),
    realizedPnl: moneyToString(totals.realizedPnl),
    unrealizedPnl: moneyToString(totals.unrealizedPnl),
    fees: moneyToString(totals.fees),
    pnl: moneyToString(totals.pnl),
    equity: moneyToString(totals.equity),
    contributed: moneyToString(totals.contributed),
    positions: totals.positions.map((p) => ({
      symbol: p.symbol,
      quantity: moneyToString(p.quantity),
      costBasis: moneyToString(p.costBasis),
      markPrice: moneyToString(p.markPrice),
    })),
  };
}
