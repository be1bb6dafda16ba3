import type { Arm } from './arm.js';
import type { Side } from './market-event.js';
import type { Decimal } from './money.js';

/** A market order from one account, as the engine hands it to execution. */
export interface Order {
  /** Unique within a run, deterministic: `<arm>-<sequence>`. */
  readonly orderId: string;
  readonly accountId: string;
  /**
   * A dense number its producer gives each account (0, 1, 2, …): the same on every order and
   * report of that account (one closed and opened again may get a new one), never shared by two
   * accounts.
   * Consumers that keep per-account arrays index them with it instead of looking the id up (with
   * 100,000 accounts that lookup is several cache misses). Optional: absent, they use `accountId`.
   */
  readonly accountSeq?: number;
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
