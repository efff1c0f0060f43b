/**
 * The portal session (docs/links-and-portal.md, 'Sessions'): a random id in a cookie, only its hash
 * in the table, idle and absolute lifetimes, ended server-side on sign-out.
 *
 * resolveSession: one request reads and extends the session while it lives; an expired one is
 *   recorded on the trail of the ticket that started it ("session expiry seen").
 * signOut: the session ends server-side and the trail records it, in one request.
 * sessionOpens: the ticket a link names, read, and whether this session opens it (a link clicked
 *   again while signed in goes straight to the ticket: nothing spent, mailed or refused).
 * mayOpen: what a session opens — the customer's own tickets, or with SessionScope `ticket` only
 *   the one whose link started it; never a merged or removed ticket, never one of a disabled customer.
 */
import type { Config } from '../config.js';
import type { ClientRef, Session, Ticket } from '../domain/model.js';
import { isGone } from '../domain/ticket-lifecycle.js';
import type { SessionRepository } from '../ports/sessions.js';
import type { TicketRepository } from '../ports/tickets.js';
import type { TrailRepository } from '../ports/trail.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';
import { trailEntry } from '../domain/trail.js';
import { sessionIdHash } from './start-session.js';

export interface SessionDeps {
  config: Pick<Config, 'SessionIdleMinutes'>;
  clock: Clock;
  sessions: Pick<SessionRepository, 'touch' | 'end'>;
  trail: Pick<TrailRepository, 'record'>;
  logger: Logger;
  metrics: Metrics;
}

const MINUTE_MS = 60_000;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export async function resolveSession(deps: SessionDeps, sessionId: string | undefined, client?: ClientRef): Promise<Session | undefined> {
  if (!sessionId || !SESSION_ID.test(sessionId)) return undefined;
  const now = deps.clock.now();
  const found = await deps.sessions.touch(sessionIdHash(sessionId), now.toISOString(), new Date(now.getTime() - deps.config.SessionIdleMinutes * MINUTE_MS).toISOString());
  if (found.found) return found.session;
  if (found.expired) {
    deps.metrics.count('SessionExpired');
    await deps.trail.record([trailEntry(found.expired.ticketNumber, now.toISOString(), { event: 'session-expired' }, client)]);
    // Its TTL removes it eventually; removing it now keeps the expiry from being recorded twice.
    await deps.sessions.end(found.expired.idHash);
  }
  return undefined;
}

export async function signOut(deps: SessionDeps, session: Session, client?: ClientRef): Promise<void> {
  await deps.sessions.end(session.idHash, { trail: [trailEntry(session.ticketNumber, deps.clock.now().toISOString(), { event: 'signed-out' }, client)] });
  deps.metrics.count('SignedOut');
}

export async function sessionOpens(deps: { tickets: Pick<TicketRepository, 'get'> }, session: Session, ticketNumber: string): Promise<boolean> {
  const ticket = await deps.tickets.get(ticketNumber);
  return ticket !== undefined && mayOpen(session, ticket);
}

export function mayOpen(session: Pick<Session, 'customerLogin' | 'scope' | 'ticketNumber'>, ticket: Pick<Ticket, 'number' | 'customerLogin' | 'state' | 'customerDisabled'>): boolean {
  // customerDisabled as well: disabling ends the customer's sessions through an eventually consistent
  // index, so a session that index missed still opens nothing.
  if (ticket.customerLogin !== session.customerLogin || isGone(ticket.state) || ticket.customerDisabled) return false;
  return session.scope === 'customer' || ticket.number === session.ticketNumber;
}
