/**
 * set-customer-status: disable or enable a customer (docs/events.md, 'Disabling a customer').
 * Disabling ends their links and sessions at once:
 *
 *  1. The customer record (inbound mail from a disabled customer is kept, unanswered).
 *  2. Each of their tickets is marked, and its active token removed: every link guard checks the
 *     mark, so a link minted concurrently with the disable cannot open anything either.
 *  3. Every session of the customer ends.
 * Enabling clears the marks; the customer's next mail or a `link send` brings a working link.
 */
import { NotFoundError } from '../errors.js';
import type { CustomerRepository } from '../ports/customers.js';
import type { SessionRepository } from '../ports/sessions.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';
import type { TicketRepository } from '../ports/tickets.js';

export interface CustomerStatusDeps {
  clock: Clock;
  customers: Pick<CustomerRepository, 'setDisabled'>;
  tickets: Pick<TicketRepository, 'listByCustomer' | 'update'>;
  sessions: Pick<SessionRepository, 'endAllOf'>;
  logger: Logger;
  metrics: Metrics;
}

export async function setCustomerStatus(deps: CustomerStatusDeps, login: string, disabled: boolean): Promise<{ tickets: number; sessionsEnded: number }> {
  const customer = await deps.customers.setDisabled(login, disabled);
  if (!customer) throw new NotFoundError(`No customer ${login}`);
  const now = deps.clock.now().toISOString();
  let tickets = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.tickets.listByCustomer(login, { cursor, limit: 100 });
    for (const ticket of page.items) {
      await deps.tickets.update(ticket.number, disabled ? { customerDisabled: true, activeToken: null, updatedAt: now } : { customerDisabled: false, updatedAt: now }, { customerLogin: login });
      tickets++;
    }
    cursor = page.cursor;
  } while (cursor);
  const sessionsEnded = disabled ? await deps.sessions.endAllOf(login) : 0;
  deps.metrics.count(disabled ? 'CustomerDisabled' : 'CustomerEnabled');
  deps.logger.info(disabled ? 'Customer disabled' : 'Customer enabled', { tickets, sessionsEnded });
  return { tickets, sessionsEnded };
}
