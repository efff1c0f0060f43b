/**
 * change-ticket-state: a helpdesk (event) or ops (CLI) moves a ticket
 * (docs/events.md, 'Ticket lifecycle').
 *
 *  1. The change is planned from the ticket as read (domain/ticket-lifecycle.ts): closedAt, the
 *     merge target, the active token's new expiry. A merge names a ticket that exists.
 *  2. One conditional update, guarded by the state and the pointer that were read; the sweep
 *     index follows closedAt inside the repository. Another writer in between means re-plan.
 *  3. The active token's TTL follows its expiry: closing brings it forward to closedAt +
 *     AccessDaysAfterClose (DynamoDB removes it even if the sweep is down), reopening restores it.
 */
import type { Config } from '../config.js';
import type { TicketState } from '../domain/model.js';
import { planTransition } from '../domain/ticket-lifecycle.js';
import { NotFoundError, RetryableError } from '../errors.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';
import type { TicketRepository } from '../ports/tickets.js';
import type { TokenRepository } from '../ports/tokens.js';

export interface StateDeps {
  config: Pick<Config, 'AccessDaysAfterClose' | 'TokenMaxAgeDays'>;
  clock: Clock;
  tickets: Pick<TicketRepository, 'get' | 'update'>;
  tokens: Pick<TokenRepository, 'setTtl'>;
  logger: Logger;
  metrics: Metrics;
}

export interface StateChange {
  ticketNumber: string;
  state: TicketState;
  mergedInto?: string;
  /** When it happened at the helpdesk; never later than now. */
  at?: string;
}

export type StateOutcome = { outcome: 'changed' | 'unchanged'; from: TicketState; to: TicketState; closedAt?: string };

const MAX_ATTEMPTS = 3;

export async function changeTicketState(deps: StateDeps, change: StateChange): Promise<StateOutcome> {
  const now = deps.clock.now();
  const at = change.at && Date.parse(change.at) < now.getTime() ? new Date(change.at) : now;
  if (change.mergedInto && !(await deps.tickets.get(change.mergedInto))) throw new NotFoundError(`No ticket ${change.mergedInto} to merge into`);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const ticket = await deps.tickets.get(change.ticketNumber);
    if (!ticket) throw new NotFoundError(`No ticket ${change.ticketNumber}`);
    const plan = planTransition(ticket, change.state, at, deps.config, change.mergedInto);
    if (plan.unchanged) {
      // The first delivery may have died between the ticket's write and the token's: finish it (idempotent).
      if (ticket.activeToken) await deps.tokens.setTtl(ticket.number, ticket.activeToken.hash, ticket.activeToken.expiresAt);
      return { outcome: 'unchanged', from: ticket.state, to: ticket.state, closedAt: ticket.closedAt };
    }
    const result = await deps.tickets.update(ticket.number, { change: plan.change, updatedAt: now.toISOString() }, { state: ticket.state, activeTokenHash: ticket.activeToken?.hash ?? null });
    if (!result.updated) continue;
    if (ticket.activeToken && plan.change.activeTokenExpiresAt) await deps.tokens.setTtl(ticket.number, ticket.activeToken.hash, plan.change.activeTokenExpiresAt);
    deps.metrics.count('TicketStateChanged');
    deps.logger.info('Ticket state changed', { ticketNumber: ticket.number, from: ticket.state, to: change.state });
    return { outcome: 'changed', from: ticket.state, to: change.state, closedAt: plan.change.closedAt ?? undefined };
  }
  throw new RetryableError(`Ticket ${change.ticketNumber} kept changing under the state change`);
}
