/**
 * request-link on the in-memory ports: "send me a new link" in its two halves — the portal's
 * hand-off, which looks nothing up, and the helpdesk-events function's fulfilment.
 */
import { describe, expect, it } from '@jest/globals';
import { sha256 } from '../../shared/domain/tokens.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { fulfilLinkRequest, requestLink, SELF_SERVICE_EVENT, type LinkRequest } from '../../shared/use-cases/request-link.js';
import { memorySystem } from '../support/memory-system.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const ANN = 'ann@example.org';
let n = 0;
const request = (over: Partial<LinkRequest> = {}): LinkRequest => ({ ticketNumber: '20261125000001', email: 'Ann@Example.org ', sourceIp: '192.0.2.7', client: 'Firefox, 192.0.2.0/24', requestId: `r${++n}`, ...over });

describe('request-link (use case): the portal’s half', () => {
  it('hands off a well-formed request as an event with a hash of the address, never the address or the client’s IP', async () => {
    // Prepare
    const s = memorySystem();

    // Act
    const outcome = await requestLink(s.deps, request());

    // Assert
    expect(outcome).toBe('forwarded');
    expect(s.publisher.published.map((e) => [e.type, e.detail])).toEqual([[SELF_SERVICE_EVENT, { ticketNumber: '20261125000001', emailSha256: sha256(ANN), client: 'Firefox, 192.0.2.0/24' }]]);
    expect(JSON.stringify(s.publisher.published)).not.toMatch(/ann@|192\.0\.2\.7/i);
  });

  it('answers a malformed request without handing it off, taking only from the client’s bucket', async () => {
    // Prepare
    const s = memorySystem();

    // Act
    const outcomes = [await requestLink(s.deps, request({ ticketNumber: 'abc' })), await requestLink(s.deps, request({ email: 'not an address' }))];

    // Assert: a malformed request naming someone's address must not use up that address's allowance.
    expect(outcomes).toEqual(['malformed', 'malformed']);
    expect(s.publisher.published).toEqual([]);
    expect([...s.world.limits.keys()].map((k) => k.split('#')[0]).sort()).toEqual(['self-service-ip']);
  });

  it('forwards at most PerAddressPerHour requests for one address, and again in the next hour', async () => {
    // Prepare
    const s = memorySystem({ SelfServiceLimits: { PerAddressPerHour: 2, PerClientIpPerHour: 100 } });

    // Act
    const hour = [await requestLink(s.deps, request()), await requestLink(s.deps, request({ sourceIp: '198.51.100.1' })), await requestLink(s.deps, request({ sourceIp: '203.0.113.9' }))];
    s.clock.advance(HOUR);
    const next = await requestLink(s.deps, request());

    // Assert
    expect([...hour, next]).toEqual(['forwarded', 'forwarded', 'rate-limited', 'forwarded']);
    expect(s.metrics.get('SelfServiceRateLimited')).toBe(1);
  });

  it('forwards at most PerClientIpPerHour requests from one client, whatever addresses it tries', async () => {
    // Prepare
    const s = memorySystem({ SelfServiceLimits: { PerAddressPerHour: 100, PerClientIpPerHour: 2 } });

    // Act
    const outcomes = [];
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) outcomes.push(await requestLink(s.deps, request({ email })));

    // Assert
    expect(outcomes).toEqual(['forwarded', 'forwarded', 'rate-limited']);
  });

  it('says "not-forwarded" when the bus did not take the request', async () => {
    // Prepare
    const s = memorySystem();
    s.publisher.failing = true;

    // Act, Assert
    expect(await requestLink(s.deps, request())).toBe('not-forwarded');
    expect(s.metrics.get('SelfServiceFailed')).toBe(1);
  });
});

describe('request-link (use case): fulfilment on the bus', () => {
  const fulfil = async (s: ReturnType<typeof memorySystem>, ticketNumber: string, email = ANN) => fulfilLinkRequest(s.deps, { ticketNumber, emailSha256: sha256(email), client: 'Firefox, 192.0.2.0/24' });
  const requested = async (s: ReturnType<typeof memorySystem>, ticketNumber: string) => (await s.deps.trail.list(ticketNumber)).filter((e) => e.event === 'self-service-requested');

  it('mails a fresh link to the customer for a matching pair, and records the request on the ticket', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);

    // Act
    const outcome = await fulfil(s, ticket.number);

    // Assert
    expect(outcome).toBe('link-mailed');
    expect(s.linkTo(ANN).ticketNumber).toBe(ticket.number);
    expect(await requested(s, ticket.number)).toHaveLength(1);
  });

  it('mails nothing for another address, and records that someone asked', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);

    // Act
    const outcome = await fulfil(s, ticket.number, 'mallory@example.org');

    // Assert
    expect(outcome).toBe('no-match');
    expect(s.mailer.sent).toEqual([]);
    expect(await requested(s, ticket.number)).toHaveLength(1);
  });

  it('answers an unknown ticket with no-match and writes nothing anywhere', async () => {
    // Prepare
    const s = memorySystem();

    // Act
    const outcome = await fulfil(s, '20990101999999');

    // Assert
    expect(outcome).toBe('no-match');
    expect(s.world.trail.size).toBe(0);
  });

  it('refuses a ticket closed longer than AccessDaysAfterClose, and a second link within RefreshMinIntervalMinutes', async () => {
    // Prepare
    const s = memorySystem();
    const open = (await s.customerWithTicket(ANN)).ticket;
    const closed = (await s.customerWithTicket(ANN)).ticket;
    await changeTicketState(s.deps, { ticketNumber: closed.number, state: 'closed' });
    s.clock.advance(15 * DAY);

    // Act
    const outcomes = [await fulfil(s, closed.number), await fulfil(s, open.number), await fulfil(s, open.number)];

    // Assert
    expect(outcomes).toEqual(['not-accessible', 'link-mailed', 'rate-limited']);
    expect(s.mailer.sent).toHaveLength(1);
  });

  it('records a failed send and rethrows it when SES may take it on a retry', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    s.mailer.failures = 1;

    // Act
    const failed = await fulfil(s, ticket.number).catch((e: unknown) => e);

    // Assert
    expect(failed).toBeInstanceOf(Error);
    expect(await requested(s, ticket.number)).toHaveLength(1);
    expect(s.world.tokens.size).toBe(0);
  });
});
