import type { Account } from '../src/core/account.js';
import type { Arm } from '../src/core/arm.js';
import type { ExecutionReport } from '../src/core/execution-report.js';
import { runReplay } from '../src/engine/run-replay.js';
import { EngineOrder } from '../src/engine/engine-order.js';
import { SimulatedFill } from '../src/execution/simulated-fill.js';
import { Ledger, type LedgerOptions } from '../src/ledger/index.js';
import { benchTradesFeed } from './bench-files.js';
import { benchReplayConfig } from './bench-replay-config.js';
import { optionValue } from './build-under-test.js';

/**
 * What booking a fill costs with money in machine words against `bigint` books, on real fills:
 * the fills of the bench's replay of a generated 1M-trade Binance trades CSV (1,000 accounts, or
 * `--accounts`; `--file` another feed) are recorded, then booked again, one after the other, by a
 * fresh {@link Ledger} in machine words (the default) and by one with `machineWords: false`, each
 * with the handle, the order's steps and the fee per unit the engine passes.
 *
 * Prints each one's time per fill (best of `--rounds`, default 3, in turns), how many accounts the
 * words could not hold (booked in `bigint`s from then on), and checks that both books agree on
 * every account to the last digit (they must: docs/accounting.md).
 *
 *   npm run build && node dist/bench/int64-books-probe.js [--rounds N] [--file CSV] [--accounts N]
 */
const args = process.argv.slice(2);
const rounds = Number(optionValue(args, '--rounds') ?? 3);
const accountCount = Number(optionValue(args, '--accounts') ?? 1000);
const file = optionValue(args, '--file') ?? (await benchTradesFeed(1_000_000));

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

const armOf = new Map<string, Arm>();
for (const fill of fills) if (!armOf.has(fill.accountId)) armOf.set(fill.accountId, fill.arm);
const accounts: Account[] = config.accounts.filter((account) => armOf.has(account.id));
const rowOf = new Map(accounts.map((account, row) => [account.id, row]));
const count = fills.length;
const rows = Int32Array.from(fills, (fill) => rowOf.get(fill.accountId)!);
const orders = fills.map((fill) => {
  if (!(fill.order instanceof EngineOrder)) throw new Error('a fill of another order');
  return fill.order;
});

function book(options: LedgerOptions): { ms: number; ledger: Ledger } {
  const ledger = new Ledger(
    accounts.map((account) => ({ account, arm: armOf.get(account.id)! })),
    options,
  );
  const handles = accounts.map((account) => ledger.account(account.id));
  const started = performance.now();
  for (let k = 0; k < count; k++) {
    const fill = fills[k]!;
    ledger.applyFill(fill, handles[rows[k]!], orders[k], fill.feePerUnit);
  }
  return { ms: performance.now() - started, ledger };
}

let wordsBest = Number.POSITIVE_INFINITY;
let bigintsBest = Number.POSITIVE_INFINITY;
let words: Ledger | undefined;
let bigints: Ledger | undefined;
for (let round = 0; round < rounds; round++) {
  const a = book({ machineWords: false });
  const b = book({ machineWords: true });
  bigintsBest = Math.min(bigintsBest, a.ms);
  wordsBest = Math.min(wordsBest, b.ms);
  bigints = a.ledger;
  words = b.ledger;
}

let mismatches = 0;
for (const account of accounts) {
  const a = JSON.stringify(words!.accountSnapshot(account.id));
  if (a !== JSON.stringify(bigints!.accountSnapshot(account.id))) mismatches++;
}

const nsPerFill = (ms: number): string => ((ms * 1e6) / count).toFixed(1);
process.stdout.write(
  [
    `${count.toLocaleString('en-US')} fills of ${accounts.length} accounts (${file}), best of ${rounds}, in turns:`,
    `  bigint books at 10⁻⁴²              ${nsPerFill(bigintsBest)} ns a fill`,
    `  machine words (the ledger's)       ${nsPerFill(wordsBest)} ns a fill   (${words!.accountsInBigints} accounts moved to bigints)`,
    `  every account's books: ${mismatches === 0 ? 'equal' : `${mismatches} accounts differ`}`,
  ].join('\n') + '\n',
);
process.exit(mismatches === 0 ? 0 : 1);
