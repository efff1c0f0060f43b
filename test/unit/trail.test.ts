/**
 * Access-trail entries (shared/domain/trail.ts) and their items (shared/adapters/dynamodb/items.ts):
 * built one way, stored in the flat shape every version wrote, read back into the union. A detail
 * this version does not know is dropped on reading, so the entry still reads.
 */
import { describe, expect, it } from '@jest/globals';
import { read, trailItem } from '../../shared/adapters/dynamodb/items.js';
import { readTrailEntry, trailEntry, TRAIL_DETAILS, TRAIL_EVENTS } from '../../shared/domain/trail.js';

const AT = '2026-03-04T10:00:00.000Z';

describe('trail entries', () => {
  it('are built with their detail and the coarse client, and the request id only to tell them apart', () => {
    // Act
    const minted = trailEntry('20260304000001', AT, { event: 'link-minted', detail: 'refresh' }, { hint: 'Firefox, 203.0.113.0/24', requestId: 'r-1' });
    const opened = trailEntry('20260304000001', AT, { event: 'link-opened' });

    // Assert
    expect(minted).toEqual({ ticketNumber: '20260304000001', at: AT, event: 'link-minted', detail: 'refresh', client: 'Firefox, 203.0.113.0/24', requestId: 'r-1' });
    expect(opened).toEqual({ ticketNumber: '20260304000001', at: AT, event: 'link-opened' });
  });

  it('are stored flat, as before: event, detail and client, never the request id', () => {
    // Act
    const item = trailItem.to(trailEntry('20260304000001', AT, { event: 'link-refused', detail: 'rate-limited' }, { hint: 'curl', requestId: 'r-1' }), 'id-1', 30);

    // Assert
    expect(item).toMatchObject({ entity: 'audit', ticketNumber: '20260304000001', at: AT, event: 'link-refused', detail: 'rate-limited', client: 'curl' });
    expect(item).not.toHaveProperty('requestId');
    expect(read.trail(item)).toEqual({ ticketNumber: '20260304000001', at: AT, event: 'link-refused', detail: 'rate-limited', client: 'curl' });
  });

  it('read every event and every detail value back as stored', () => {
    // Prepare: one stored item per event and detail value, in the attributes every version wrote.
    const stored = TRAIL_EVENTS.flatMap((event) =>
      (TRAIL_DETAILS[event].length ? (TRAIL_DETAILS[event] as readonly string[]) : [undefined]).map((detail) => ({ pk: 'TICKET#1', sk: `AUDIT#${AT}#x`, entity: 'audit', ticketNumber: '1', at: AT, event, ...(detail ? { detail } : {}), ttl: 1 })),
    );

    // Act
    const entries = stored.map(read.trail);

    // Assert: nothing lost but the table's own attributes.
    expect(entries).toEqual(stored.map(({ pk: _pk, sk: _sk, entity: _e, ttl: _t, ...entry }) => entry));
    // Purposes, refusal reasons, self-service outcomes, code refusals.
    expect(entries.filter((e) => e.detail).length).toBe(5 + 6 + 5 + 2);
  });

  it('read a detail this version does not know as none, keeping the entry', () => {
    // Act
    const future = readTrailEntry({ ticketNumber: '1', at: AT, event: 'link-refused', detail: 'CustomerErrorMessageFromTheFuture', client: 'Safari' });
    const misplaced = readTrailEntry({ ticketNumber: '1', at: AT, event: 'link-opened', detail: 'auto-reply' });

    // Assert
    expect(future).toEqual({ ticketNumber: '1', at: AT, event: 'link-refused', client: 'Safari' });
    expect(misplaced).toEqual({ ticketNumber: '1', at: AT, event: 'link-opened' });
  });

  it('refuse an item whose event is unknown, naming its key', () => {
    expect(() => read.trail({ pk: 'TICKET#1', sk: 'AUDIT#x', ticketNumber: '1', at: AT, event: 'link-teleported' })).toThrow(/audit item TICKET#1 \/ AUDIT#x: event/);
  });
});
