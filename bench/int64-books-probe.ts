import type { Account } from '../src/core/account.js';
import type { Arm } from '../src/core/arm.js';
import type { ExecutionReport, FillReport } from '../src/core/execution-report.js';
import { Decimal } from '../src/core/money.js';
import { runReplay } from '../src/engine/run-replay.js';
import { SimulatedFill } from '../src/execution/simulated-fill.js';
import { Ledger } from '../src/ledger/index.js';
import { benchTradesFeed } from './bench-files.js';
import { benchReplayConfig } from './bench-replay-config.js';
import { optionValue } from './build-under-test.js';

/**
 * What booking a fill would cost with money in machine words, against the ledger's `bigint` books,
 * on real fills: the fills of the bench's replay of a generated 1M-trade Binance trades CSV (1,000
 * accounts, or `--accounts`; `--file` another feed whose prices have at most two decimals) are
 * recorded, then
 * booked again, one after the other, by a fresh {@link Ledger} (with the handle, raw quantity and
 * fee per unit the engine passes) and by a sketch of books under 64-bit rules:
 *
 * - quantities in the order's steps (10⁻⁸), prices in ticks (10⁻²), money in 10⁻¹⁰: every
 *   product of a quantity and a price is exact, kept in floats while under 2⁵³ (each product is
 *   checked; past it a real implementation moves the account to `bigint`s, the probe counts it);
 * - the average cost on the tick grid (half-even; its residual to realized P&L, as the ledger does
 *   with its 12 places), so realized + unrealized is still the exact cash flow;
 * - a fee rounded half-even to 10⁻¹⁰ (the ledger keeps it exact at 10⁻⁴²: the one figure that
 *   changes, by at most half a unit of 10⁻¹⁰ a fill);
 * - the same float mirrors and per-arm float sums the ledger keeps.
 *
 * Prints each one's time per fill (best of `--rounds`, default 3, in turns), and checks every
 * account: realized + unrealized P&L at the last fill price equal to the last digit, and the fees'
 * difference. Issue 12 plans these rules; this measures what they would buy before they are made.
 *
 *   npm run build && node dist/bench/int64-books-probe.js [--rounds N] [--file CSV] [--accounts N]
 */
const args = process.argv.slice(2);
const rounds = Number(optionValue(args, '--rounds') ?? 3);
const accountCount = Number(optionValue(args, '--accounts') ?? 1000);
const file = optionValue(args, '--file') ?? (await benchTradesFeed(1_000_000));

/** Quantities in steps of 10⁻⁸, prices in ticks of 10⁻²: money in 10⁻¹⁰. */
const STEPS_PER_UNIT = 1e8;
const TICKS_PER_UNIT = 1e2;
const MONEY_PER_UNIT = STEPS_PER_UNIT * TICKS_PER_UNIT;
/** The largest magnitude a float holds every integer below. */
const EXACT_LIMIT = 2 ** 53;

const config = benchReplayConfig(file, accountCount);
const fills: SimulatedFill[] = [];
process.stderr.write(`recording the fills of the bench replay of ${file}…\n`);
await runReplay(
  config,
  {
    onExecution: (report: ExecutionReport) => {
      if (report.type === 'fill' && report instanceof SimulatedFill) fills.push(report);
    },
  },
  { parseInWorker: true },
);
if (fills.length === 0) throw new Error('the replay booked no fills');

// What the engine hands the ledger with each fill, and the probe's integers, prepared once.
const armOf = new Map<string, Arm>();
for (const fill of fills) if (!armOf.has(fill.accountId)) armOf.set(fill.accountId, fill.arm);
const accounts: Account[] = config.accounts.filter((account) => armOf.has(account.id));
const rowOf = new Map(accounts.map((account, row) => [account.id, row]));
const count = fills.length;
const rows = new Int32Array(count);
const steps = new Float64Array(count);
const ticks = new Float64Array(count);
const quantityRaw: bigint[] = [];
const feeBps = config.execution.feeBps;
const ticksOf = new Map<Decimal, number>();
for (let k = 0; k < count; k++) {
  const fill = fills[k]!;
  rows[k] = rowOf.get(fill.accountId)!;
  const s = Math.round(fill.quantity.toNumber() * STEPS_PER_UNIT);
  if (!new Decimal(s).div(STEPS_PER_UNIT).eq(fill.quantity)) throw new Error('not 8 places');
  steps[k] = fill.side === 'buy' ? s : -s;
  let t = ticksOf.get(fill.price);
  if (t === undefined) {
    t = Math.round(fill.price.toNumber() * TICKS_PER_UNIT);
    if (!new Decimal(t).div(TICKS_PER_UNIT).eq(fill.price))
      throw new Error(
        `price ${fill.price.toFixed()} is not on a 0.01 grid: pass --file a feed that is`,
      );
    ticksOf.set(fill.price, t);
  }
  ticks[k] = t;
  quantityRaw.push(BigInt(s) * 10n ** 10n);
}

/** `numerator / denominator` rounded half-even; both whole, |numerator| < 2⁵³, denominator > 0. */
function divideHalfEven(numerator: number, denominator: number): number {
  let quotient = Math.round(numerator / denominator);
  let remainder = numerator - quotient * denominator;
  if (2 * remainder > denominator) {
    quotient += 1;
    remainder -= denominator;
  } else if (2 * remainder < -denominator) {
    quotient -= 1;
    remainder += denominator;
  }
  if (2 * remainder === denominator && quotient % 2 !== 0) quotient += 1;
  else if (2 * remainder === -denominator && quotient % 2 !== 0) quotient -= 1;
  return quotient;
}

/** The sketched 64-bit books: exact integers in floats, as columns. */
class MachineWordBooks {
  readonly quantity: Float64Array;
  readonly avgTicks: Float64Array;
  readonly realized: Float64Array;
  readonly fees: Float64Array;
  readonly mirrors: Float64Array;
  readonly armSums = new Float64Array(2 * 5);
  readonly arm: Uint8Array;
  /** Products past 2⁵³ (a real implementation would move the account to `bigint`s). */
  overflows = 0;

  constructor(accountArms: readonly Arm[]) {
    const n = accountArms.length;
    this.quantity = new Float64Array(n);
    this.avgTicks = new Float64Array(n);
    this.realized = new Float64Array(n);
    this.fees = new Float64Array(n);
    this.mirrors = new Float64Array(n * 4);
    this.arm = Uint8Array.from(accountArms, (arm) => (arm === 'canary' ? 1 : 0));
  }

  #checked(product: number): number {
    if (!(Math.abs(product) < EXACT_LIMIT)) this.overflows++;
    return product;
  }

  /** Books a fill of `signedSteps` (buy > 0) at `price` ticks with a fee of `feeBps` on its notional. */
  apply(i: number, signedSteps: number, price: number): void {
    const held = this.quantity[i]!;
    const avg = this.avgTicks[i]!;
    const next = held + signedSteps;
    let realized = this.realized[i]!;
    let nextAvg: number;
    let basis: number;
    if (held === 0) {
      nextAvg = price;
      basis = this.#checked(next * price);
    } else if (held > 0 === signedSteps > 0) {
      const cost = this.#checked(held * avg) + this.#checked(signedSteps * price);
      nextAvg = next > 0 ? divideHalfEven(cost, next) : divideHalfEven(-cost, -next);
      basis = this.#checked(next * nextAvg);
      realized -= cost - basis;
    } else if (next === 0 || next > 0 === held > 0) {
      realized += this.#checked((avg - price) * signedSteps);
      nextAvg = next === 0 ? 0 : avg;
      basis = this.#checked(next * nextAvg);
    } else {
      realized += this.#checked((price - avg) * held);
      nextAvg = price;
      basis = this.#checked(next * price);
    }
    const notional = this.#checked(Math.abs(signedSteps) * price);
    const fees = this.fees[i]! + divideHalfEven(notional * feeBps, 10_000);
    this.quantity[i] = next;
    this.avgTicks[i] = nextAvg;
    this.realized[i] = realized;
    this.fees[i] = fees;
    // The float mirrors and the arm's float sums, as the ledger keeps them.
    const m = i * 4;
    const mirrors = this.mirrors;
    const quantityNum = next / STEPS_PER_UNIT;
    const basisNum = basis / MONEY_PER_UNIT;
    const realizedNum = realized / MONEY_PER_UNIT;
    const feesNum = fees / MONEY_PER_UNIT;
    const sums = this.armSums;
    const s = this.arm[i]! * 5;
    sums[s] = sums[s]! + quantityNum - mirrors[m]!;
    sums[s + 1] = sums[s + 1]! + Math.abs(quantityNum) - Math.abs(mirrors[m]!);
    sums[s + 2] = sums[s + 2]! + basisNum - mirrors[m + 1]!;
    sums[s + 3] = sums[s + 3]! + realizedNum - mirrors[m + 2]!;
    sums[s + 4] = sums[s + 4]! + feesNum - mirrors[m + 3]!;
    mirrors[m] = quantityNum;
    mirrors[m + 1] = basisNum;
    mirrors[m + 2] = realizedNum;
    mirrors[m + 3] = feesNum;
  }
}

const accountArms = accounts.map((account) => armOf.get(account.id)!);

function bookWithLedger(): { ms: number; ledger: Ledger } {
  const ledger = new Ledger(accounts.map((account, i) => ({ account, arm: accountArms[i]! })));
  const handles = accounts.map((account) => ledger.account(account.id));
  const started = performance.now();
  for (let k = 0; k < count; k++) {
    const fill: FillReport = fills[k]!;
    ledger.applyFill(fill, handles[rows[k]!], quantityRaw[k], fills[k]!.feePerUnit);
  }
  return { ms: performance.now() - started, ledger };
}

function bookInMachineWords(): { ms: number; books: MachineWordBooks } {
  const books = new MachineWordBooks(accountArms);
  const started = performance.now();
  for (let k = 0; k < count; k++) books.apply(rows[k]!, steps[k]!, ticks[k]!);
  return { ms: performance.now() - started, books };
}

let ledgerBest = Number.POSITIVE_INFINITY;
let wordsBest = Number.POSITIVE_INFINITY;
let ledger: Ledger | undefined;
let books: MachineWordBooks | undefined;
for (let round = 0; round < rounds; round++) {
  const a = bookWithLedger();
  const b = bookInMachineWords();
  ledgerBest = Math.min(ledgerBest, a.ms);
  wordsBest = Math.min(wordsBest, b.ms);
  ledger = a.ledger;
  books = b.books;
}

// Every account: realized + unrealized at the last fill price, to the last digit; fees' difference.
const lastTicks = ticks[count - 1]!;
let cashFlowMismatches = 0;
let largestFeeDifference = new Decimal(0);
for (const [i, account] of accounts.entries()) {
  const snapshot = ledger!.accountSnapshot(account.id);
  const exact = snapshot.realizedPnl.plus(snapshot.unrealizedPnl);
  const q = books!.quantity[i]!;
  const units = books!.realized[i]! + q * lastTicks - q * books!.avgTicks[i]!;
  if (!new Decimal(units).div(MONEY_PER_UNIT).eq(exact)) cashFlowMismatches++;
  const difference = new Decimal(books!.fees[i]!).div(MONEY_PER_UNIT).minus(snapshot.fees).abs();
  if (difference.gt(largestFeeDifference)) largestFeeDifference = difference;
}

const nsPerFill = (ms: number): string => ((ms * 1e6) / count).toFixed(1);
process.stdout.write(
  [
    `${count.toLocaleString('en-US')} fills of ${accounts.length} accounts (${file}), best of ${rounds}, in turns:`,
    `  ledger, bigint books at 10⁻⁴²       ${nsPerFill(ledgerBest)} ns a fill`,
    `  64-bit rules, integers in floats    ${nsPerFill(wordsBest)} ns a fill   (${books!.overflows} products past 2⁵³)`,
    `  realized + unrealized at the last price: ${cashFlowMismatches === 0 ? 'equal on every account' : `${cashFlowMismatches} accounts differ`}`,
    `  fees: largest difference on an account ${largestFeeDifference.toFixed()} (rounded to 10⁻¹⁰ a fill)`,
  ].join('\n') + '\n',
);
process.exit(0);
