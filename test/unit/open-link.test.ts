/** open-link on the in-memory ports: the GET of a link spends nothing and tells nothing. */
import { describe, expect, it } from '@jest/globals';
import { OPEN_FLUSH_MS } from '../../shared/domain/open-tally.js';
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

  it('records 600 opens of one link in one hour as one entry counting 600, reading the token once and writing every OPEN_FLUSH_MS', async () => {
    // Prepare: a link opened every second for ten minutes (a scanner, a script, a person reloading)
    const s = memorySystem();
    const { ticket, token } = await s.customerWithLink('ann@example.org');
    s.clock.set('2026-11-25T10:00:00.000Z');
    let reads = 0;
    let writes = 0;
    const deps = {
      ...s.deps,
      tokens: { get: (n: string, h: string) => (reads++, s.deps.tokens.get(n, h)) },
      trail: { count: (o: Parameters<typeof s.deps.trail.count>[0]) => (writes++, s.deps.trail.count(o)) },
    };

    // Act
    for (let i = 0; i < 600; i++) {
      await openLink(deps, { ticketNumber: ticket.number, token, client: { hint: 'Chrome, 192.0.2.0/24' } });
      s.clock.advance(1000);
    }
    const withinTheHour = (await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'link-opened');
    // The next hour's first open writes what the last seconds of the previous one left unwritten.
    s.clock.set('2026-11-25T11:00:00.000Z');
    await openLink(deps, { ticketNumber: ticket.number, token, client: { hint: 'Chrome, 192.0.2.0/24' } });
    const opened = (await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'link-opened');

    // Assert
    expect(withinTheHour).toHaveLength(1);
    expect(withinTheHour[0]?.count).toBe(1 + 59 * (OPEN_FLUSH_MS / 1000));
    expect(opened.map((e) => [e.at, e.count])).toEqual([
      ['2026-11-25T11:00:00.000Z', 1],
      ['2026-11-25T10:00:00.000Z', 600],
    ]);
    expect(reads).toBe(2); // once per hour
    expect(writes).toBe(1 + 59 + 2); // the first open, one every OPEN_FLUSH_MS, then the next hour's two
    expect(s.metrics.get('LandingShown')).toBe(601);
  });

  it('counts the opens of a client that says it is a mail scanner apart from a person’s, with its kind', async () => {
    // Prepare: within one hour, a scanner fetches the link twice and the person opens it once
    const s = memorySystem();
    const { ticket, token } = await s.customerWithLink('ann@example.org');
    const scanner = { hint: 'link scanner, 198.51.100.0/24', kind: 'mail-scanner' as const };
    const person = { hint: 'Firefox, 192.0.2.0/24' };

    // Act
    await openLink(s.deps, { ticketNumber: ticket.number, token, client: scanner });
    s.clock.advance(OPEN_FLUSH_MS);
    await openLink(s.deps, { ticketNumber: ticket.number, token, client: scanner });
    await openLink(s.deps, { ticketNumber: ticket.number, token, client: person });
    const opened = (await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'link-opened');

    // Assert: two entries, so the page words the scanner's as a scanner's and the person's as theirs
    expect(opened.map((e) => ({ count: e.count, client: e.client, clientKind: e.clientKind })).sort((a, b) => (a.count ?? 0) - (b.count ?? 0))).toEqual([
      { count: 1, client: person.hint, clientKind: undefined },
      { count: 2, client: scanner.hint, clientKind: 'mail-scanner' },
    ]);
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

  it('looks an unknown token up every time and never remembers it as known', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithLink('ann@example.org');
    let reads = 0;
    const tokens = { get: async () => (reads++, undefined) };

    // Act
    for (let i = 0; i < 3; i++) await openLink({ ...s.deps, tokens }, { ticketNumber: ticket.number, token: 'B'.repeat(43) });

    // Assert
    expect(reads).toBe(3);
    expect((await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'link-opened')).toEqual([]);
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
