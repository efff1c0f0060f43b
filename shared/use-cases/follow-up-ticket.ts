/**
 * The ticket an inbound mail follows up, and its one conditional update. A follow-up belongs to one
 * of the sender's own tickets, named in the subject (`[Ticket#n]`) or by a Message-ID the mail
 * refers to, still within its window; otherwise the mail opens a new ticket.
 */
import type { Config } from '../config.js';
import type { ActiveCode, ActiveToken, Delivery, Ticket } from '../domain/model.js';
import { isAccessible, isClosed, planTransition, windowStart } from '../domain/ticket-lifecycle.js';
import { NotFoundError, RetryableError } from '../errors.js';
import type { InboundSnapshot } from '../ports/deliveries.js';
import type { Metrics } from '../ports/system.js';
import type { TicketRepository } from '../ports/tickets.js';
import type { TokenRepository } from '../ports/tokens.js';

const MAX_UPDATE_ATTEMPTS = 3;

type FollowUpDeps = { config: Config; tickets: TicketRepository; tokens: Pick<TokenRepository, 'setTtl'>; metrics: Metrics };

/** A taken-over delivery keeps the ticket it claimed, so a retry never opens a second ticket. */
export async function followUpTicket(deps: FollowUpDeps, r: { earlier?: Delivery; snapshot: InboundSnapshot; login: string; now: Date }): Promise<Ticket | undefined> {
  if (r.earlier?.ticketNumber) return r.earlier.newTicket ? undefined : deps.tickets.get(r.earlier.ticketNumber);
  const usable = (t: Ticket | undefined) => t && t.customerLogin === r.login && isAccessible(t, deps.config, r.now);
  const { subjectTicket, threadRefs } = r.snapshot;
  if (usable(subjectTicket)) return subjectTicket;
  const ref = threadRefs.find((t) => t.customerLogin === r.login && t.ticketNumber !== subjectTicket?.number);
  if (!ref) return undefined;
  const ticket = await deps.tickets.get(ref.ticketNumber);
  return usable(ticket) ? ticket : undefined;
}

/**
 * Adds the follow-up to the ticket in one conditional update: reopens it when closed or pending,
 * makes the new token the active one, remembers the Message-ID for threading. Re-plans when
 * another writer changed the ticket meanwhile. Resolves with whether the ticket was reopened.
 */
export async function updateFollowUp(
  deps: FollowUpDeps,
  ticket: Ticket,
  login: string,
  minted: { token: ActiveToken; code: ActiveCode } | undefined,
  messageId: string | undefined,
  now: Date,
): Promise<boolean> {
  const token = minted?.token;
  let current: Ticket | undefined = ticket;
  for (let attempt = 1; current && attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
    const reopen = isClosed(current.state) || current.state === 'pending';
    const plan = reopen ? planTransition(current, 'open', now, deps.config) : undefined;
    const result = await deps.tickets.update(
      current.number,
      { ...(plan ? { change: plan.change } : {}), ...(minted ? { activeToken: minted.token, activeCode: minted.code } : {}), ...(messageId ? { lastMessageId: messageId } : {}), updatedAt: now.toISOString() },
      {
        customerLogin: login,
        state: current.state,
        // The token moves from the pointer we read; the plan's token expiry was computed from it too.
        ...(token || plan?.change.activeTokenExpiresAt ? { activeTokenHash: current.activeToken?.hash ?? null } : {}),
        notGone: true,
        openOrClosedAfter: windowStart(deps.config, now),
      },
    );
    if (result.updated) {
      if (plan?.reopened) deps.metrics.count('TicketReopened');
      // Reopened without a new link (no reply for this mail): the active one's TTL is restored with its pointer.
      if (!token && current.activeToken && plan?.change.activeTokenExpiresAt) await deps.tokens.setTtl(current.number, current.activeToken.hash, plan.change.activeTokenExpiresAt);
      return plan?.reopened ?? false;
    }
    current = await deps.tickets.get(ticket.number);
  }
  if (!current) throw new NotFoundError(`Follow-up ticket ${ticket.number} no longer exists`);
  throw new RetryableError('Follow-up ticket kept changing under us');
}
