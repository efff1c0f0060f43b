/**
 * apply-helpdesk-event: one helpdesk event, applied once however often it is delivered (docs/events.md).
 *
 *  1. The event id is claimed in the ledger with a lease (lease.ts, the one every "apply once"
 *     path holds). A redelivery of an applied event is answered from the ledger; one in flight
 *     elsewhere is left to that invocation.
 *  2. The event is applied: a state change, an agent reply (article and mail), a customer's
 *     status, a link for ops, a self-service request from the portal.
 *  3. The outcome is recorded; on failure the lease is given back and the error rethrown, so
 *     the retry (or the failure queue, for what cannot succeed) takes over.
 */
import type { HelpdeskEvent } from '../events/helpdesk.js';
import type { EventLedger } from '../ports/events.js';
import { agentReply, type AgentReplyDeps } from './agent-reply.js';
import { changeTicketState, type StateDeps } from './change-ticket-state.js';
import { holdingLease, leaseUntil } from './lease.js';
import { fulfilLinkRequest, type FulfilDeps } from './request-link.js';
import { sendLink } from './send-link.js';
import { setCustomerStatus, type CustomerStatusDeps } from './set-customer-status.js';

export type HelpdeskDeps = StateDeps & AgentReplyDeps & CustomerStatusDeps & FulfilDeps & { ledger: EventLedger };

export type ApplyOutcome = { status: 'applied'; result: unknown } | { status: 'duplicate' | 'in-flight' };

const LEASE_MS = 60_000;
const LEDGER_DAYS = 7;

export async function applyHelpdeskEvent(deps: HelpdeskDeps, event: HelpdeskEvent): Promise<ApplyOutcome> {
  const now = deps.clock.now();
  const lease = leaseUntil(now, LEASE_MS);
  const claim = await deps.ledger.claim(event.id, now.toISOString(), lease, LEDGER_DAYS);
  if (!claim.claimed) {
    deps.metrics.count('EventDuplicate');
    return { status: claim.done ? 'duplicate' : 'in-flight' };
  }
  return holdingLease(deps, { release: () => deps.ledger.release(event.id, lease) }, async () => {
    const result = await apply(deps, event);
    await deps.ledger.complete(event.id, JSON.stringify(result).slice(0, 1000), deps.clock.now().toISOString(), LEDGER_DAYS);
    return { status: 'applied', result } as const;
  });
}

function apply(deps: HelpdeskDeps, event: HelpdeskEvent): Promise<unknown> {
  switch (event.type) {
    case 'TicketStateChanged':
      return changeTicketState(deps, event.detail);
    case 'AgentReplied':
      deps.metrics.count('AgentReplied');
      return agentReply(deps, { eventId: event.id, eventTime: event.time, ...event.detail });
    case 'CustomerStatusChanged':
      return setCustomerStatus(deps, event.detail.login.trim().toLowerCase(), event.detail.disabled);
    case 'LinkRequested':
      return sendLink(deps, event.detail.ticketNumber);
    case 'SelfServiceLinkRequested':
      return fulfilLinkRequest(deps, event.detail);
  }
}
