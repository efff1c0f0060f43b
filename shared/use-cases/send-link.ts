/**
 * send-link: ops mail a ticket's customer a fresh link (`ota link send`), what the add-on's
 * ticket-link placeholder does. Refused, with the reason, for a disabled customer or a ticket
 * beyond its window.
 */
import { NotFoundError, RefusedError } from '../errors.js';
import type { CustomerRepository } from '../ports/customers.js';
import { issueLink, refreshMail, type LinkDeps } from './issue-link.js';

const REFUSALS: Record<string, string> = {
  'customer-disabled': 'the customer is disabled',
  'not-accessible': 'the ticket is merged, removed, or closed longer than AccessDaysAfterClose',
  missing: 'the ticket does not exist',
  conflict: 'the ticket kept changing; try again',
  'rate-limited': 'a link was sent moments ago',
};

export async function sendLink(deps: LinkDeps & { customers: Pick<CustomerRepository, 'get'> }, ticketNumber: string): Promise<{ sentTo: string }> {
  const ticket = await deps.tickets.get(ticketNumber);
  if (!ticket) throw new NotFoundError(`No ticket ${ticketNumber}`);
  const customer = await deps.customers.get(ticket.customerLogin);
  if (!customer) throw new NotFoundError(`No customer ${ticket.customerLogin} for ticket ${ticketNumber}`);
  const outcome = await issueLink(deps, {
    ticket,
    customer,
    purpose: 'ops',
    mail: refreshMail(ticket),
  });
  if (outcome.issued) {
    deps.metrics.count('OpsLinkSent');
    return { sentTo: customer.email };
  }
  if (outcome.reason === 'mail-failed') throw outcome.error;
  throw new RefusedError(`No link sent for ticket ${ticketNumber}: ${REFUSALS[outcome.reason] ?? outcome.reason}`);
}
