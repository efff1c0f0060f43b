/** Events for a helpdesk: published through an outbox, and incoming ones applied once. */
import type { OutboundEvent } from '../domain/model.js';

export interface PublishResult {
  published: OutboundEvent[];
  /** Not accepted: they stay in the outbox for the relay. */
  failed: OutboundEvent[];
  /** Why some failed, for the log. */
  error?: string;
}

export interface EventPublisher {
  /** Puts the events on the bus; never throws for a failure of the bus itself (the outbox keeps what failed). */
  publish(events: OutboundEvent[]): Promise<PublishResult>;
}

export interface Outbox {
  /** Events written before `olderThan` and not yet published, oldest first. */
  pending(olderThan: string, limit: number): Promise<OutboundEvent[]>;
  /** Drops published events from the outbox. */
  remove(events: Pick<OutboundEvent, 'eventId' | 'at'>[]): Promise<void>;
}

export type LedgerClaim = { claimed: true } | { claimed: false; done: boolean };

/** Incoming events applied at most once by event id, with a lease like an inbound delivery. */
export interface EventLedger {
  /** Claims an event not seen before, or one whose lease ran out before `now` (its invocation died). */
  claim(eventId: string, now: string, leaseUntil: string, ttlDays: number): Promise<LedgerClaim>;
  /** The event was applied: redeliveries are answered from here. */
  complete(eventId: string, outcome: string, now: string, ttlDays: number): Promise<void>;
  /** Gives the lease back after a failure, so a retry can apply the event. */
  release(eventId: string, leaseUntil: string): Promise<void>;
}
