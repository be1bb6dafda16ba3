import type { Account } from '../src/core/account.js';
import type { Arm } from '../src/core/arm.js';
import type { ExecutionReport, FillReport } from '../src/core/execution-report.js';
import { Decimal } from '../src/core/money.js';
import { runReplay } from '../src/engine/run-replay.js';
import { SimulatedFill } from '../src/execution/simulated-fill.js';
import { Ledger } from '../src/ledger/index.js';
import { MachineWordBooks } from '../src/ledger/machine-word-books.js';
import { benchTradesFeed } from './bench-files.js';
import { benchReplayConfig } from './bench-replay-config.js';
import { optionValue } from './build-under-test.js';

/**
 * What booking a fill would cost with money in machine words, against the ledger's `bigint` books,
 * on real fills: the fills of the bench's replay of a generated 1M-trade Binance trades CSV (1,000
 * accounts, or `--accounts`; `--file` another feed whose prices have at most two decimals) are
 * recorded, then booked again, one after the other, by a fresh {@link Ledger} (with the handle,
 * raw quantity and fee per unit the engine passes) and by {@link MachineWordBooks}
 * (src/ledger/machine-word-books.ts: quantities in steps of 10⁻⁸, prices in ticks of 0.01, money
 * in 10⁻¹⁰, exact integers in floats under 2⁵³; the average cost on the tick grid, its residual
 * to realized P&L; the fee rounded half-even to 10⁻¹⁰, where the ledger keeps it exact at 10⁻⁴²),
 * with the float mirrors and per-arm float sums the ledger keeps beside its books. A fill whose
 * figures would reach 2⁵³ is counted, not booked (the ledger would book that account in
 * `bigint`s).
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

/**
 * {@link MachineWordBooks} with the float mirrors and per-arm float sums the ledger keeps beside
 * its exact books (what sizing, risk checks and sampling read), so the two sides do the same work.
 */
class MirroredMachineWordBooks {
  readonly books: MachineWordBooks;
  readonly mirrors: Float64Array;
  readonly armSums = new Float64Array(2 * 5);
  readonly arm: Uint8Array;
  /** Fills not booked: a figure would have reached 2⁵³ (the ledger would book them in `bigint`s). */
  overflows = 0;

  constructor(accountArms: readonly Arm[]) {
    const n = accountArms.length;
    this.books = new MachineWordBooks({ quantityDecimals: 8, priceDecimals: 2 }, n);
    this.mirrors = new Float64Array(n * 4);
    this.arm = Uint8Array.from(accountArms, (arm) => (arm === 'canary' ? 1 : 0));
  }

  apply(i: number, signedSteps: number, priceTicks: number): void {
    const books = this.books;
    if (!books.apply(i, signedSteps, priceTicks, feeBps, 10_000)) {
      this.overflows++;
      return;
    }
    const next = books.quantity[i]!;
    const m = i * 4;
    const mirrors = this.mirrors;
    const quantityNum = next / STEPS_PER_UNIT;
    const basisNum = (next * books.avgPrice[i]!) / MONEY_PER_UNIT;
    const realizedNum = books.realized[i]! / MONEY_PER_UNIT;
    const feesNum = books.fees[i]! / MONEY_PER_UNIT;
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

function bookInMachineWords(): { ms: number; books: MirroredMachineWordBooks } {
  const books = new MirroredMachineWordBooks(accountArms);
  const started = performance.now();
  for (let k = 0; k < count; k++) books.apply(rows[k]!, steps[k]!, ticks[k]!);
  return { ms: performance.now() - started, books };
}

let ledgerBest = Number.POSITIVE_INFINITY;
let wordsBest = Number.POSITIVE_INFINITY;
let ledger: Ledger | undefined;
let books: MirroredMachineWordBooks | undefined;
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
  const words = books!.books;
  const q = words.quantity[i]!;
  const units = words.realized[i]! + q * lastTicks - q * words.avgPrice[i]!;
  if (!new Decimal(units).div(MONEY_PER_UNIT).eq(exact)) cashFlowMismatches++;
  const difference = words.feesOf(i).minus(snapshot.fees).abs();
  if (difference.gt(largestFeeDifference)) largestFeeDifference = difference;
}

const nsPerFill = (ms: number): string => ((ms * 1e6) / count).toFixed(1);
process.stdout.write(
  [
    `${count.toLocaleString('en-US')} fills of ${accounts.length} accounts (${file}), best of ${rounds}, in turns:`,
    `  ledger, bigint books at 10⁻⁴²       ${nsPerFill(ledgerBest)} ns a fill`,
    `  64-bit rules, integers in floats    ${nsPerFill(wordsBest)} ns a fill   (${books!.overflows} fills past 2⁵³, not booked)`,
    `  realized + unrealized at the last price: ${cashFlowMismatches === 0 ? 'equal on every account' : `${cashFlowMismatches} accounts differ`}`,
    `  fees: largest difference on an account ${largestFeeDifference.toFixed()} (rounded to 10⁻¹⁰ a fill)`,
  ].join('\n') + '\n',
);
process.exit(0);
