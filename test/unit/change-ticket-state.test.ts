/** change-ticket-state on the in-memory ports: the lifecycle, the active token's expiry and TTL, and a concurrent writer. */
import { describe, expect, it } from '@jest/globals';
import { NotFoundError, RetryableError } from '../../shared/errors.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { memorySystem } from '../support/memory-system.js';

const DAY = 86_400_000;
const ANN = 'ann@example.org';

describe('change-ticket-state (use case)', () => {
  it('closes a ticket: closedAt set, the active token and its TTL end with the close window; reopening restores both', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithLink(ANN);
    const hash = ticket.activeToken!.hash;
    const fullAge = ticket.activeToken!.expiresAt;
    const ttlOf = () => s.world.tokens.get(`${ticket.number}|${hash}`)?.ttlAt;
    s.clock.advance(2 * DAY);
    const closedAt = s.clock.now().toISOString();
    const window = new Date(s.clock.now().getTime() + 14 * DAY).toISOString();

    // Act
    const closed = await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
    const whileClosed = { pointer: s.world.tickets.get(ticket.number)?.activeToken?.expiresAt, ttl: ttlOf() };
    s.clock.advance(DAY);
    const reopened = await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'open' });

    // Assert
    expect(closed).toEqual({ outcome: 'changed', from: 'open', to: 'closed', closedAt });
    expect(whileClosed).toEqual({ pointer: window, ttl: window });
    expect(reopened).toMatchObject({ outcome: 'changed', from: 'closed', to: 'open' });
    expect(s.world.tickets.get(ticket.number)).toMatchObject({ state: 'open', activeToken: { expiresAt: fullAge } });
    expect(s.world.tickets.get(ticket.number)?.closedAt).toBeUndefined();
    expect(ttlOf()).toBe(fullAge);
  });

  it('takes the helpdesk’s time of the change, but never a time later than now', async () => {
    // Prepare
    const s = memorySystem();
    const early = (await s.customerWithTicket(ANN)).ticket;
    const future = (await s.customerWithTicket(ANN)).ticket;
    const yesterday = new Date(s.clock.now().getTime() - DAY).toISOString();

    // Act
    const a = await changeTicketState(s.deps, { ticketNumber: early.number, state: 'closed', at: yesterday });
    const b = await changeTicketState(s.deps, { ticketNumber: future.number, state: 'closed', at: '2099-01-01T00:00:00.000Z' });

    // Assert
    expect([a.closedAt, b.closedAt]).toEqual([yesterday, s.clock.now().toISOString()]);
  });

  it('answers a change to the state the ticket is in as unchanged', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);

    // Act
    const outcome = await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'open' });

    // Assert
    expect(outcome).toEqual({ outcome: 'unchanged', from: 'open', to: 'open', closedAt: undefined });
    expect(s.metrics.get('TicketStateChanged')).toBe(0);
  });

  it('refuses a ticket that does not exist, and a merge into one that does not', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);

    // Act
    const missing = changeTicketState(s.deps, { ticketNumber: '20990101999999', state: 'closed' });
    const intoNothing = changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'merged', mergedInto: '20990101999999' });

    // Assert
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
    await expect(intoNothing).rejects.toBeInstanceOf(NotFoundError);
    expect(s.world.tickets.get(ticket.number)?.state).toBe('open');
  });

  it('plans again when another writer changed the ticket in between, and gives up retryably when it keeps changing', async () => {
    // Prepare
    const s = memorySystem();
    const once = (await s.customerWithTicket(ANN)).ticket;
    const busy = (await s.customerWithTicket(ANN)).ticket;
    s.world.interfere = () => {
      s.world.interfere = undefined;
      s.world.tickets.get(once.number)!.state = 'pending';
    };
    const moved = await changeTicketState(s.deps, { ticketNumber: once.number, state: 'closed' });
    let moves = 0;
    s.world.interfere = () => void (s.world.tickets.get(busy.number)!.state = ++moves % 2 ? 'pending' : 'open');

    // Act
    const gaveUp = changeTicketState(s.deps, { ticketNumber: busy.number, state: 'closed' });

    // Assert
    expect(moved).toMatchObject({ outcome: 'changed', from: 'pending', to: 'closed' });
    await expect(gaveUp).rejects.toBeInstanceOf(RetryableError);
    expect(s.world.tickets.get(busy.number)?.closedAt).toBeUndefined();
  });
});
