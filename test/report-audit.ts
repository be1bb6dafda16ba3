import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Decimal } from 'decimal.js';

/**
 * A risk team's audit of one replay's run directory, written apart from the project's code: it
 * reads report.json, accounts.csv, fills.csv, audit.jsonl, report.md and report.html, recomputes
 * in decimal.js what the files allow, and returns every disagreement as a sentence (none: the
 * reports can be trusted). It imports nothing from src/: the rules are docs/accounting.md's and
 * docs/report-json.md's, redone here.
 */
const Exact = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_EVEN });
type Exact = InstanceType<typeof Exact>;
const ZERO = new Exact(0);

type Arm = 'stable' | 'canary';
const ARMS: readonly Arm[] = ['stable', 'canary'];

/** The parts of report.json the audit reads (types as docs/report-json.md gives them). */
interface ArmJson {
  readonly id: string;
  readonly accounts: number;
  readonly capital: string;
  readonly orders: number;
  readonly fills: number;
  readonly rejects: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  readonly strategyErrors: number;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly fees: string;
  readonly pnl: string;
  readonly equity: string;
  readonly returnPct: number;
  readonly maxDrawdownPct: number;
  readonly maxDrawdownStartAt: string | null;
  readonly maxDrawdownEndAt: string | null;
  readonly fillRatio: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly closedTrades: number;
  readonly winRatePct: number | null;
  readonly profitFactor: number | null;
  readonly latencyMs: { readonly p50: number | null; readonly p99: number | null };
  readonly slippageBps: { readonly mean: number | null; readonly p95: number | null };
}

interface ReasonJson {
  readonly code: string;
  readonly message: string;
}

interface EvidenceJson {
  readonly code: string;
  readonly metric: string | null;
  readonly scope?: string;
  readonly unit?: string;
  readonly estimate: number | null;
  readonly ci: readonly [number | null, number | null] | null;
  readonly n: number | null;
  readonly nStable: number | null;
  readonly margin: number | null;
  readonly clusters?: number;
  readonly test: string | null;
  readonly verdict: string | null;
}

interface DecisionJson {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  readonly stepIndex: number | null;
  readonly disposition: string;
  readonly reasons: readonly EvidenceJson[];
}

interface Quantiles {
  readonly q: readonly number[];
  readonly value: readonly number[];
}

interface ReportJsonForAudit {
  readonly inputs: {
    readonly files: readonly {
      readonly path: string;
      readonly format: string;
      readonly outOfOrder: number;
      readonly skipped: Readonly<Record<string, number>>;
      readonly sha256: string;
      readonly bytes: number;
      readonly events: number;
      readonly trades: number;
      readonly quotes: number;
      readonly firstEventAt: string | null;
      readonly lastEventAt: string | null;
    }[];
    readonly events: number;
    readonly firstEventAt: string | null;
    readonly lastEventAt: string | null;
    readonly plan: { readonly type: string; readonly positions?: string };
    readonly segment?: unknown;
    readonly accounts: { readonly count: number; readonly capital: string };
  };
  readonly arms: Readonly<Record<Arm, ArmJson>>;
  readonly exposure: {
    readonly accounts: number;
    readonly canaryAccounts: number;
    readonly excludedAccounts: number;
    readonly accountSharePct: number;
    readonly capitalSharePct: number;
    readonly maxAccountSharePct: number;
    readonly maxCapitalSharePct: number;
    readonly canaryCapitalMinutes: number;
  };
  readonly shadow: {
    readonly paperAccounts: number;
    readonly orders: number;
    readonly fills: number;
    readonly realizedPnl: string;
    readonly unrealizedPnl: string;
    readonly fees: string;
    readonly pnl: string;
  } | null;
  readonly rollout: {
    readonly finalWeightPct: number;
    readonly auditLog: string | null;
    readonly auditRecords: number;
  } | null;
  readonly decisions: readonly DecisionJson[];
  readonly comparison: readonly EvidenceJson[] | null;
  readonly outcome: string;
  readonly series: {
    readonly returns: Readonly<
      Record<
        Arm,
        {
          readonly tsMs: readonly number[];
          readonly returnPct: readonly number[];
          readonly drawdownPct: readonly number[];
        }
      >
    >;
    readonly latencyMs: Readonly<Record<Arm, Quantiles | null>>;
    readonly slippageBps: Readonly<Record<Arm, Quantiles | null>>;
    readonly exposure: {
      readonly tsMs: readonly number[];
      readonly weightPct: readonly number[];
      readonly accountSharePct: readonly number[];
      readonly capitalSharePct: readonly number[];
    };
  };
}

interface AuditRecord {
  readonly seq: number;
  readonly tsUs: number;
  readonly at: string;
  readonly kind: string;
  readonly action: string;
  readonly disposition: string;
  readonly stepIndex: number | null;
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  readonly ref: number | null;
  readonly detail: ReasonJson | null;
  readonly reasons: readonly ReasonJson[];
}

/** One CSV file as rows of named fields (RFC 4180 quoting). */
function readCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const [header = [], ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

/** Money as the reports show it: rounded to cents (half away from zero), grouped, no `-0.00`. */
function cents(text: string): string {
  const fixed = new Exact(text).toFixed(2, Exact.ROUND_HALF_UP);
  const negative = fixed.startsWith('-') && /[1-9]/u.test(fixed);
  const [whole = '0', fraction = '00'] = fixed.replace('-', '').split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+$)/gu, ',')}.${fraction}`;
}

const grouped = (n: number): string => n.toLocaleString('en-US');

/** Nearest rank ⌈q·n⌉ of sorted values (docs/accounting.md, per-arm metrics). */
function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

interface Position {
  q: Exact;
  avg: Exact;
  tick: number;
}

/** What the audit recomputes for one arm (real accounts), from fills.csv and accounts.csv. */
interface ArmAudit {
  orders: Set<string>;
  fills: number;
  rejectsByReason: Map<string, number>;
  realized: Exact;
  fees: Exact;
  closedTrades: number;
  wins: number;
  grossWin: Exact;
  grossLoss: Exact;
  latencies: number[];
  slippages: number[];
  slippageSum: Exact;
  accounts: number;
  capital: Exact;
  equity: Exact;
  unrealized: Exact;
}

function emptyArm(): ArmAudit {
  return {
    orders: new Set(),
    fills: 0,
    rejectsByReason: new Map(),
    realized: ZERO,
    fees: ZERO,
    closedTrades: 0,
    wins: 0,
    grossWin: ZERO,
    grossLoss: ZERO,
    latencies: [],
    slippages: [],
    slippageSum: ZERO,
    accounts: 0,
    capital: ZERO,
    equity: ZERO,
    unrealized: ZERO,
  };
}

/** The books of one account from its fills (docs/accounting.md, "Reconciling from fills.csv"). */
interface Books {
  readonly positions: Map<string, Position>;
  realized: Exact;
  fees: Exact;
}

/**
 * Books one fill: returns the realized P&L it booked and, for a fill that reduced, closed or
 * flipped a position, the closed quantity's P&L (a closed trade, before fees).
 */
function book(
  books: Books,
  symbol: string,
  s: Exact,
  p: Exact,
): { realized: Exact; closed: Exact | null } {
  let pos = books.positions.get(symbol);
  if (pos === undefined) {
    pos = { q: ZERO, avg: ZERO, tick: 0 };
    books.positions.set(symbol, pos);
  }
  pos.tick = Math.max(pos.tick, p.decimalPlaces());
  let realized = ZERO;
  let closed: Exact | null = null;
  if (pos.q.isZero()) {
    pos.q = s;
    pos.avg = p;
  } else if (pos.q.isPositive() === s.isPositive()) {
    const paid = pos.q.times(pos.avg).plus(s.times(p));
    const avg = paid.dividedBy(pos.q.plus(s)).toDecimalPlaces(pos.tick, Exact.ROUND_HALF_EVEN);
    realized = paid.minus(pos.q.plus(s).times(avg)).negated();
    pos.q = pos.q.plus(s);
    pos.avg = avg;
  } else if (s.abs().lte(pos.q.abs())) {
    realized = p
      .minus(pos.avg)
      .times(s.abs())
      .times(pos.q.isPositive() ? 1 : -1);
    closed = realized;
    pos.q = pos.q.plus(s);
    if (pos.q.isZero()) pos.avg = ZERO;
  } else {
    realized = p.minus(pos.avg).times(pos.q);
    closed = realized;
    pos.q = pos.q.plus(s);
    pos.avg = p;
  }
  books.realized = books.realized.plus(realized);
  return { realized, closed };
}

/** The unrealized P&L of an account's open positions at the given marks. */
function unrealizedOf(books: Books, marks: ReadonlyMap<string, Exact>): Exact {
  let sum = ZERO;
  for (const [symbol, pos] of books.positions) {
    if (pos.q.isZero()) continue;
    const mark = marks.get(symbol);
    if (mark === undefined) throw new Error(`no mark row for ${symbol} in fills.csv`);
    sum = sum.plus(pos.q.times(mark.minus(pos.avg)));
  }
  return sum;
}

/** A market event of a binance-ws capture, as the replay reads it: local receive time, µs. */
interface TapeEvent {
  readonly tsUs: number;
  readonly symbol: string;
  /** A quote's mid, or a trade's price. */
  readonly price: number;
  readonly quote: boolean;
}

/**
 * The market events of binance-ws captures (`<receive ns> <json>` lines: bookTicker quotes and
 * trades), merged by time; null for any other format, or events whose time was clamped.
 */
function readTape(
  root: string,
  files: readonly { path: string; format: string; outOfOrder?: number }[],
  tradesOnly: boolean,
): TapeEvent[] | null {
  if (files.some((f) => f.format !== 'binance-ws' || (f.outOfOrder ?? 0) > 0)) return null;
  const events: TapeEvent[] = [];
  for (const file of files) {
    const bytes = readFileSync(join(root, file.path));
    const text = (file.path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    for (const line of text.split('\n')) {
      const space = line.indexOf(' ');
      if (space < 0) continue;
      const tsUs = Number(line.slice(0, space - 3));
      const { stream = '', data } = JSON.parse(line.slice(space + 1)) as {
        stream?: string;
        data: { s: string; b?: string; a?: string; p?: string };
      };
      if (stream.endsWith('@bookTicker') && !tradesOnly) {
        const mid = (Number(data.b) + Number(data.a)) / 2;
        events.push({ tsUs, symbol: data.s, price: mid, quote: true });
      } else if (stream.endsWith('@trade') || stream.endsWith('@aggTrade')) {
        events.push({ tsUs, symbol: data.s, price: Number(data.p), quote: false });
      }
    }
  }
  return events.sort((x, y) => x.tsUs - y.tsUs);
}

/**
 * The decision price at each decision time: the mid of the symbol's last quote at or before it,
 * else its last trade price (docs/fill-model.md).
 */
function decisionPrices(
  tape: readonly TapeEvent[],
): (symbol: string, atUs: number) => number | null {
  const bySymbol = new Map<string, { ts: number[]; price: number[] }>();
  const last = new Map<string, { quoted: boolean }>();
  for (const e of tape) {
    let series = bySymbol.get(e.symbol);
    if (series === undefined) {
      series = { ts: [], price: [] };
      bySymbol.set(e.symbol, series);
    }
    const state = last.get(e.symbol) ?? { quoted: false };
    last.set(e.symbol, state);
    // Once quoted, trades no longer move the decision price.
    if (e.quote) state.quoted = true;
    else if (state.quoted) continue;
    series.ts.push(e.tsUs);
    series.price.push(e.price);
  }
  return (symbol, atUs) => {
    const series = bySymbol.get(symbol);
    if (series === undefined) return null;
    let lo = 0;
    let hi = series.ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (series.ts[mid]! <= atUs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : series.price[lo - 1]!;
  };
}

/** A markdown table row's cells. */
function mdCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/u, '')
    .replace(/\|$/u, '')
    .split('|')
    .map((c) => c.trim());
}

/** The rows of a markdown table after a heading line, by their first cell. */
function mdTable(md: string, heading: string): Map<string, string[]> {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  const table = new Map<string, string[]>();
  if (start < 0) return table;
  let i = start + 1;
  while (i < lines.length && !lines[i]!.startsWith('|')) i++;
  for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    const [label = '', ...cells] = mdCells(lines[i]!);
    table.set(label, cells);
  }
  return table;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/gu, '')
    .replace(/&(amp|lt|gt|quot|#39);/gu, (m) => HTML_ENTITIES[m] ?? m)
    .trim();
}

/** The rows of report.html's table in a section (by id), by their first cell. */
function htmlTable(html: string, sectionId: string): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const section = new RegExp(`<section id="${sectionId}">([\\s\\S]*?)</section>`, 'u').exec(html);
  const body = /<tbody>([\s\S]*?)<\/tbody>/u.exec(section?.[1] ?? '');
  for (const row of (body?.[1] ?? '').split('</tr>')) {
    const cells = [...row.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/gu)].map((m) =>
      htmlText(m[1]!),
    );
    if (cells.length > 0) table.set(cells[0]!, cells.slice(1));
  }
  return table;
}

/** Every row of the markdown table after a heading line, in order. */
function mdRows(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  let i = start + 1;
  while (i < lines.length && !lines[i]!.startsWith('|')) {
    if (lines[i]!.startsWith('#')) return [];
    i++;
  }
  const rows: string[][] = [];
  for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(mdCells(lines[i]!));
  return rows;
}

/** Every body row of the `index`-th table in a section of report.html, in order. */
function htmlRows(html: string, sectionId: string, index: number): string[][] {
  const section = new RegExp(`<section id="${sectionId}">([\\s\\S]*?)</section>`, 'u').exec(html);
  const body = [...(section?.[1] ?? '').matchAll(/<tbody>([\s\S]*?)<\/tbody>/gu)][index];
  return (body?.[1] ?? '')
    .split('</tr>')
    .map((row) =>
      [...row.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/gu)].map((m) => htmlText(m[1]!)),
    )
    .filter((cells) => cells.length > 0);
}

const isoOfUs = (us: number): string => {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;
};

const fmt = (n: number | null, digits: number, unit = ''): string =>
  n === null ? '–' : `${n.toFixed(digits)}${unit}`;

/** The options of {@link auditRun}. */
export interface AuditOptions {
  /** The repository root, where report.json's input paths are relative to. */
  readonly root: string;
}

/**
 * Audits one replay's run directory (a two-arm run: report.json at its top); returns the
 * findings, empty when every figure checked agrees.
 */
export function auditRun(dir: string, options: AuditOptions): string[] {
  const findings: string[] = [];
  const expect = (ok: boolean, what: string): void => {
    if (!ok) findings.push(what);
  };
  const same = (what: string, stated: unknown, recomputed: unknown): void =>
    expect(
      JSON.stringify(stated) === JSON.stringify(recomputed),
      `${what}: stated ${JSON.stringify(stated)}, recomputed ${JSON.stringify(recomputed)}`,
    );
  const sameExact = (what: string, stated: string, recomputed: Exact): void =>
    expect(
      new Exact(stated).eq(recomputed),
      `${what}: stated ${stated}, recomputed ${recomputed.toFixed()}`,
    );
  /** A statistic rounded to `digits` decimals, against the exact value it stands for. */
  const rounded = (
    what: string,
    stated: number | null,
    exact: number | null,
    digits: number,
  ): void => {
    if (stated === null || exact === null) {
      same(what, stated, exact);
      return;
    }
    const tolerance = 0.5 * 10 ** -digits * (1 + 1e-9) + Math.abs(exact) * 1e-12;
    expect(
      Math.abs(stated - exact) <= tolerance,
      `${what}: stated ${stated}, recomputed ${exact} (to ${digits} decimals)`,
    );
  };
  /** An HDR quantile: within 1/1000 relative (plus `absolute`) of the exact nearest rank. */
  const quantile = (
    what: string,
    stated: number | null,
    exact: number | null,
    absolute: number,
  ): void => {
    if (stated === null || exact === null) {
      same(what, stated, exact);
      return;
    }
    expect(
      Math.abs(stated - exact) <= Math.abs(exact) / 1000 + absolute + 1e-9,
      `${what}: stated ${stated}, recomputed ${exact} (nearest rank, within 1/1000)`,
    );
  };

  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJsonForAudit;
  const accountsCsv = readCsv(readFileSync(join(dir, 'accounts.csv'), 'utf8'));
  const fillsCsv = readCsv(readFileSync(join(dir, 'fills.csv'), 'utf8'));
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  const html = readFileSync(join(dir, 'report.html'), 'utf8');

  // Inputs: the files' bytes and digests, and the events' totals.
  for (const file of report.inputs.files) {
    const bytes = readFileSync(join(options.root, file.path));
    same(`inputs ${file.path} bytes`, file.bytes, bytes.length);
    same(
      `inputs ${file.path} sha256`,
      file.sha256,
      createHash('sha256').update(bytes).digest('hex'),
    );
    same(`inputs ${file.path} events = trades + quotes`, file.events, file.trades + file.quotes);
  }
  same(
    'inputs.events = Σ files',
    report.inputs.events,
    report.inputs.files.reduce((n, f) => n + f.events, 0),
  );

  // Slippage, from the market data itself: each fill's price against the decision price.
  // (Not for a segment of a segmented replay: its venue's events only, which the files do not say.)
  const tape =
    report.inputs.segment !== undefined
      ? null
      : readTape(
          options.root,
          report.inputs.files,
          report.inputs.files.some((f) => (f.skipped['droppedQuote'] ?? 0) > 0),
        );
  if (tape !== null) {
    const priceAt = decisionPrices(tape);
    const us = (iso: string): number => Date.parse(iso) * 1000 + Number(iso.slice(23, 26));
    let wrong = 0;
    let first = '';
    for (const row of fillsCsv) {
      if (row['type'] !== 'fill') continue;
      const decision = priceAt(row['symbol']!, us(row['decision_ts']!));
      if (decision === null) continue;
      const sign = row['side'] === 'buy' ? 1 : -1;
      const bps = ((sign * (Number(row['price']) - decision)) / decision) * 1e4;
      if (Math.abs(bps - Number(row['slippage_bps'])) > 1e-6) {
        wrong++;
        if (first === '')
          first = `${row['order_id']} (${row['account_id']}): ${row['slippage_bps']} bps, ${bps} from the feed`;
      }
    }
    expect(
      wrong === 0,
      `fills.csv slippage_bps against the feed's decision prices: ${wrong} differ, first ${first}`,
    );
  }

  // Accounts: accounts.csv's own figures, from fills.csv with docs/accounting.md's rules.
  const books = new Map<string, Books>();
  const paperBooks = new Map<string, Books>();
  const marks = new Map<string, Exact>();
  const perArm: Record<Arm, ArmAudit> = { stable: emptyArm(), canary: emptyArm() };
  const paper = {
    orders: new Set<string>(),
    fills: 0,
    realized: ZERO,
    fees: ZERO,
    accounts: new Set<string>(),
  };
  for (const row of fillsCsv) {
    if (row['type'] === 'mark') {
      marks.set(row['symbol']!, new Exact(row['price']!));
      continue;
    }
    const account = row['account_id']!;
    const arm = row['arm'] as Arm;
    const isPaper = account.startsWith('paper:');
    if (isPaper) {
      paper.orders.add(row['order_id']!);
      paper.accounts.add(account);
    } else perArm[arm].orders.add(row['order_id']!);
    if (row['type'] === 'reject') {
      if (!isPaper) {
        const reason = row['reason']!.split(':')[0]!;
        perArm[arm].rejectsByReason.set(reason, (perArm[arm].rejectsByReason.get(reason) ?? 0) + 1);
      }
      continue;
    }
    const own = isPaper ? paperBooks : books;
    let b = own.get(account);
    if (b === undefined) {
      b = { positions: new Map(), realized: ZERO, fees: ZERO };
      own.set(account, b);
    }
    const quantity = new Exact(row['quantity']!);
    const s = row['side'] === 'buy' ? quantity : quantity.negated();
    const fee = new Exact(row['fee']!);
    const { realized, closed } = book(b, row['symbol']!, s, new Exact(row['price']!));
    b.fees = b.fees.plus(fee);
    if (isPaper) {
      paper.fills++;
      paper.realized = paper.realized.plus(realized);
      paper.fees = paper.fees.plus(fee);
      continue;
    }
    const a = perArm[arm];
    a.fills++;
    a.realized = a.realized.plus(realized);
    a.fees = a.fees.plus(fee);
    if (closed !== null) {
      a.closedTrades++;
      if (closed.isPositive()) {
        a.wins++;
        a.grossWin = a.grossWin.plus(closed);
      } else if (closed.isNegative()) a.grossLoss = a.grossLoss.plus(closed.abs());
    }
    a.latencies.push(Number(row['latency_ms']));
    a.slippages.push(Number(row['slippage_bps']));
    a.slippageSum = a.slippageSum.plus(row['slippage_bps']!);
  }

  let totalCapital = ZERO;
  let canaryCapital = ZERO;
  const sumOfAccounts = { realized: ZERO, unrealized: ZERO, fees: ZERO, pnl: ZERO };
  for (const row of accountsCsv) {
    const id = row['account_id']!;
    const b = books.get(id) ?? { positions: new Map(), realized: ZERO, fees: ZERO };
    const unrealized = unrealizedOf(b, marks);
    const pnl = b.realized.plus(unrealized).minus(b.fees);
    const capital = new Exact(row['capital']!);
    sameExact(`accounts.csv ${id} realized_pnl`, row['realized_pnl']!, b.realized);
    sameExact(`accounts.csv ${id} unrealized_pnl`, row['unrealized_pnl']!, unrealized);
    sameExact(`accounts.csv ${id} fees`, row['fees']!, b.fees);
    sameExact(`accounts.csv ${id} pnl`, row['pnl']!, pnl);
    sameExact(`accounts.csv ${id} equity`, row['equity']!, capital.plus(pnl));
    const arm = row['arm'] as Arm;
    const a = perArm[arm];
    a.accounts++;
    a.capital = a.capital.plus(capital);
    a.equity = a.equity.plus(new Exact(row['equity']!));
    a.unrealized = a.unrealized.plus(unrealized);
    totalCapital = totalCapital.plus(capital);
    if (arm === 'canary') canaryCapital = canaryCapital.plus(capital);
    sumOfAccounts.realized = sumOfAccounts.realized.plus(row['realized_pnl']!);
    sumOfAccounts.unrealized = sumOfAccounts.unrealized.plus(row['unrealized_pnl']!);
    sumOfAccounts.fees = sumOfAccounts.fees.plus(row['fees']!);
    sumOfAccounts.pnl = sumOfAccounts.pnl.plus(row['pnl']!);
  }
  for (const id of books.keys()) {
    expect(
      accountsCsv.some((r) => r['account_id'] === id),
      `fills.csv account ${id} is not in accounts.csv`,
    );
  }
  same('inputs.accounts.count', report.inputs.accounts.count, accountsCsv.length);
  sameExact('inputs.accounts.capital', report.inputs.accounts.capital, totalCapital);

  // Arms: sums over both arms equal the accounts' own; per arm what fills.csv attributes.
  const both = (f: (a: ArmJson) => string): Exact =>
    new Exact(f(report.arms.stable)).plus(f(report.arms.canary));
  sameExact(
    'Σ arms realizedPnl = Σ accounts',
    both((a) => a.realizedPnl).toFixed(),
    sumOfAccounts.realized,
  );
  sameExact(
    'Σ arms unrealizedPnl = Σ accounts',
    both((a) => a.unrealizedPnl).toFixed(),
    sumOfAccounts.unrealized,
  );
  sameExact('Σ arms fees = Σ accounts', both((a) => a.fees).toFixed(), sumOfAccounts.fees);
  sameExact('Σ arms pnl = Σ accounts', both((a) => a.pnl).toFixed(), sumOfAccounts.pnl);
  // Under handoff an account's positions change arm as they are: their P&L splits at marks of the
  // move that no file holds, so only the sums above are checked then.
  const byFills = report.inputs.plan.positions !== 'handoff';
  for (const arm of ARMS) {
    const j = report.arms[arm];
    const a = perArm[arm];
    const at = `arms.${arm}`;
    same(`${at}.accounts`, j.accounts, a.accounts);
    sameExact(`${at}.capital`, j.capital, a.capital);
    sameExact(`${at}.equity`, j.equity, a.equity);
    same(`${at}.orders`, j.orders, a.orders.size);
    same(`${at}.fills`, j.fills, a.fills);
    same(`${at}.orders = fills + rejects`, j.orders, j.fills + j.rejects);
    const rejects = [...a.rejectsByReason.values()].reduce((n, x) => n + x, 0);
    same(`${at}.rejects`, j.rejects, rejects);
    for (const [reason, n] of Object.entries(j.rejectsByReason)) {
      same(`${at}.rejectsByReason.${reason}`, n, a.rejectsByReason.get(reason) ?? 0);
    }
    for (const reason of a.rejectsByReason.keys()) {
      expect(reason in j.rejectsByReason, `${at}.rejectsByReason lacks ${reason}, in fills.csv`);
    }
    sameExact(
      `${at}.pnl = realized + unrealized − fees`,
      j.pnl,
      new Exact(j.realizedPnl).plus(j.unrealizedPnl).minus(j.fees),
    );
    if (byFills) {
      sameExact(`${at}.realizedPnl (fills.csv, by the fill's arm)`, j.realizedPnl, a.realized);
      sameExact(`${at}.fees (fills.csv, by the fill's arm)`, j.fees, a.fees);
      sameExact(
        `${at}.unrealizedPnl (accounts on the arm at the end)`,
        j.unrealizedPnl,
        a.unrealized,
      );
      same(`${at}.closedTrades`, j.closedTrades, a.closedTrades);
      rounded(
        `${at}.winRatePct`,
        j.winRatePct,
        a.closedTrades === 0 ? null : (a.wins / a.closedTrades) * 100,
        4,
      );
      rounded(
        `${at}.profitFactor`,
        j.profitFactor,
        a.grossLoss.isZero() ? null : a.grossWin.dividedBy(a.grossLoss).toNumber(),
        4,
      );
    }
    rounded(
      `${at}.fillRatio`,
      j.fillRatio,
      a.orders.size === 0 ? null : a.fills / a.orders.size,
      6,
    );
    const latencies = [...a.latencies].sort((x, y) => x - y);
    const slippages = [...a.slippages].sort((x, y) => x - y);
    quantile(`${at}.latencyMs.p50`, j.latencyMs.p50, nearestRank(latencies, 0.5), 0.0005);
    quantile(`${at}.latencyMs.p99`, j.latencyMs.p99, nearestRank(latencies, 0.99), 0.0005);
    rounded(
      `${at}.slippageBps.mean`,
      j.slippageBps.mean,
      a.fills === 0 ? null : a.slippageSum.dividedBy(a.fills).toNumber(),
      4,
    );
    quantile(
      `${at}.slippageBps.p95`,
      j.slippageBps.p95,
      nearestRank(slippages, 0.95),
      0.001 + 0.00005,
    );

    // The distributions report.html charts: every quantile, as the fills give it.
    for (const [name, sorted, absolute] of [
      ['latencyMs', latencies, 0.0005],
      ['slippageBps', slippages, 0.00105],
    ] as const) {
      const series = report.series[name][arm];
      same(`series.${name}.${arm} present`, series !== null, sorted.length > 0);
      series?.q.forEach((q, i) =>
        quantile(
          `series.${name}.${arm} q=${q}`,
          series.value[i] ?? null,
          nearestRank(sorted, q),
          absolute,
        ),
      );
    }

    // The return and drawdown against their chart series (the last point is the run's end).
    const series = report.series.returns[arm];
    const n = series.returnPct.length;
    if (n > 0) {
      rounded(`${at}.returnPct = the series' last point`, j.returnPct, series.returnPct[n - 1]!, 6);
      const deepest = Math.max(0, ...series.drawdownPct);
      expect(
        deepest <= j.maxDrawdownPct + 1e-6,
        `${at}.maxDrawdownPct ${j.maxDrawdownPct} below the series' ${deepest}`,
      );
      // The series' drawdown follows from its returns: 1 − value / running peak (peak ≥ 1).
      let peak = 1;
      for (let i = 0; i < n; i++) {
        const value = 1 + series.returnPct[i]! / 100;
        peak = Math.max(peak, value);
        const drawdown = (1 - value / peak) * 100;
        if (Math.abs(drawdown - series.drawdownPct[i]!) > 2e-6) {
          findings.push(
            `series.returns.${arm} point ${i}: drawdown ${series.drawdownPct[i]} % where its returns give ${drawdown} %`,
          );
          break;
        }
      }
    }
  }

  // Exposure at the end, from accounts.csv, and over the run, from its series.
  const exposure = report.exposure;
  same('exposure.accounts', exposure.accounts, accountsCsv.length);
  same('exposure.canaryAccounts', exposure.canaryAccounts, perArm.canary.accounts);
  const pct4 = (x: Exact): number =>
    Number(x.times(100).toDecimalPlaces(4, Exact.ROUND_HALF_EVEN).toFixed());
  rounded(
    'exposure.accountSharePct',
    exposure.accountSharePct,
    accountsCsv.length === 0 ? 0 : (perArm.canary.accounts / accountsCsv.length) * 100,
    4,
  );
  rounded(
    'exposure.capitalSharePct',
    exposure.capitalSharePct,
    totalCapital.isZero() ? 0 : pct4(canaryCapital.dividedBy(totalCapital)),
    4,
  );
  const ex = report.series.exposure;
  same(
    'exposure.maxAccountSharePct = the series maximum',
    exposure.maxAccountSharePct,
    Math.max(0, ...ex.accountSharePct),
  );
  same(
    'exposure.maxCapitalSharePct = the series maximum',
    exposure.maxCapitalSharePct,
    Math.max(0, ...ex.capitalSharePct),
  );
  if (ex.tsMs.length > 0) {
    same(
      'exposure.accountSharePct = the series last point',
      exposure.accountSharePct,
      ex.accountSharePct.at(-1),
    );
    same(
      'exposure.capitalSharePct = the series last point',
      exposure.capitalSharePct,
      ex.capitalSharePct.at(-1),
    );
    // ∫ canary capital dt, from the series' steps (shares to 4 decimals: a loose check).
    const endMs =
      Date.parse(report.inputs.lastEventAt ?? '') +
      Number((report.inputs.lastEventAt ?? '').slice(23, 26)) / 1000;
    let minutes = 0;
    for (let i = 0; i < ex.tsMs.length; i++) {
      const until = i + 1 < ex.tsMs.length ? ex.tsMs[i + 1]! : endMs;
      minutes +=
        (ex.capitalSharePct[i]! / 100) * totalCapital.toNumber() * ((until - ex.tsMs[i]!) / 60_000);
    }
    expect(
      Math.abs(minutes - exposure.canaryCapitalMinutes) <= Math.max(1, minutes * 1e-5),
      `exposure.canaryCapitalMinutes: stated ${exposure.canaryCapitalMinutes}, from the exposure series ${minutes}`,
    );
  }

  // The shadow step's paper books.
  if (report.shadow !== null) {
    const s = report.shadow;
    // Created paper accounts: one that never traded has no row in fills.csv.
    expect(
      s.paperAccounts >= paper.accounts.size,
      `shadow.paperAccounts ${s.paperAccounts} below the ${paper.accounts.size} in fills.csv`,
    );
    same('shadow.orders', s.orders, paper.orders.size);
    same('shadow.fills', s.fills, paper.fills);
    sameExact('shadow.realizedPnl', s.realizedPnl, paper.realized);
    sameExact('shadow.fees', s.fees, paper.fees);
    sameExact(
      'shadow.pnl = realized + unrealized − fees',
      s.pnl,
      new Exact(s.realizedPnl).plus(s.unrealizedPnl).minus(s.fees),
    );
  } else same('fills.csv paper rows without a shadow section', paper.orders.size, 0);

  // Decisions against the audit log.
  const auditPath = join(dir, 'audit.jsonl');
  if (report.rollout !== null && report.rollout.auditLog !== null) {
    const audit = readFileSync(auditPath, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as AuditRecord);
    same('rollout.auditRecords', report.rollout.auditRecords, audit.length);
    audit.forEach((r, i) => same(`audit.jsonl line ${i + 1} seq`, r.seq, i + 1));
    for (const r of audit) same(`audit seq ${r.seq} at = tsUs`, r.at, isoOfUs(r.tsUs));
    const bySeq = new Map(audit.map((r) => [r.seq, r]));
    for (const d of report.decisions) {
      const r = bySeq.get(d.seq);
      if (r === undefined) {
        findings.push(`decision ${d.seq} is not in audit.jsonl`);
        continue;
      }
      // A step's maximum duration is a `timeout` record: report.json shows a halt as a `hold`.
      same(`decision ${d.seq} kind`, ['decision', 'timeout'].includes(r.kind), true);
      same(`decision ${d.seq} at`, d.at, r.at);
      same(
        `decision ${d.seq} action`,
        d.action,
        r.kind === 'timeout' && r.action === 'halt' ? 'hold' : r.action,
      );
      same(`decision ${d.seq} disposition`, d.disposition, r.disposition);
      same(`decision ${d.seq} stepIndex`, d.stepIndex, r.stepIndex);
      same(`decision ${d.seq} fromWeightPct`, d.fromWeightPct, r.fromWeightPct);
      const transition = audit.find((t) => t.kind === 'transition' && t.ref === d.seq);
      same(
        `decision ${d.seq} toWeightPct`,
        d.toWeightPct,
        transition?.toWeightPct ?? r.toWeightPct,
      );
      const first = r.detail ?? r.reasons[0];
      same(`decision ${d.seq} first reason`, d.reasons[0]?.code, first?.code);
    }
    const decisionRecords = audit.filter((r) => r.kind === 'decision' || r.kind === 'timeout');
    for (const r of decisionRecords) {
      expect(
        report.decisions.some((d) => d.seq === r.seq),
        `audit.jsonl decision ${r.seq} is not in report.json's decisions`,
      );
    }
    // The exposure series' weight follows the audit log's completed transitions.
    const last = [...audit].reverse().find((r) => r.kind === 'transition-complete');
    if (last !== undefined)
      same(
        'rollout.finalWeightPct = the last completed transition',
        report.rollout.finalWeightPct,
        last.toWeightPct,
      );
    same(
      'series.exposure weight at the end = rollout.finalWeightPct',
      ex.weightPct.at(-1),
      report.rollout.finalWeightPct,
    );

    // report.md's decision log: every audit record, as it was written.
    const log = mdTable(md, '## Decision log');
    same('report.md decision log rows = audit records', log.size, audit.length);
    for (const r of audit) {
      const row = log.get(String(r.seq));
      if (row === undefined) continue;
      same(`report.md decision log ${r.seq} event time`, row[0], r.at);
      same(`report.md decision log ${r.seq} action`, row[2], r.action);
      same(`report.md decision log ${r.seq} disposition`, row[3], r.disposition);
      same(
        `report.md decision log ${r.seq} weight`,
        row[5],
        r.fromWeightPct === r.toWeightPct
          ? `${r.fromWeightPct} %`
          : `${r.fromWeightPct} % → ${r.toWeightPct} %`,
      );
    }
  }

  // report.md and report.html against report.json: the side-by-side table.
  const mdArms = mdTable(md, '## Stable vs canary');
  const htmlArms = htmlTable(html, 'comparison');
  const ratioShown = (x: number | null): string => fmt(x, 2);
  const longEnough =
    Date.parse(report.inputs.lastEventAt ?? '') - Date.parse(report.inputs.firstEventAt ?? '') >=
    86_400_000;
  const expectedRows: [string, (a: ArmJson) => string][] = [
    ['strategy', (a) => a.id],
    ['accounts (at the end)', (a) => grouped(a.accounts)],
    ['capital (at the end)', (a) => cents(a.capital)],
    ['orders', (a) => grouped(a.orders)],
    ['fills', (a) => grouped(a.fills)],
    ['fill ratio', (a) => fmt(a.fillRatio === null ? null : a.fillRatio * 100, 2, ' %')],
    ['rejects', (a) => grouped(a.rejects)],
    ['strategy errors', (a) => grouped(a.strategyErrors)],
    ['realized P&L', (a) => cents(a.realizedPnl)],
    ['unrealized P&L', (a) => cents(a.unrealizedPnl)],
    ['fees', (a) => cents(a.fees)],
    ['P&L (attributed)', (a) => cents(a.pnl)],
    ['return', (a) => fmt(a.returnPct, 4, ' %')],
    ['Sharpe (annualized)', (a) => (longEnough ? ratioShown(a.sharpe) : 'n/a')],
    ['Sortino (annualized)', (a) => (longEnough ? ratioShown(a.sortino) : 'n/a')],
    ['max drawdown', (a) => fmt(a.maxDrawdownPct, 4, ' %')],
    ['closed trades', (a) => grouped(a.closedTrades)],
    ['win rate', (a) => fmt(a.winRatePct, 2, ' %')],
    ['profit factor', (a) => fmt(a.profitFactor, 3)],
    ['latency p50 / p99', (a) => `${fmt(a.latencyMs.p50, 1)} / ${fmt(a.latencyMs.p99, 1)} ms`],
    [
      'slippage mean / p95',
      (a) => `${fmt(a.slippageBps.mean, 3)} / ${fmt(a.slippageBps.p95, 3)} bps`,
    ],
  ];
  for (const [label, shown] of expectedRows) {
    for (const [name, table] of [
      ['report.md', mdArms],
      ['report.html', htmlArms],
    ] as const) {
      const row = table.get(label);
      if (row === undefined) {
        findings.push(`${name}: no row "${label}" in the side-by-side table`);
        continue;
      }
      ARMS.forEach((arm, i) => same(`${name} ${label} (${arm})`, row[i], shown(report.arms[arm])));
    }
  }
  for (const arm of ARMS) {
    for (const [reason, n] of Object.entries(report.arms[arm].rejectsByReason)) {
      if (n === 0) continue;
      const i = ARMS.indexOf(arm);
      same(
        `report.md rejects: ${reason} (${arm})`,
        mdArms.get(`rejects: ${reason}`)?.[i],
        grouped(n),
      );
      same(
        `report.html rejects: ${reason} (${arm})`,
        htmlArms.get(`rejects: ${reason}`)?.[i],
        grouped(n),
      );
    }
  }
  if (report.shadow !== null) {
    const s = report.shadow;
    const paperRows: [string, string][] = [
      ['orders', grouped(s.orders)],
      ['fills', grouped(s.fills)],
      ['realized P&L', cents(s.realizedPnl)],
      ['unrealized P&L', cents(s.unrealizedPnl)],
      ['fees', cents(s.fees)],
      ['P&L (attributed)', cents(s.pnl)],
    ];
    for (const [label, shown] of paperRows) {
      same(`report.md ${label} (paper)`, mdArms.get(label)?.[2], shown);
      same(`report.html ${label} (paper)`, htmlArms.get(label)?.[2], shown);
    }
  }

  // The verdict's exposure sentence, in report.md and report.html, against report.json.
  const share = (pct: number): string => `${pct.toFixed(2)} %`;
  const capitalMinutes = grouped(Math.round(exposure.canaryCapitalMinutes));
  const exposureMd = new RegExp(
    `Canary exposure: at most (\\S+ %) of (?:its lane's )?accounts and (\\S+ %) of (?:its lane's )?capital[,;] ([\\d,]+) capital-minutes \\(quote currency × minutes of event time\\)`,
    'u',
  );
  for (const [name, text] of [
    ['report.md', md],
    ['report.html', htmlText(html)],
  ] as const) {
    const m = exposureMd.exec(text);
    if (m === null) {
      findings.push(`${name}: no canary exposure sentence`);
      continue;
    }
    same(`${name} exposure: accounts share`, m[1], share(exposure.maxAccountSharePct));
    same(`${name} exposure: capital share`, m[2], share(exposure.maxCapitalSharePct));
    same(`${name} exposure: capital-minutes`, m[3], capitalMinutes);
  }

  // The decisive decision the verdict names is report.json's (and the audit log's).
  for (const [name, text] of [
    ['report.md', md],
    ['report.html', htmlText(html)],
  ] as const) {
    const m = /(?:Decided by decision|Decisive reason \(decision) (\d+)\)?: ([A-Z_]+)/u.exec(text);
    if (m === null) continue;
    const decision = report.decisions.find((d) => d.seq === Number(m[1]));
    if (decision !== undefined)
      same(`${name} decisive reason ${m[1]}`, m[2], decision.reasons[0]?.code);
  }

  // The compared metrics, as report.md and report.html show them, against report.json's evidence.
  const latest = [...report.decisions]
    .reverse()
    .find((d) => d.reasons.some((r) => r.verdict !== null && r.metric !== null));
  const evidence = (latest?.reasons ?? report.comparison ?? []).filter(
    (r) => r.metric !== null && r.verdict !== null,
  );
  const mdMetrics = mdRows(md, '## Compared metrics (canary − stable)');
  const htmlMetrics = htmlRows(html, 'comparison', 1);
  same('report.md compared metrics rows', mdMetrics.length, evidence.length);
  same('report.html compared metrics rows', htmlMetrics.length, evidence.length);
  evidence.forEach((r, i) => {
    const digits = r.metric === 'rejectRate' ? 4 : 3;
    const side = (x: number | null, infinite: string): string =>
      x === null ? infinite : x.toFixed(digits);
    const bound = r.ci === null ? '–' : `[${side(r.ci[0], '−∞')}, ${side(r.ci[1], '+∞')}]`;
    for (const [name, rows] of [
      ['report.md', mdMetrics],
      ['report.html', htmlMetrics],
    ] as const) {
      const row = rows[i];
      if (row === undefined) return;
      const what = `${name} compared ${r.metric} (${r.scope})`;
      same(`${what} metric`, row[0], r.metric);
      same(`${what} scope`, row[1], r.scope);
      same(`${what} unit`, row[3], r.unit);
      same(`${what} estimate`, row[4], fmt(r.estimate, digits));
      same(`${what} bounds`, row[5], bound);
      same(`${what} margin`, row[7], fmt(r.margin, digits));
      same(
        `${what} n`,
        row[8]?.split(' in ')[0],
        r.n === null ? '–' : `${grouped(r.n)} / ${grouped(r.nStable ?? r.n)}`,
      );
      if (r.clusters !== undefined)
        same(`${what} clusters`, /in ([\d,]+) /u.exec(row[8] ?? '')?.[1], grouped(r.clusters));
      same(`${what} test`, row[10], r.test ?? '–');
    }
  });

  // The drawdown's peak → trough, to the millisecond (the date too over more than one UTC day).
  const times = [report.inputs.firstEventAt, report.inputs.lastEventAt];
  for (const arm of ARMS) {
    const j = report.arms[arm];
    const within = new Set(
      [...times, j.maxDrawdownStartAt, j.maxDrawdownEndAt]
        .filter((t) => t !== null)
        .map((t) => t.slice(0, 10)),
    );
    const text = (iso: string): string =>
      within.size > 1 ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : iso.slice(11, 23);
    const shown =
      j.maxDrawdownStartAt === null || j.maxDrawdownEndAt === null
        ? '–'
        : `${text(j.maxDrawdownStartAt)} → ${text(j.maxDrawdownEndAt)}`;
    const i = ARMS.indexOf(arm);
    same(
      `report.md max drawdown from → to (${arm})`,
      mdArms.get('max drawdown from → to')?.[i],
      shown,
    );
    same(
      `report.html max drawdown from → to (${arm})`,
      htmlArms.get('max drawdown from → to')?.[i],
      shown,
    );
  }

  // report.html's inputs: each file as report.json has it, and the accounts as accounts.csv.
  const inputRows = htmlRows(html, 'assumptions', 0);
  same('report.html inputs rows', inputRows.length, report.inputs.files.length);
  report.inputs.files.forEach((file, i) => {
    const row = inputRows[i] ?? [];
    same(
      `report.html inputs ${file.path}`,
      [row[0], row[2], row[3]],
      [file.path, file.sha256, grouped(file.events)],
    );
    same(
      `report.html inputs ${file.path} first / last`,
      row[4]?.replace(/\s+/gu, ''),
      `${file.firstEventAt ?? ''}${file.lastEventAt ?? ''}`,
    );
  });
  const accountsLine = /Accounts: ([\d,]+) \([^)]*\), capital ([\d,.]+)\./u.exec(htmlText(html));
  same(
    'report.html accounts line',
    [accountsLine?.[1], accountsLine?.[2]],
    [grouped(accountsCsv.length), cents(totalCapital.toFixed())],
  );

  // report.html's timeline: a footnote per decision that is not a hold (and a halt's hold).
  const weights = (from: number, to: number): string =>
    from === to ? `${from} %` : `${from} % → ${to} %`;
  const marked = report.decisions.filter(
    (d) => d.action !== 'hold' || d.reasons[0]?.code === 'MAX_DURATION',
  );
  const notes = [...html.matchAll(/<li value="(\d+)">([\s\S]*?)<\/li>/gu)].map(
    (m) => [m[1]!, htmlText(m[2]!)] as const,
  );
  same(
    'report.html timeline footnotes',
    notes.map(([seq]) => Number(seq)),
    marked.map((d) => d.seq),
  );
  for (const d of marked) {
    const note = notes.find(([seq]) => Number(seq) === d.seq)?.[1] ?? '';
    const expected = `${d.at} ${d.action} ${weights(d.fromWeightPct, d.toWeightPct)} (${d.disposition}): ${d.reasons[0]?.code ?? ''}:`;
    expect(
      note.startsWith(expected),
      `report.html timeline ${d.seq}: "${note.slice(0, 80)}", expected "${expected}"`,
    );
  }
  return findings;
}
