/**
 * Quantity sent but not yet filled or rejected, per account and symbol, in whole quantity steps
 * (signed: buys positive). One `Float64Array` per symbol, indexed by the account's row: with
 * 100,000 accounts, whose fills arrive in the random order of their latencies, a row is one
 * cache line where a map per account was two or three (its object, its table, its entry). Steps
 * are safe integers, so the floats hold them exactly. Rows are never reused.
 */
export class PendingSteps {
  readonly #bySymbol = new Map<string, Float64Array>();
  #rows = 0;
  #capacity = 64;
  #lastSymbol = '';
  #lastColumn: Float64Array | undefined = undefined;

  /** A row for a new account, nothing pending. */
  newRow(): number {
    const row = this.#rows++;
    if (row === this.#capacity) {
      this.#capacity *= 2;
      for (const [symbol, column] of this.#bySymbol) {
        const grown = new Float64Array(this.#capacity);
        grown.set(column);
        this.#bySymbol.set(symbol, grown);
      }
      this.#lastColumn = undefined;
    }
    return row;
  }

  /** Steps pending for `row` in `symbol`. */
  get(row: number, symbol: string): number {
    return this.#column(symbol, false)?.[row] ?? 0;
  }

  /** Adds `steps` (signed) to what `row` has pending in `symbol`. */
  add(row: number, symbol: string, steps: number): void {
    const column = this.#column(symbol, true)!;
    column[row] = column[row]! + steps;
  }

  /** True when `row` has steps pending in any symbol. */
  any(row: number): boolean {
    for (const column of this.#bySymbol.values()) if (column[row] !== 0) return true;
    return false;
  }

  #column(symbol: string, create: boolean): Float64Array | undefined {
    if (symbol === this.#lastSymbol && this.#lastColumn !== undefined) return this.#lastColumn;
    let column = this.#bySymbol.get(symbol);
    if (column === undefined) {
      if (!create) return undefined;
      column = new Float64Array(this.#capacity);
      this.#bySymbol.set(symbol, column);
    }
    this.#lastSymbol = symbol;
    this.#lastColumn = column;
    return column;
  }
}
