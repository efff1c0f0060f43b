/**
 * The delivery item as commit point: the lease's states and transitions for an inbound mail, on the
 * lease mechanism every "apply once" path shares (lease.ts). docs/data-model.md draws them
 * ("The delivery's lease, state by state").
 *
 *  - claim: a delivery not seen before is claimed (processing, with a lease); of concurrent
 *    deliveries of one mail exactly one wins, the others meet what it wrote.
 *  - take over: a processing delivery of this SES id whose lease ran out or was given back (its
 *    invocation died or failed) is claimed again from the status and lease seen, keeping its ticket.
 *  - release: any failure, or time running short, gives the lease back (holdDelivery).
 *  - resume: a reply-pending delivery without a live lease gets its reply (record-mail.ts).
 *  - in flight: a live lease is left to its holder; a copy under another SES id is noted; a settled
 *    delivery is a duplicate.
 */
import type { Delivery } from '../domain/model.js';
import type { ClaimResult } from '../ports/deliveries.js';
import { holdingLease, isLeaseLive, leaseUntil, type Step } from './lease.js';
import { resumeReply } from './record-mail.js';
import type { IncomingDelivery, ReceiveMailDeps, ReceiveOutcome } from './receive-mail.js';

/**
 * How long a claim protects an invocation. Longer than the function timeout (30 s), so a live
 * invocation never loses its claim; shorter than Lambda's first async retry (about 1 min), so the
 * retry of a crashed invocation can take over. Failures and time running out release it at once.
 */
export const LEASE_MS = 45_000;

export type NextStep = 'claim' | 'take-over' | 'copy' | 'in-flight' | 'resume' | 'duplicate';

/** What the delivery item found for this mail asks for (pure). */
export function nextStep(existing: Delivery | undefined, deliveryId: string, now: Date): NextStep {
  if (!existing) return 'claim';
  if (existing.deliveryId !== deliveryId) return 'copy';
  if (isLeaseLive(existing.leaseUntil, now)) return 'in-flight';
  if (existing.status === 'processing') return 'take-over';
  if (existing.status === 'reply-pending' && existing.ticketNumber && existing.customerLogin) return 'resume';
  return 'duplicate';
}

export function newLease(now: Date): string {
  return leaseUntil(now, LEASE_MS);
}

/** Claims a new delivery, or takes over `seen` (the status and lease it was read with). */
export async function claimDelivery(deps: ReceiveMailDeps, claimed: Delivery, seen?: Delivery): Promise<ClaimResult> {
  const claim = await deps.deliveries.claim(claimed, deps.config.InboundDedupDays, seen);
  if (claim.claimed && seen) deps.metrics.count('DeliveryTakenOver');
  return claim;
}

/** Runs the work of a claim; gives the lease back on failure or when the invocation runs short of time. */
export function holdDelivery<T>(deps: ReceiveMailDeps, claimed: Delivery, incoming: IncomingDelivery, work: (step: Step) => Promise<T>): Promise<T> {
  const lease = claimed.leaseUntil ?? '';
  return holdingLease(deps, { release: () => deps.deliveries.release(claimed.key, lease), remainingMs: incoming.remainingMs }, work);
}

/**
 * The mail's delivery exists already, or another delivery of it won the claim. Nothing is created
 * again; only a reply that never went out is redone.
 */
export async function meetExisting(deps: ReceiveMailDeps, existing: Delivery, incoming: IncomingDelivery): Promise<ReceiveOutcome> {
  const now = deps.clock.now();
  switch (nextStep(existing, incoming.deliveryId, now)) {
    case 'copy':
      // One mail to two of our addresses: noted on the delivery, so ops tools see its raw mail handled.
      await deps.deliveries.addCopy(existing.key, incoming.deliveryId);
      deps.logger.info('Copy of a mail that arrived under another SES id', { reason: 'duplicate-message-id' });
      return duplicate(deps, existing.status);
    case 'in-flight':
      // Another invocation holds it; if that one fails, its own retry finishes the work.
      deps.metrics.count('MailInFlight');
      deps.logger.info('Delivery in flight elsewhere', { status: existing.status, leaseUntil: existing.leaseUntil });
      return 'in-flight';
    case 'resume': {
      const resumed: Delivery = { ...existing, leaseUntil: newLease(now) };
      const claim = await deps.deliveries.claim(resumed, deps.config.InboundDedupDays, existing);
      if (!claim.claimed) return duplicate(deps, claim.existing.status);
      return holdDelivery(deps, resumed, incoming, (step) => resumeReply(deps, resumed, step));
    }
    default:
      // Settled; or a claim of this SES id that won and was given back since: its own retry takes it over.
      return duplicate(deps, existing.status);
  }
}

export function duplicate(deps: Pick<ReceiveMailDeps, 'logger' | 'metrics'>, status: string): 'duplicate' {
  deps.metrics.count('MailDuplicate');
  deps.logger.info('Duplicate delivery', { status });
  return 'duplicate';
}
