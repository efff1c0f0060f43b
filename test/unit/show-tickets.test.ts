/** show-tickets on the in-memory ports: what a signed-in customer sees, and what answers "not found". */
import { describe, expect, it } from '@jest/globals';
import type { Session } from '../../shared/domain/model.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { listTickets, showTicket, TRAIL_SHOWN } from '../../shared/use-cases/show-tickets.js';
import { memorySystem } from '../support/memory-system.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ANN = 'ann@example.org';

const sessionOf = (ticketNumber: string, scope: Session['scope'] = 'customer'): Session => ({
  idHash: 'h',
  customerLogin: ANN,
  ticketNumber,
  scope,
  language: 'en',
  createdAt: '2026-11-25T10:00:00.000Z',
  lastSeenAt: '2026-11-25T10:00:00.000Z',
  absoluteExpiresAt: '2026-11-25T18:00:00.000Z',
});

describe('show-tickets (use case)', () => {
  it('lists the customer’s own tickets newest first, and with SessionScope ticket only the session’s own', async () => {
    // Prepare
    const s = memorySystem();
    const older = (await s.customerWithTicket(ANN)).ticket;
    s.clock.advance(MINUTE);
    const newer = (await s.customerWithTicket(ANN)).ticket;
    await s.customerWithTicket('bob@example.org');

    // Act
    const all = await listTickets(s.deps, sessionOf(older.number));
    const scoped = await listTickets(s.deps, sessionOf(older.number, 'ticket'));

    // Assert
    expect(all.map((t) => t.number)).toEqual([newer.number, older.number]);
    expect(scoped.map((t) => t.number)).toEqual([older.number]);
  });

  it('answers someone else’s ticket, a merged one and a missing one alike: undefined', async () => {
    // Prepare
    const s = memorySystem();
    const own = (await s.customerWithTicket(ANN)).ticket;
    const merged = (await s.customerWithTicket(ANN)).ticket;
    await changeTicketState(s.deps, { ticketNumber: merged.number, state: 'merged', mergedInto: own.number });
    const theirs = (await s.customerWithTicket('bob@example.org')).ticket;
    const session = sessionOf(own.number);

    // Act
    const shown = await Promise.all([own.number, merged.number, theirs.number, '20990101999999'].map((n) => showTicket(s.deps, session, n)));

    // Assert
    expect(shown.map((v) => v?.ticket.number)).toEqual([own.number, undefined, undefined, undefined]);
  });

  it(`shows the recent trail only — at most ${TRAIL_SHOWN} entries within AccessTrailDays, newest first`, async () => {
    // Prepare: one old entry (TTL deletes late), then more recent ones than the page shows
    const s = memorySystem({ AccessTrailDays: 90 });
    const { ticket } = await s.customerWithTicket(ANN);
    const at = (ms: number) => new Date(s.clock.now().getTime() + ms).toISOString();
    await s.deps.trail.record([{ ticketNumber: ticket.number, at: at(0), event: 'link-opened' }]);
    s.clock.advance(91 * DAY);
    await s.deps.trail.record(Array.from({ length: TRAIL_SHOWN + 5 }, (_, i) => ({ ticketNumber: ticket.number, at: at(-i * MINUTE), event: 'link-opened' as const })));

    // Act
    const view = await showTicket(s.deps, sessionOf(ticket.number), ticket.number);

    // Assert
    expect(view?.trail).toHaveLength(TRAIL_SHOWN);
    expect(view?.trail[0]?.at).toBe(s.clock.now().toISOString());
    expect(view?.trail.every((e) => e.at >= at(-90 * DAY))).toBe(true);
  });

  it('offers a reply within the window and not beyond it', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
    const within = await showTicket(s.deps, sessionOf(ticket.number), ticket.number);
    s.clock.advance(15 * DAY);

    // Act
    const beyond = await showTicket(s.deps, sessionOf(ticket.number), ticket.number);

    // Assert
    expect([within?.canReply, beyond?.canReply]).toEqual([true, false]);
  });
});
