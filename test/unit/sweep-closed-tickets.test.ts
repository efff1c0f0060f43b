/**
 * sweep-closed-tickets on the in-memory ports: which tickets are due, and a run that stops short.
 * test/integration/sweep.test.ts runs the same against dynalite and counts the items it reads.
 */
import { describe, expect, it } from '@jest/globals';
import type { Ticket } from '../../shared/domain/model.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { sweepClosedTickets } from '../../shared/use-cases/sweep-closed-tickets.js';
import { memorySystem, type MemorySystem } from '../support/memory-system.js';

const DAY = 86_400_000;
const ANN = 'ann@example.org';

const later = (s: MemorySystem, days: number) => new Date(s.clock.now().getTime() + days * DAY);
const tokensOf = (s: MemorySystem, number: string) => s.deps.tokens.listByTicket(number);

/** A ticket with a mailed link, closed now through the use case every state change goes through. */
async function closedTicket(s: MemorySystem, state: Ticket['state'] = 'closed', mergedInto?: string) {
  const { ticket } = await s.customerWithLink(ANN);
  await changeTicketState(s.deps, { ticketNumber: ticket.number, state, mergedInto });
  return ticket;
}

describe('sweep-closed-tickets (use case)', () => {
  it.each([
    [13, false],
    [14, true],
    [15, true],
  ])('with AccessDaysAfterClose 14, sweeps a ticket closed %s days ago: %s', async (days, swept) => {
    // Prepare
    const s = memorySystem();
    const ticket = await closedTicket(s);

    // Act
    const report = await sweepClosedTickets(s.deps, { now: later(s, days) });

    // Assert
    expect(report).toMatchObject({ ticketsExamined: swept ? 1 : 0, tokensDeleted: swept ? 1 : 0, complete: true });
    expect(await tokensOf(s, ticket.number)).toHaveLength(swept ? 0 : 1);
    // A swept ticket leaves the index: the next run has nothing to do.
    expect((await s.deps.tickets.dueForSweep(later(s, 100).toISOString())).items).toHaveLength(swept ? 0 : 1);
  });

  it('with AccessDaysAfterClose 0 sweeps every closed ticket at once, merged and removed ones too, and leaves open ones alone', async () => {
    // Prepare
    const s = memorySystem({ AccessDaysAfterClose: 0 });
    const open = (await s.customerWithLink(ANN)).ticket;
    const closed = [await closedTicket(s), await closedTicket(s, 'merged', open.number), await closedTicket(s, 'removed')];

    // Act
    const report = await sweepClosedTickets(s.deps);

    // Assert
    expect(report).toMatchObject({ ticketsExamined: 3, tokensDeleted: 3, complete: true });
    for (const t of closed) expect(await tokensOf(s, t.number)).toEqual([]);
    expect(await tokensOf(s, open.number)).toHaveLength(1);
  });

  it('leaves a ticket alone that was reopened, and counts a new close from its own day', async () => {
    // Prepare
    const s = memorySystem();
    const ticket = await closedTicket(s);
    s.clock.advance(DAY);
    await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'open' });
    s.clock.advance(9 * DAY);
    await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });

    // Act
    const early = await sweepClosedTickets(s.deps, { now: later(s, 10) });
    const due = await sweepClosedTickets(s.deps, { now: later(s, 14) });

    // Assert
    expect([early.ticketsExamined, due.ticketsExamined]).toEqual([0, 1]);
  });

  it('keeps the tokens of a ticket reopened after the index was read', async () => {
    // Prepare: the sweep reads the index while the ticket is closed; it is reopened before the sweep acts
    const s = memorySystem();
    const ticket = await closedTicket(s);
    const stale = await s.deps.tickets.dueForSweep(later(s, 30).toISOString());
    await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'open' });
    const tickets = { dueForSweep: async () => stale, update: s.deps.tickets.update.bind(s.deps.tickets) };

    // Act
    const report = await sweepClosedTickets({ ...s.deps, tickets }, { now: later(s, 30) });

    // Assert
    expect(report).toMatchObject({ ticketsExamined: 1, tokensDeleted: 0 });
    expect(await tokensOf(s, ticket.number)).toHaveLength(1);
  });

  it('stops after a whole page when time runs short, says so, and the next run finishes the job', async () => {
    // Prepare: more due tickets than one page holds
    const s = memorySystem({ AccessDaysAfterClose: 0 });
    for (let i = 0; i < 150; i++) await closedTicket(s);
    let pages = 0;

    // Act
    const first = await sweepClosedTickets(s.deps, { remainingMs: () => (++pages > 1 ? 5_000 : 60_000) });
    const second = await sweepClosedTickets(s.deps);

    // Assert
    expect(first).toMatchObject({ complete: false, ticketsExamined: 100, pages: 1, timeLeftMs: 5_000 });
    expect(second).toMatchObject({ complete: true, ticketsExamined: 50 });
    expect(s.metrics.get('SweepIncomplete')).toBe(1);
    expect(s.world.tokens.size).toBe(0);
  });
});
