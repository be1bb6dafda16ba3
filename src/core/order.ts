import type { Arm } from './arm.js';
import type { Side } from './market-event.js';
import type { Decimal } from './money.js';

/** A market order from one account, as the engine hands it to execution. */
export interface Order {
  /** Unique within a run, deterministic: `<arm>-<sequence>`. */
  readonly orderId: string;
  readonly accountId: string;
  readonly arm: Arm;
  readonly symbol: string;
  readonly side: Side;
  /** Base units, > 0, already rounded to the quantity step. */
  readonly quantity: Decimal;
  /**
   * `quantity` as a float, when the producer has it at hand (the engine's orders): the simulated
   * venue's float checks then never build the decimal. Absent: read from `quantity`.
   */
  readonly quantityNum?: number;
  /** Event time of the market event the strategy decided on, µs. */
  readonly decisionTsUs: number;
  /**
   * The benchmark price for slippage, as a float: the mid of the last quote at decision time, or the
   * last trade price when the symbol has no quote yet.
   */
  readonly decisionPrice: number;
}
