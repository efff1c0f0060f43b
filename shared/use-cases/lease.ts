/**
 * The one lease mechanism of every "apply once" path: an inbound delivery (delivery-lease.ts) and a
 * helpdesk event (apply-helpdesk-event.ts). The item is claimed with a lease before any work; a live
 * lease means another invocation is on it; a lease that ran out (its invocation died) or was given
 * back may be taken over; the holder gives it back on any failure, so Lambda's retry continues at
 * once instead of waiting it out. The conditions that make claim, take-over and release atomic are
 * written once, in shared/adapters/dynamodb/lease-conditions.ts.
 *
 * Why our own and not Powertools idempotency (@aws-lambda-powertools/idempotency): its records keep
 * their own shape and statuses, so a delivery could not stay the inbound path's commit point
 * (claimed ticket number, reply-pending, copies, ops listings), and it cannot resume a reply that
 * was not sent; it reads its own clock (Date.now), which a test's FakeClock cannot move; and it adds
 * about 47 kB (minified, with its JMESPath engine) to cold start for what these few lines do.
 */
import { OutOfTimeError } from '../errors.js';
import type { Logger, Metrics } from '../ports/system.js';

/**
 * Below this much time left, no new step starts: the lease is given back instead. It covers the
 * longest single step (an SES send times out after 10 s; a DynamoDB request after 5 s, retried).
 */
export const TIME_MARGIN_MS = 12_000;

/** Called before each step of the work: throws OutOfTimeError when the invocation is about to end. */
export type Step = () => void;

export function leaseUntil(now: Date, leaseMs: number): string {
  return new Date(now.getTime() + leaseMs).toISOString();
}

/** A lease protects its holder until it runs out; an item without one (given back) is free. */
export function isLeaseLive(lease: string | undefined, now: Date): boolean {
  return lease !== undefined && lease > now.toISOString();
}

export interface HeldLease {
  /** Gives the lease back (a conditional write on the holder's own lease). */
  release(): Promise<void>;
  /** Milliseconds left in this invocation (Lambda's getRemainingTimeInMillis), when known. */
  remainingMs?: () => number;
}

/**
 * Runs the work of a claim. Before each step the work checks the time left; on failure or when
 * time runs short the lease is given back and the error rethrown, so the retry takes over.
 */
export async function holdingLease<T>(deps: { logger: Logger; metrics: Metrics }, lease: HeldLease, work: (step: Step) => Promise<T>): Promise<T> {
  const step: Step = () => {
    const left = lease.remainingMs?.();
    if (left !== undefined && left < TIME_MARGIN_MS) throw new OutOfTimeError(`Only ${left} ms left; the work is left to Lambda's retry`);
  };
  try {
    return await work(step);
  } catch (e) {
    await lease.release().catch((release: unknown) => {
      deps.logger.warn('Could not release the lease; it expires by itself', { error: String(release) });
    });
    if (e instanceof OutOfTimeError) deps.metrics.count('LeaseReturned');
    throw e;
  }
}
