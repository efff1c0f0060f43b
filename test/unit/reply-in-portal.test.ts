/** reply-in-portal on the in-memory ports: the article, the reopen, and what the helpdesk hears. */
import { describe, expect, it } from '@jest/globals';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { replyInPortal } from '../../shared/use-cases/reply-in-portal.js';
import { memorySystem, type MemorySystem } from '../support/memory-system.js';

const DAY = 86_400_000;
const ANN = 'ann@example.org';

const published = (s: MemorySystem) => s.publisher.published.map((e) => e.type);

describe('reply-in-portal (use case)', () => {
  it('adds the reply as a portal article and tells the helpdesk (CustomerReplied), leaving nothing in the outbox', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, session } = await s.signedIn(ANN);

    // Act
    const outcome = await replyInPortal(s.deps, session, ticket.number, 'It is still burning.');

    // Assert
    expect(outcome).toBe('added');
    expect(s.world.articles.get(ticket.number)?.map((a) => [a.channel, a.direction, a.text])).toEqual([['portal', 'inbound', 'It is still burning.']]);
    expect(published(s)).toEqual(['CustomerReplied']);
    expect(s.publisher.published[0]?.detail).toMatchObject({ ticketNumber: ticket.number, article: { channel: 'portal', text: 'It is still burning.' } });
    expect(s.world.outbox.size).toBe(0);
  });

  it('keeps NUL, escapes, DEL, bidi overrides and line separators out of the article and the event, lines kept', async () => {
    // Prepare: what a paste from a terminal or a crafted form may carry
    const s = memorySystem();
    const { ticket, session } = await s.signedIn(ANN);

    // Act
    await replyInPortal(s.deps, session, ticket.number, 'Line\u0000one\x1b[31m red\x7f\r\nLine\u202Etwo\u2028three\tend');

    // Assert: PostgreSQL refuses a NUL in text, and an override would reverse what the agent reads
    const [stored] = s.world.articles.get(ticket.number) ?? [];
    expect(stored?.text).toBe('Line one [31m red \nLine two\nthree\tend');
    expect(s.publisher.published[0]?.detail).toMatchObject({ article: { text: stored?.text } });
    expect(JSON.stringify(s.publisher.published)).not.toMatch(/\\u0000|\\u001b|\\u202e|\\u2028|\x7f/i);
  });

  it('stores the reply’s files under keys of the article, names them cleanly, and hands them to the helpdesk', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, session } = await s.signedIn(ANN);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);

    // Act
    await replyInPortal(s.deps, session, ticket.number, 'Screenshots attached.', [
      { filename: 'C:\\Users\\ann\\shot\u202Egnp.exe', contentType: 'image/png', bytes: png },
      { filename: 'notes.txt', contentType: 'text/html; charset=utf-8', bytes: new TextEncoder().encode('<b>hi</b>') },
    ]);

    // Assert
    const [stored] = s.world.articles.get(ticket.number) ?? [];
    expect(stored?.attachments.map(({ key: _key, ...a }) => a)).toEqual([
      { filename: 'shot gnp.exe', contentType: 'image/png', size: 4 },
      { filename: 'notes.txt', contentType: 'text/html', size: 9 },
    ]);
    const keys = stored?.attachments.map((a) => a.key) ?? [];
    expect(keys.every((k) => k?.startsWith(`attachments/${ticket.number}/`))).toBe(true);
    expect([...s.files.objects.keys()].sort()).toEqual([...keys].sort());
    expect(s.files.objects.get(keys[0]!)?.bytes).toEqual(png);
    expect(s.publisher.published[0]?.detail).toMatchObject({
      article: { attachments: ['shot gnp.exe', 'notes.txt'], files: [{ name: 'shot gnp.exe', size: 4, type: 'image/png', key: keys[0] }, { name: 'notes.txt', size: 9, type: 'text/html', key: keys[1] }] },
    });
  });

  it('names the customer as their mails do', async () => {
    // Prepare: the customer the inbound path made from "Ann Example <ann@example.org>"
    const s = memorySystem();
    const { ticket, session } = await s.signedIn(ANN);
    s.world.customers.get(ANN)!.name = 'Ann Example';

    // Act
    await replyInPortal(s.deps, session, ticket.number, 'Thanks.');

    // Assert
    expect(s.world.articles.get(ticket.number)?.[0]).toMatchObject({ fromName: 'Ann Example', fromAddress: ANN });
  });

  it('reopens a ticket closed within its window and says so once (TicketReopened)', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, session } = await s.signedIn(ANN);
    await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
    s.clock.advance(DAY);

    // Act
    await replyInPortal(s.deps, session, ticket.number, 'Not fixed.');
    await replyInPortal(s.deps, session, ticket.number, 'Still not.');

    // Assert
    const after = s.world.tickets.get(ticket.number);
    expect(after?.state).toBe('open');
    expect(after?.closedAt).toBeUndefined();
    expect(after?.pendingReopenEvent).toBeUndefined();
    expect(published(s)).toEqual(['CustomerReplied', 'TicketReopened', 'CustomerReplied']);
    expect(s.metrics.get('TicketReopened')).toBe(1);
  });

  it('keeps the events the bus refused in the outbox for the relay', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, session } = await s.signedIn(ANN);
    s.publisher.failing = true;

    // Act
    await replyInPortal(s.deps, session, ticket.number, 'Hello?');

    // Assert
    expect([...s.world.outbox.values()].map((e) => e.type)).toEqual(['CustomerReplied']);
    expect(s.metrics.get('EventPublishFailed')).toBe(1);
  });

  it('answers "closed" beyond the window and "not-found" for a ticket the session does not open, adding nothing', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, session } = await s.signedIn(ANN);
    const theirs = (await s.customerWithTicket('bob@example.org')).ticket;
    await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
    s.clock.advance(15 * DAY);

    // Act
    const outcomes = [await replyInPortal(s.deps, session, ticket.number, 'Late'), await replyInPortal(s.deps, session, theirs.number, 'Not mine')];

    // Assert
    expect(outcomes).toEqual(['closed', 'not-found']);
    expect(s.world.articles.size).toBe(0);
    expect(s.publisher.published).toEqual([]);
  });
});
