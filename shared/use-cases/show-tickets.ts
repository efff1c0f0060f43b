/**
 * What a signed-in customer sees (docs/links-and-portal.md: 'Routes', 'The access trail',
 * 'Session scope'). Each is one read after the session's:
 *
 * listTickets: the customer's tickets, newest first (one Query of byCustomer); with
 *   SessionScope `ticket` only the ticket the session was started for.
 * showTicket: one ticket with its articles and its recent access trail (one Query of the ticket's
 *   partition). Someone else's ticket, a merged or removed one, and a missing one all answer
 *   the same: not found.
 */
import type { Config } from '../config.js';
import type { Session, Ticket } from '../domain/model.js';
import { isAccessible } from '../domain/ticket-lifecycle.js';
import type { TicketRepository, TicketView } from '../ports/tickets.js';
import type { Clock } from '../ports/system.js';
import { mayOpen } from './portal-session.js';

export interface ShowDeps {
  config: Pick<Config, 'AccessDaysAfterClose' | 'AccessTrailDays'>;
  clock: Clock;
  tickets: Pick<TicketRepository, 'listByCustomer' | 'view'>;
}

const DAY_MS = 86_400_000;
/** The ticket page shows the recent trail; ops see all of it (`ota ticket audit`). */
export const TRAIL_SHOWN = 20;

export async function listTickets(deps: ShowDeps, session: Session): Promise<Ticket[]> {
  const { items } = await deps.tickets.listByCustomer(session.customerLogin);
  return items.filter((t) => mayOpen(session, t));
}

export async function showTicket(deps: ShowDeps, session: Session, number: string): Promise<(TicketView & { canReply: boolean }) | undefined> {
  const view = await deps.tickets.view(number);
  if (!view || !mayOpen(session, view.ticket)) return undefined;
  const now = deps.clock.now();
  // TTL removes old entries late; they are dropped on read as well.
  const since = new Date(now.getTime() - deps.config.AccessTrailDays * DAY_MS).toISOString();
  return { ...view, trail: view.trail.filter((e) => e.at >= since).slice(0, TRAIL_SHOWN), canReply: isAccessible(view.ticket, deps.config, now) };
}
