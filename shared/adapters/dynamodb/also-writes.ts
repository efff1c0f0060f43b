/**
 * The trail entries and outbox records that ride along with another batch (ports/writes.ts), as
 * BatchWrite requests. A trail entry's id is derived from its content, so writing it twice (a
 * retried batch) lands on the same item.
 */
import { createHash } from 'node:crypto';
import type { TrailEntry } from '../../domain/model.js';
import type { AlsoWrite } from '../../ports/writes.js';
import { outboxItem, trailItem } from './items.js';
import { keys } from './keys.js';
import type { WriteRequest } from './table.js';

export interface TrailSettings {
  /** AccessTrailDays: each entry's TTL. */
  retentionDays: number;
}

export function trailEntryId(e: TrailEntry): string {
  return createHash('sha256').update(JSON.stringify([e.ticketNumber, e.at, e.event, e.detail ?? '', e.client ?? '', e.requestId ?? ''])).digest('base64url').slice(0, 12);
}

export function alsoWrites(also: AlsoWrite, trail: TrailSettings): WriteRequest[] {
  return [
    ...(also.trail ?? []).map((e): WriteRequest => ({ put: trailItem.to(e, trailEntryId(e), trail.retentionDays) })),
    ...(also.events ?? []).map((e): WriteRequest => ({ put: outboxItem.to(e) })),
    ...(also.published ?? []).map((e): WriteRequest => ({ delete: keys.outbox(e.at, e.eventId) })),
  ];
}
