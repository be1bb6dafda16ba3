import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import { EngineOrder, type OrderSlot } from '../engine/engine-order.js';
import { SimulatedFill } from '../execution/index.js';
import { PRICE_DIGITS } from '../ledger/index.js';
import { csvField } from '../report/account-result.js';
import { FillsCsvFormatter } from '../report/fills-csv.js';
import { CODES, FILLS_BATCH_ROWS, NUMBERS, type FillsBatch } from './fills-batch.js';

/**
 * Packs execution reports into {@link FillsBatch}es on the engine's thread: a fill of this engine's
 * venue costs a few array writes; anything else is formatted here (`FillsCsvFormatter.row`).
 */
export class FillsBatchPacker {
  readonly #format = new FillsCsvFormatter();
  readonly #named = new Map<string, number>();
  #newNames: string[] = [];
  #kinds = new Uint8Array(FILLS_BATCH_ROWS);
  #numbers = new Float64Array(FILLS_BATCH_ROWS * NUMBERS);
  #codes = new Int32Array(FILLS_BATCH_ROWS * CODES);
  #decimals = new Float64Array(FILLS_BATCH_ROWS * 8);
  #decimalsUsed = 0;
  #rows: string[] = [];
  #count = 0;
  #price: Decimal | null = null;
  #priceIndex = -1;
  #feePerUnit: Decimal | null = null;
  /** The fee per unit's offset in this batch's decimals, or -1: more places than the books' scale. */
  #feeIndex = -1;

  /** Rows packed since the last {@link take}. */
  get count(): number {
    return this.#count;
  }

  /** Adds one report's row. */
  add(report: ExecutionReport): void {
    if (report instanceof SimulatedFill) {
      const order = report.order;
      if (order instanceof EngineOrder && this.#packFill(report, order as EngineOrder<OrderSlot>))
        return;
    }
    this.addRow(this.#format.row(report));
  }

  /** Adds a row already formatted (a mark). */
  addRow(row: string): void {
    this.#kinds[this.#count++] = 1;
    this.#rows.push(row);
  }

  /**
   * Hands the rows packed so far to `consume`, which must be done with them when it returns (the
   * buffers are packed again after: a journal that formats on this thread), and starts afresh.
   */
  drain(consume: (batch: FillsBatch) => void): void {
    if (this.#count === 0) return;
    consume(this.#batch());
    this.#restart();
  }

  /** The rows packed so far, as a batch to send (its buffers are then the receiver's). */
  take(): FillsBatch {
    const batch = this.#batch();
    this.#kinds = new Uint8Array(FILLS_BATCH_ROWS);
    this.#numbers = new Float64Array(FILLS_BATCH_ROWS * NUMBERS);
    this.#codes = new Int32Array(FILLS_BATCH_ROWS * CODES);
    this.#decimals = new Float64Array(FILLS_BATCH_ROWS * 8);
    this.#restart();
    return batch;
  }

  #batch(): FillsBatch {
    return {
      count: this.#count,
      kinds: this.#kinds,
      numbers: this.#numbers,
      codes: this.#codes,
      named: this.#newNames,
      decimals: this.#decimals,
      rows: this.#rows,
    };
  }

  /** An empty batch from here (the buffers are written again from their start). */
  #restart(): void {
    this.#newNames = [];
    this.#decimalsUsed = 0;
    this.#rows = [];
    this.#count = 0;
    this.#price = null;
    this.#feePerUnit = null;
  }

  /** Packs a fill of this engine's venue; false when its fee must come from decimal.js. */
  #packFill(report: SimulatedFill, order: EngineOrder<OrderSlot>): boolean {
    const feePerUnit = report.feePerUnit;
    if (feePerUnit !== this.#feePerUnit) {
      this.#feePerUnit = feePerUnit;
      // The books book `feePerUnit × quantity` (to the venue's 10⁻⁸) up to the price scale, else
      // report.fee.
      this.#feeIndex = feePerUnit.decimalPlaces() > PRICE_DIGITS ? -1 : this.#value(feePerUnit);
    }
    if (this.#feeIndex < 0) return false;
    const price = report.price;
    if (price !== this.#price) {
      this.#price = price;
      this.#priceIndex = this.#value(price);
    }
    const row = this.#count++;
    this.#kinds[row] = 0;
    const n = row * NUMBERS;
    const numbers = this.#numbers;
    numbers[n] = report.tsUs;
    numbers[n + 1] = order.decisionTsUs;
    numbers[n + 2] = report.latencyMs;
    numbers[n + 3] = report.slippageBps;
    numbers[n + 4] = order.steps;
    numbers[n + 5] = order.sequence;
    const c = row * CODES;
    const codes = this.#codes;
    codes[c] = order.arm === 'canary' ? 1 : 0;
    codes[c + 1] = order.side === 'sell' ? 1 : 0;
    codes[c + 2] = order.decimals;
    codes[c + 3] = this.#name(order.accountId);
    codes[c + 4] = this.#name(order.symbol);
    codes[c + 5] = this.#priceIndex;
    codes[c + 6] = this.#feeIndex;
    return true;
  }

  /** A decimal's offset in this batch's decimals, where its words are copied. */
  #value(value: Decimal): number {
    const words = value.d;
    const needed = this.#decimalsUsed + 3 + words.length;
    if (needed > this.#decimals.length) {
      const grown = new Float64Array(Math.max(needed, 2 * this.#decimals.length));
      grown.set(this.#decimals);
      this.#decimals = grown;
    }
    const at = this.#decimalsUsed;
    const decimals = this.#decimals;
    decimals[at] = value.s;
    decimals[at + 1] = value.e;
    decimals[at + 2] = words.length;
    for (let i = 0; i < words.length; i++) decimals[at + 3 + i] = words[i]!;
    this.#decimalsUsed = needed;
    return at;
  }

  /** The number of an account's or symbol's CSV field, named in this batch the first time. */
  #name(text: string): number {
    let index = this.#named.get(text);
    if (index === undefined) {
      index = this.#named.size;
      this.#named.set(text, index);
      this.#newNames.push(csvField(text));
    }
    return index;
  }
}
