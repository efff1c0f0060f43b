/** relay-outbox on the in-memory ports: events the bus refused go out later, once. */
import { describe, expect, it } from '@jest/globals';
import type { OutboundEvent } from '../../shared/domain/model.js';
import { relayOutbox } from '../../shared/use-cases/relay-outbox.js';
import { memorySystem } from '../support/memory-system.js';

const event = (eventId: string, at: string): OutboundEvent => ({ eventId, type: 'CustomerReplied', at, detail: { ticketNumber: '20261125000001' } });

describe('relay-outbox (use case)', () => {
  it('publishes what waited longer than a minute, removes it, and leaves younger events to the request that wrote them', async () => {
    // Prepare
    const s = memorySystem();
    const now = s.clock.now().getTime();
    s.world.also({ events: [event('old', new Date(now - 5 * 60_000).toISOString()), event('young', new Date(now - 10_000).toISOString())] });

    // Act
    const outcome = await relayOutbox(s.deps);

    // Assert
    expect(outcome).toEqual({ published: 1, left: 0 });
    expect(s.publisher.published.map((e) => e.eventId)).toEqual(['old']);
    expect([...s.world.outbox.keys()]).toEqual(['young']);
  });

  it('stops when the bus takes none, keeps every event, and publishes them on the next run', async () => {
    // Prepare
    const s = memorySystem();
    const at = new Date(s.clock.now().getTime() - 5 * 60_000).toISOString();
    s.world.also({ events: [event('a', at), event('b', at)] });
    s.publisher.failing = true;

    // Act
    const refused = await relayOutbox(s.deps);
    s.publisher.failing = false;
    const next = await relayOutbox(s.deps);

    // Assert
    expect([refused, next]).toEqual([
      { published: 0, left: 2 },
      { published: 2, left: 0 },
    ]);
    expect(s.publisher.published.map((e) => e.eventId).sort()).toEqual(['a', 'b']);
    expect(s.world.outbox.size).toBe(0);
  });
});
