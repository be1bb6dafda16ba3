import type { Arm } from './arm.js';
import type { Side } from './market-event.js';
import type { Decimal } from './money.js';

/**
 * Why an order did not fill. Stable codes; documented in docs/errors.md.
 * - `MIN_NOTIONAL`: quantity × price below the venue's minimum order value.
 * - `INSUFFICIENT_BUYING_POWER`: the fill would take the account's gross exposure past its limit.
 * - `PRICE_PROTECTION`: the fill price moved past the protection band from the decision price.
 * - `INJECTED`: a reject planted by fault injection (`--inject ARM:rejects=+1%`).
 * - `EXPIRED`: the data ended before the order reached a market event.
 * - `VENUE`: rejected by the venue for another reason (replay: inside a simulated venue outage,
 *   `ExecutionConfig.outages`; live mode: the bot's broker said so).
 */
export type RejectReason =
  | 'MIN_NOTIONAL'
  | 'INSUFFICIENT_BUYING_POWER'
  | 'PRICE_PROTECTION'
  | 'INJECTED'
  | 'EXPIRED'
  | 'VENUE';

interface ExecutionReportBase {
  readonly orderId: string;
  readonly accountId: string;
  /**
   * A dense number its producer gives each account (0, 1, 2, …): the same on every report of
   * that account (one closed and opened again may get a new one), never shared by two accounts.
   * Consumers that keep per-account arrays index them with it instead of looking the id up (with
   * 100,000 accounts that lookup is several cache misses). Optional: absent, they use `accountId`.
   */
  readonly accountSeq?: number | undefined;
  readonly arm: Arm;
  readonly symbol: string;
  readonly side: Side;
  /**
   * Base units: the order's for a reject; for a fill, what filled (the whole order: the simulator
   * does not split orders; a bot's order canceled after a partial fill, the part that filled).
   */
  readonly quantity: Decimal;
  /** `quantity` as a float, when the producer has it (statistics only; absent: read `quantity`). */
  readonly quantityNum?: number;
  /** Event time of the decision the order came from, µs. */
  readonly decisionTsUs: number;
  /** Event time of this report, µs. */
  readonly tsUs: number;
}

/** An order filled in full. */
export interface FillReport extends ExecutionReportBase {
  readonly type: 'fill';
  /** Quote currency per base unit. */
  readonly price: Decimal;
  /** Quote currency, >= 0. */
  readonly fee: Decimal;
  /** `fee` as a float, when the producer has it (statistics only; absent: read `fee`). */
  readonly feeNum?: number;
  /**
   * The order's own latency, ms: from its decision to its arrival at the venue (the simulated
   * venue's drawn latency, docs/fill-model.md) or, from a bot, to the venue's fill as it measured
   * it. A simulated fill's `tsUs` can be later: it waits for the next market event.
   */
  readonly latencyMs: number;
  /**
   * Fill price against the order's decision price, in basis points, signed so that positive is
   * worse for us: `(price - decisionPrice) / decisionPrice × 1e4` for a buy, the negative for a sell.
   */
  readonly slippageBps: number;
}

/** An order that did not fill. */
export interface RejectReport extends ExecutionReportBase {
  readonly type: 'reject';
  readonly reason: RejectReason;
  /** One human sentence with the numbers behind the reason. */
  readonly message: string;
}

/** What came back for an order: discriminate on `type`. */
export type ExecutionReport = FillReport | RejectReport;
