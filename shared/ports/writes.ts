/**
 * Records that ride along with another write in the same request: the access trail and the
 * outbox of published events are never worth a DynamoDB round trip of their own.
 */
import type { OutboundEvent, TrailEntry } from '../domain/model.js';

export interface AlsoWrite {
  /** Access-trail entries (they expire after AccessTrailDays). */
  trail?: TrailEntry[];
  /** Events to publish, kept in the outbox until the bus accepted them. */
  events?: OutboundEvent[];
  /** Outbox records of events the bus has accepted meanwhile: they leave the outbox. */
  published?: Pick<OutboundEvent, 'eventId' | 'at'>[];
}
