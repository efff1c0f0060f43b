/**
 * sweep-closed-tickets (docs/operations.md, 'The sweep'): deletes every token of the tickets
 * closed, merged or removed at or before now − AccessDaysAfterClose days (0: all of them).
 *
 *  1. The sparse closedTickets index, by close date, a page at a time: the work grows with the
 *     tickets that are due, never with the table (no Scan anywhere).
 *  2. Per due ticket, each step guarded by the closedAt that was read (a ticket reopened, or
 *     reopened and closed again, meanwhile keeps its tokens and its new window): the pointers (token
 *     and code) go;
 *     one Query of its tokens and batched deletes; the ticket leaves the index.
 *  3. Before each page, the time left: a run that is short of time stops after a whole ticket and
 *     says so. Every step is idempotent, so the next run (or an overlapping one) finishes the job.
 */
import type { Config } from '../config.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';
import type { TicketRepository } from '../ports/tickets.js';
import type { TokenRepository } from '../ports/tokens.js';

export interface SweepDeps {
  config: Pick<Config, 'AccessDaysAfterClose'>;
  clock: Clock;
  tickets: Pick<TicketRepository, 'dueForSweep' | 'update'>;
  tokens: Pick<TokenRepository, 'deleteAll'>;
  logger: Logger;
  metrics: Metrics;
}

export interface SweepReport {
  /** The moment the sweep ran as of (`--now`, or the clock). */
  asOf: string;
  /** Tickets closed at or before this (asOf − AccessDaysAfterClose) lose their tokens. */
  cutoff: string;
  ticketsExamined: number;
  tokensDeleted: number;
  pages: number;
  /** False when the run stopped for lack of time; the next run continues. */
  complete: boolean;
  timeLeftMs?: number;
}

const DAY_MS = 86_400_000;
const PAGE = 100;
/** Stop with this much time left: a page of 100 tickets' deletes fits well inside it. */
export const SWEEP_MARGIN_MS = 20_000;

export async function sweepClosedTickets(deps: SweepDeps, options: { now?: Date; remainingMs?: () => number } = {}): Promise<SweepReport> {
  const now = options.now ?? deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.config.AccessDaysAfterClose * DAY_MS).toISOString();
  const report: SweepReport = { asOf: now.toISOString(), cutoff, ticketsExamined: 0, tokensDeleted: 0, pages: 0, complete: true };
  let cursor: string | undefined;
  do {
    const left = options.remainingMs?.();
    if (left !== undefined && left < SWEEP_MARGIN_MS) {
      report.complete = false;
      report.timeLeftMs = left;
      deps.metrics.count('SweepIncomplete');
      break;
    }
    // The index is eventually consistent: a ticket unindexed a moment ago may show once more; its
    // second sweep deletes nothing and the guarded update refuses.
    const page = await deps.tickets.dueForSweep(cutoff, { limit: PAGE, cursor });
    report.pages++;
    for (const due of page.items) {
      report.ticketsExamined++;
      // Guarded by the closedAt the index showed: a ticket reopened (or closed anew) since keeps its
      // tokens. The pointer goes first, the index entry last, so a run that dies in between leaves
      // the ticket in the index and the next run finishes it.
      const guard = { closedAt: due.closedAt };
      // The code of the same mail goes with it: a swept ticket's mails open nothing.
      const claimed = await deps.tickets.update(due.number, { activeToken: null, activeCode: null, updatedAt: deps.clock.now().toISOString() }, guard);
      if (!claimed.updated) continue;
      report.tokensDeleted += (await deps.tokens.deleteAll(due.number)).deleted;
      await deps.tickets.update(due.number, { leaveSweepIndex: true, updatedAt: deps.clock.now().toISOString() }, guard);
    }
    cursor = page.cursor;
  } while (cursor);
  deps.metrics.count('SweepTicketsExamined', report.ticketsExamined);
  deps.metrics.count('SweepTokensDeleted', report.tokensDeleted);
  deps.metrics.count('SweepPages', report.pages);
  deps.logger.info('Sweep finished', { ...report });
  return report;
}
