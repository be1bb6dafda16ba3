import { closeSync, existsSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
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
  /** True when the file was new (absent or empty): it holds nothing of what happened before. */
  readonly created: boolean;
  /** Bytes of a torn last line cut off (a report whose `record` never returned: never acknowledged). */
  readonly tornBytes: number;
}

/** How much of the journal is read at a time when it is opened. */
const READ_CHUNK_BYTES = 1 << 20;

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
   * Opens (or creates) the journal at `path` for the configuration `configHash`, giving each
   * entry to rebuild from to `onEntry`, oldest first. The file is read a chunk at a time, each
   * entry handed on as its line is read: a long rollout's journal outgrows the longest string V8
   * makes (about 512 MiB: `readFileSync` then threw), and its entries all at once the memory.
   * @throws ConfigError `E_REPORT_JOURNAL` for a journal of another configuration or a corrupt line.
   */
  static open(
    path: string,
    configHash: string,
    onEntry: (entry: JournalEntry) => void,
    chunkBytes = READ_CHUNK_BYTES,
  ): OpenedJournal {
    let lines = 0;
    const onLine = (line: string): void => {
      lines++;
      const where = `${path}:${lines}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new ConfigError('E_REPORT_JOURNAL', `${where}: not a JSON line`);
      }
      if (lines === 1) {
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
      onEntry(parsed);
    };
    const { completeBytes, tornBytes } = existsSync(path)
      ? readLines(path, chunkBytes, onLine)
      : { completeBytes: 0, tornBytes: 0 };
    const fd = openSync(path, 'a+');
    if (tornBytes > 0) ftruncateSync(fd, completeBytes);
    const journal = new ReportJournal(path, fd);
    if (lines === 0) {
      const header: JournalHeader = { k: 'journal', version: 1, configHash };
      journal.#write(header);
    }
    return { journal, created: lines === 0, tornBytes };
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

/**
 * Reads `path` `chunkBytes` at a time and gives each complete line (ended by `\n`) to `onLine`;
 * returns the bytes up to the last one, and those after it (a line a crash tore).
 */
function readLines(
  path: string,
  chunkBytes: number,
  onLine: (line: string) => void,
): { completeBytes: number; tornBytes: number } {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    /** The start of a line that began in an earlier chunk. */
    let pending: Buffer[] = [];
    let completeBytes = 0;
    let offset = 0;
    for (;;) {
      const read = readSync(fd, chunk, 0, chunkBytes, offset);
      if (read === 0) break;
      offset += read;
      let start = 0;
      for (
        let end = chunk.indexOf(10, start);
        end >= 0 && end < read;
        end = chunk.indexOf(10, start)
      ) {
        const piece = chunk.subarray(start, end);
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        completeBytes = offset - read + end + 1;
        onLine(line.toString('utf8'));
        start = end + 1;
      }
      if (start < read) pending.push(Buffer.from(chunk.subarray(start, read)));
    }
    return { completeBytes, tornBytes: offset - completeBytes };
  } finally {
    closeSync(fd);
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
