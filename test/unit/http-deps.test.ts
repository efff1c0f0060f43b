/**
 * The HTTP function's senders are imported and made on first use (functions/http/deps.ts): once,
 * however many requests arrive together, and again after a failure rather than never; a publisher
 * that cannot be loaded keeps the port's promise not to throw.
 */
import { describe, it, expect } from '@jest/globals';
import { lazyPublisher, onFirstUse } from '../../functions/http/deps.js';
import type { OutboundEvent } from '../../shared/domain/model.js';

describe('onFirstUse', () => {
  it('makes the value once for concurrent first calls and keeps it', async () => {
    // Prepare
    let made = 0;
    const get = onFirstUse(async () => ({ n: ++made }));

    // Act
    const values = await Promise.all([get(), get(), get()]);
    const later = await get();

    // Assert
    expect(made).toBe(1);
    expect(new Set([...values, later]).size).toBe(1);
  });

  it('hands a failure to the caller and tries again on the next call', async () => {
    // Prepare: the first import fails (a chunk that could not be read), the second works.
    let attempts = 0;
    const get = onFirstUse(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('chunk not readable');
      return 'sender';
    });

    // Act / Assert
    await expect(get()).rejects.toThrow('chunk not readable');
    await expect(get()).resolves.toBe('sender');
    expect(attempts).toBe(2);
  });
});

describe('lazyPublisher', () => {
  it('fails the events, not the request, when the publisher cannot be loaded: the outbox keeps them', async () => {
    // Prepare
    const events = [{ eventId: 'e-1', type: 'TicketReopened' }] as unknown as OutboundEvent[];
    const publisher = lazyPublisher(onFirstUse(() => Promise.reject(new Error('chunk not readable'))));

    // Act
    const result = await publisher.publish(events);

    // Assert
    expect(result).toEqual({ published: [], failed: events, error: 'publisher not loaded: chunk not readable' });
  });
});
