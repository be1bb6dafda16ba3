import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import type { Arm } from '../core/arm.js';
import { ConfigError, OutputError } from '../core/errors.js';

/**
 * One line of the report journal (docs/server.md, "Restarts"): a report the canary accepted, in
 * the order it was booked, a membership change with the marks it was booked at, or the marks
 * (each symbol's latest price, so that a restart values open positions as the last process did). `key` is the
 * sender's idempotency key (a fleet agent's id and report id), when there is one.
 */
export type JournalEntry =
  | {
      readonly k: 'order';
      readonly key?: string;
      readonly orderId: string;
      readonly accountId: string;
      readonly arm: Arm;
      readonly symbol: string;
      readonly side: 'buy' | 'sell';
      readonly quantity: string;
      readonly decisionTsUs: number;
    }
  | {
      readonly k: 'fill';
      readonly key?: string;
      readonly orderId: string;
      readonly fillId: string;
      /** What filled, when less than the order's quantity (the rest canceled); absent: all of it. */
      readonly filledQuantity?: string;
      /** Event time it was booked at (the clock's, for a late report), µs. */
      readonly tsUs: number;
      readonly price: string;
      readonly fee: string;
      readonly latencyMs: number;
      readonly slippageBps: number;
    }
  | {
      readonly k: 'reject';
      readonly key?: string;
      readonly orderId: string;
      readonly tsUs: number;
      readonly reason: string;
      readonly message: string;
    }
  | {
      /** Each symbol's mark at `tsUs` (what open positions are valued at), exact decimal strings. */
      readonly k: 'marks';
      readonly tsUs: number;
      readonly marks: readonly (readonly [symbol: string, price: string])[];
    }
  | {
      readonly k: 'moves';
      readonly tsUs: number;
      /** Every symbol's mark when the accounts moved, exact decimal strings. */
      readonly marks: readonly (readonly [symbol: string, price: string])[];
      readonly moves: readonly (readonly [accountId: string, from: Arm, to: Arm])[];
    };

interface JournalHeader {
  readonly k: 'journal';
  readonly version: 1;
  readonly configHash: string;
}

/** What opening a journal found. */
export interface OpenedJournal {
  readonly journal: ReportJournal;
  /** The entries to rebuild from, oldest first (none for a new journal). */
  readonly entries: readonly JournalEntry[];
  /** True when the file was new (absent or empty): it holds nothing of what happened before. */
  readonly created: boolean;
  /** Bytes of a torn last line cut off (a report whose `record` never returned: never acknowledged). */
  readonly tornBytes: number;
}

/**
 * The canary's write-ahead journal of accepted reports: every order, fill and reject is appended
 * before it is booked (so before a server acknowledges it), and every membership change after it
 * is booked. A restarted canary rebuilds its books, open orders, duplicate ids and recent moves
 * from it, so a report acknowledged by a process that died is neither lost nor refused.
 *
 * Appends are plain synchronous writes: they survive the process dying, not the machine losing
 * power (the agents' outboxes make the same choice). A last line torn by a crash is cut off at open:
 * its `record` never returned, so no one was told it was accepted, and the sender sends it again.
 */
export class ReportJournal {
  readonly path: string;
  #fd: number | null;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /**
   * Opens (or creates) the journal at `path` for the configuration `configHash`, returning the
   * entries to rebuild from.
   * @throws ConfigError `E_REPORT_JOURNAL` for a journal of another configuration or a corrupt line.
   */
  static open(path: string, configHash: string): OpenedJournal {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const complete = text.lastIndexOf('\n') + 1;
    const tornBytes = Buffer.byteLength(text.slice(complete));
    const lines = text.slice(0, complete).split('\n');
    lines.pop(); // the empty string after the last newline
    const entries: JournalEntry[] = [];
    lines.forEach((line, i) => {
      const where = `${path}:${i + 1}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new ConfigError('E_REPORT_JOURNAL', `${where}: not a JSON line`);
      }
      if (i === 0) {
        const header = parsed as Partial<JournalHeader>;
        if (header.k !== 'journal' || header.version !== 1)
          throw new ConfigError('E_REPORT_JOURNAL', `${where}: not a report journal header`);
        if (header.configHash !== configHash)
          throw new ConfigError(
            'E_REPORT_JOURNAL',
            `${where}: written for another configuration (configHash ${String(header.configHash).slice(0, 12)}…, this run's is ${configHash.slice(0, 12)}…)`,
          );
        return;
      }
      if (!isEntry(parsed))
        throw new ConfigError('E_REPORT_JOURNAL', `${where}: not a journal entry`);
      entries.push(parsed);
    });
    const fd = openSync(path, 'a+');
    if (tornBytes > 0) ftruncateSync(fd, Buffer.byteLength(text.slice(0, complete)));
    const journal = new ReportJournal(path, fd);
    if (lines.length === 0) {
      const header: JournalHeader = { k: 'journal', version: 1, configHash };
      journal.#write(header);
    }
    return { journal, entries, created: lines.length === 0, tornBytes };
  }

  /** Appends one entry (one `write`). */
  append(entry: JournalEntry): void {
    this.#write(entry);
  }

  /** Closes the file; later appends throw. */
  close(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }

  #write(line: JournalEntry | JournalHeader): void {
    if (this.#fd === null) throw new Error(`report journal ${this.path} is closed`);
    try {
      writeSync(this.#fd, `${JSON.stringify(line)}\n`);
    } catch (error) {
      throw new OutputError(this.path, error); // a full disk: the canary closes (createCanary)
    }
  }
}

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/u);
const time = z.number().finite().nonnegative();
const arm = z.enum(['stable', 'canary']);
const key = z.string().optional();
const entrySchema = z.discriminatedUnion('k', [
  z.object({
    k: z.literal('order'),
    key,
    orderId: z.string(),
    accountId: z.string(),
    arm,
    symbol: z.string(),
    side: z.enum(['buy', 'sell']),
    quantity: decimal,
    decisionTsUs: time,
  }),
  z.object({
    k: z.literal('fill'),
    key,
    orderId: z.string(),
    fillId: z.string(),
    filledQuantity: decimal.optional(),
    tsUs: time,
    price: decimal,
    fee: decimal,
    latencyMs: z.number().finite(),
    slippageBps: z.number().finite(),
  }),
  z.object({
    k: z.literal('reject'),
    key,
    orderId: z.string(),
    tsUs: time,
    reason: z.string(),
    message: z.string(),
  }),
  z.object({
    k: z.literal('marks'),
    tsUs: time,
    marks: z.array(z.tuple([z.string(), decimal])),
  }),
  z.object({
    k: z.literal('moves'),
    tsUs: time,
    marks: z.array(z.tuple([z.string(), decimal])),
    moves: z.array(z.tuple([z.string(), arm, arm])),
  }),
]);

function isEntry(value: unknown): value is JournalEntry {
  return entrySchema.safeParse(value).success;
}
