/** The ledger: exact positions and P&L per account and per arm, and per-arm equity curves. */
export { averageCost } from './average-cost.js';
export { EquityCurve } from './equity-curve.js';
export type { EquityCurveOptions, EquityPoint } from './equity-curve.js';
export { intervalReturn } from './interval-return.js';
export { Ledger } from './ledger.js';
export type {
  ArmEquityNum,
  ArmTradeStats,
  LedgerAccount,
  LedgerAccountView,
  LedgerOptions,
  StepQuantity,
} from './ledger.js';
export {
  MONEY_DIGITS,
  pow10,
  PRICE_DIGITS,
  QTY_DIGITS,
  rawToString,
  roundScaled,
  roundSignificant,
  toRaw,
} from './fixed-point.js';
export { accountSnapshotToJson, armTotalsToJson } from './ledger-snapshot.js';
export type {
  AccountBooks,
  AccountSnapshot,
  AccountSnapshotJson,
  ArmPositionTotals,
  ArmTotals,
  ArmTotalsJson,
  PositionSnapshot,
  PositionSnapshotJson,
} from './ledger-snapshot.js';
