/** set-customer-status on the in-memory ports: disabling ends links and sessions at once; enabling lets a new link work. */
import { describe, expect, it } from '@jest/globals';
import { NotFoundError } from '../../shared/errors.js';
import { issueLink, refreshMail } from '../../shared/use-cases/issue-link.js';
import { redeemLink } from '../../shared/use-cases/redeem-link.js';
import { setCustomerStatus } from '../../shared/use-cases/set-customer-status.js';
import { memorySystem } from '../support/memory-system.js';

const ANN = 'ann@example.org';

describe('set-customer-status (use case)', () => {
  it('disables a customer: every ticket marked, every pointer gone, every session ended; other customers untouched', async () => {
    // Prepare
    const s = memorySystem();
    const first = await s.customerWithLink(ANN);
    const second = await s.customerWithLink(ANN);
    const signedIn = await redeemLink(s.deps, { ticketNumber: first.ticket.number, token: first.token });
    const bob = await s.customerWithLink('bob@example.org');

    // Act
    const outcome = await setCustomerStatus(s.deps, ANN, true);

    // Assert
    expect(signedIn.redeemed).toBe(true);
    expect(outcome).toEqual({ tickets: 2, sessionsEnded: 1 });
    for (const t of [first.ticket, second.ticket]) expect([s.world.tickets.get(t.number)?.customerDisabled, s.world.tickets.get(t.number)?.activeToken]).toEqual([true, undefined]);
    expect(s.world.customers.get(ANN)?.disabled).toBe(true);
    expect(s.world.tickets.get(bob.ticket.number)?.activeToken).toBeDefined();
    expect((await redeemLink(s.deps, { ticketNumber: second.ticket.number, token: second.token })).redeemed).toBe(false);
  });

  it('enables a customer again: the marks go, and a new link works', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithLink(ANN);
    await setCustomerStatus(s.deps, ANN, true);

    // Act
    const outcome = await setCustomerStatus(s.deps, ANN, false);
    await issueLink(s.deps, { ticket: s.world.tickets.get(ticket.number)!, customer: s.world.customers.get(ANN)!, purpose: 'ops', mail: refreshMail(ticket) });

    // Assert
    expect(outcome).toEqual({ tickets: 1, sessionsEnded: 0 });
    expect(s.world.tickets.get(ticket.number)?.customerDisabled).toBeUndefined();
    expect((await redeemLink(s.deps, { ticketNumber: ticket.number, token: s.linkTo(ANN).token })).redeemed).toBe(true);
  });

  it('refuses a customer that does not exist', async () => {
    await expect(setCustomerStatus(memorySystem().deps, 'nobody@example.org', true)).rejects.toBeInstanceOf(NotFoundError);
  });
});
