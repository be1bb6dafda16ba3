import type { Decimal } from '../core/money.js';
import type { ExecutionReport } from '../core/execution-report.js';
import { US_PER_SECOND } from '../core/time.js';
import { csvField as field } from './account-result.js';
import { IsoSecondPrefixes } from './iso-second-prefixes.js';

/**
 * fills.csv (docs/accounting.md, "Reconciling from fills.csv"): one row per execution report of
 * a run, in the order the books took them, then the final mark of each symbol. Money, prices and
 * quantities are the exact decimal strings the books used.
 */
export const FILLS_CSV_HEADER =
  'ts,type,order_id,account_id,arm,symbol,side,quantity,price,fee,latency_ms,slippage_bps,decision_ts,reason\n';

/**
 * Formats fills.csv rows. A run's rows come in event-time order, many at the same second and on
 * the same price: the ISO prefixes of the last two seconds seen ({@link IsoSecondPrefixes}) and
 * the last price's text are kept, so a row costs string work and not a `Date` and a decimal
 * conversion each.
 */
export class FillsCsvFormatter {
  readonly #seconds = new IsoSecondPrefixes<string>((prefix) => prefix, '');
  #price: Decimal | null = null;
  #priceText = '';

  /**
   * One execution report as a row (a fill, or a reject with its reason), its quantity and fee as
   * the report's decimals give them. (A run's journal packs the venue's fills and writes their
   * rows as bytes instead, with the fee as the books booked it: cli/fills-batch-formatter.ts,
   * which is tested against {@link fillRow}.)
   */
  row(report: ExecutionReport): string {
    const quantity = report.quantity.toFixed();
    if (report.type !== 'fill') {
      const common = `${this.#iso(report.tsUs)},${report.type},${field(report.orderId)},${field(report.accountId)},${report.arm},${field(report.symbol)},${report.side},${quantity}`;
      const decision = this.#iso(report.decisionTsUs);
      return `${common},,,,,${decision},${field(`${report.reason}: ${report.message}`)}\n`;
    }
    if (report.price !== this.#price) {
      this.#price = report.price;
      this.#priceText = report.price.toFixed();
    }
    return this.fillRow(
      report.tsUs,
      field(report.orderId),
      field(report.accountId),
      report.arm,
      field(report.symbol),
      report.side,
      quantity,
      this.#priceText,
      report.fee.toFixed(),
      report.latencyMs,
      report.slippageBps,
      report.decisionTsUs,
    );
  }

  /**
   * A fill's row from its fields as text (the CSV fields already quoted where needed): what
   * {@link row} writes for a fill, for a caller that has no report object (fills.csv written on
   * a thread of its own, cli/fills-journal-worker.ts).
   */
  fillRow(
    tsUs: number,
    orderIdField: string,
    accountField: string,
    arm: string,
    symbolField: string,
    side: string,
    quantity: string,
    price: string,
    fee: string,
    latencyMs: number,
    slippageBps: number,
    decisionTsUs: number,
  ): string {
    const ts = this.#iso(tsUs);
    const decision = this.#iso(decisionTsUs);
    return `${ts},fill,${orderIdField},${accountField},${arm},${symbolField},${side},${quantity},${price},${fee},${latencyMs},${slippageBps},${decision},\n`;
  }

  /** The final mark of a symbol: the price the books valued open positions at, at the end. */
  markRow(tsUs: number, symbol: string, price: Decimal): string {
    return `${this.#iso(tsUs)},mark,,,,${field(symbol)},,,${price.toFixed()},,,,,\n`;
  }

  #iso(tsUs: number): string {
    const second = Math.floor(tsUs / US_PER_SECOND);
    return `${this.#seconds.of(second)}${String(tsUs - second * US_PER_SECOND).padStart(6, '0')}Z`;
  }
}
