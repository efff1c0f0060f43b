/** open-link on the in-memory ports: the GET of a link spends nothing and tells nothing. */
import { describe, expect, it } from '@jest/globals';
import { hashToken } from '../../shared/domain/tokens.js';
import { openLink } from '../../shared/use-cases/open-link.js';
import { memorySystem } from '../support/memory-system.js';

describe('open-link (use case)', () => {
  it('shows the landing page for a mailed link, records the opening, and leaves the link active', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, token } = await s.customerWithLink('ann@example.org');

    // Act
    const outcome = await openLink(s.deps, { ticketNumber: ticket.number, token, client: { hint: 'Firefox, 192.0.2.0/24' } });

    // Assert
    expect(outcome).toBe('landing');
    expect(s.world.tickets.get(ticket.number)?.activeToken?.hash).toBe(hashToken(token));
    expect((await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'link-opened').map((e) => e.client)).toEqual(['Firefox, 192.0.2.0/24']);
    expect(s.metrics.get('LandingShown')).toBe(1);
  });

  it('shows the same page for a well-formed token the ticket never had, and writes nothing into its trail', async () => {
    // Prepare: a stranger guessing must not be able to write into someone's trail
    const s = memorySystem();
    const { ticket } = await s.customerWithLink('ann@example.org');
    const before = await s.deps.trail.list(ticket.number);

    // Act
    const outcome = await openLink(s.deps, { ticketNumber: ticket.number, token: 'A'.repeat(43) });

    // Assert
    expect(outcome).toBe('landing');
    expect(await s.deps.trail.list(ticket.number)).toEqual(before);
  });

  it.each([
    ['a ticket number that is not one', '12', 'A'.repeat(43)],
    ['a token of the wrong shape', '20261125000001', 'not-a-token'],
  ])('answers %s as malformed without reading a token', async (_label, ticketNumber, token) => {
    // Prepare
    const s = memorySystem();
    let reads = 0;
    const tokens = { get: async () => (reads++, undefined) };

    // Act
    const outcome = await openLink({ ...s.deps, tokens }, { ticketNumber, token });

    // Assert
    expect(outcome).toBe('malformed');
    expect(reads).toBe(0);
    expect(s.metrics.get('LandingMalformed')).toBe(1);
  });
});
