import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import { Decimal } from '../core/money.js';
import type { AssignmentChange, EmbeddedBooks } from './embedded-books.js';
import type { JournalEntry } from './report-journal.js';
import type { RecentIds } from './recent-ids.js';

/** An order the canary accepted and has not seen settled (its fill or reject is still to come). */
export interface OpenOrder {
  readonly accountId: string;
  readonly arm: Arm;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: Decimal;
  readonly decisionTsUs: number;
}

/**
 * Fill ids, ids of settled orders and journaled keys are remembered for duplicate detection: the
 * latest this many of each (memory stays bounded: {@link RecentIds}).
 */
export const IDS_KEPT = 1_000_000;

/** What a canary keeps of the reports it accepted, which a journal rebuilds. */
export interface ReportState {
  readonly books: EmbeddedBooks;
  readonly orders: Map<string, OpenOrder>;
  readonly fillIds: RecentIds;
  readonly settledOrderIds: RecentIds;
  readonly recorded: Record<Arm, { orders: number; fills: number; rejects: number }>;
  /** Each account's latest move (an order for the arm it left is late, not wrong, for a while). */
  readonly lastMoves: Map<string, AssignmentChange>;
  /** Keys of the journaled reports: their sender may send them again after a restart. */
  readonly journaledKeys: RecentIds;
}

/**
 * What replays a report journal's entries (report-journal.ts) into `into`, each as it is read, in
 * order, as the last process booked them: orders opened, fills booked on the exact books at their
 * time, rejects, membership changes at the marks they were valued at, the marks. Nothing reaches
 * the analysis (after a restart its evidence starts afresh). It throws `E_REPORT_JOURNAL` for a
 * fill or reject of an order the journal never opened.
 */
export function rebuildFromJournal(path: string, into: ReportState): (entry: JournalEntry) => void {
  const { books, orders, fillIds, settledOrderIds, recorded, lastMoves, journaledKeys } = into;
  return (entry) => {
    if (entry.k !== 'moves' && entry.k !== 'marks' && entry.key !== undefined) {
      journaledKeys.add(
        entry.key,
        reportName(
          entry.k === 'fill' ? 'fill' : entry.k,
          entry.orderId,
          entry.k === 'fill' ? entry.fillId : undefined,
        ),
      );
    }
    switch (entry.k) {
      case 'order':
        orders.set(entry.orderId, {
          accountId: entry.accountId,
          arm: entry.arm,
          symbol: entry.symbol,
          side: entry.side,
          quantity: new Decimal(entry.quantity),
          decisionTsUs: entry.decisionTsUs,
        });
        recorded[entry.arm].orders++;
        break;
      case 'fill':
      case 'reject': {
        const order = orders.get(entry.orderId);
        if (order === undefined) {
          throw new ConfigError(
            'E_REPORT_JOURNAL',
            `${path}: ${entry.k} for order ${entry.orderId}, which the journal never opened`,
          );
        }
        orders.delete(entry.orderId);
        settledOrderIds.add(entry.orderId);
        if (entry.k === 'fill') {
          fillIds.add(entry.fillId);
          books.restoreFill({
            type: 'fill',
            orderId: entry.orderId,
            accountId: order.accountId,
            arm: order.arm,
            symbol: order.symbol,
            side: order.side,
            quantity:
              entry.filledQuantity === undefined
                ? order.quantity
                : new Decimal(entry.filledQuantity),
            decisionTsUs: order.decisionTsUs,
            tsUs: entry.tsUs,
            price: new Decimal(entry.price),
            fee: new Decimal(entry.fee),
            latencyMs: entry.latencyMs,
            slippageBps: entry.slippageBps,
          });
          recorded[order.arm].fills++;
        } else {
          books.clock.advance(entry.tsUs);
          recorded[order.arm].rejects++;
        }
        break;
      }
      case 'marks':
        books.restoreMarks(entry.tsUs, entry.marks.map(decimalMark));
        break;
      case 'moves':
        books.restoreMoves(
          entry.tsUs,
          entry.marks.map(decimalMark),
          entry.moves.map(([accountId, , to]) => [accountId, to] as const),
        );
        for (const [accountId, from, to] of entry.moves) {
          lastMoves.set(accountId, {
            accountId,
            from,
            to,
            atTsUs: entry.tsUs,
            positions: books.positionsPolicy,
          });
        }
        break;
    }
  };
}

/**
 * What a journaled key was for, as its refusal names it: `order o-1`, `fill f-1 of order o-1`,
 * `reject of order o-1`. A report sent again under its key names the same.
 */
export function reportName(
  type: 'order' | 'fill' | 'reject',
  orderId: string,
  fillId: string | undefined,
): string {
  if (type === 'fill') return `fill ${fillId ?? ''} of order ${orderId}`;
  return type === 'order' ? `order ${orderId}` : `reject of order ${orderId}`;
}

function decimalMark([symbol, price]: readonly [string, string]): readonly [string, Decimal] {
  return [symbol, new Decimal(price)];
}
