/**
 * sign-in-with-code (shared/use-cases/sign-in-with-code.ts) on the in-memory system: a code opens
 * its ticket once, in whatever case and spacing it is typed; everything else gets one answer; the
 * attempts per ticket and per client network are counted before any can win.
 */
import { describe, it, expect } from '@jest/globals';
import { issueLink, refreshMail } from '../../shared/use-cases/issue-link.js';
import { redeemLink } from '../../shared/use-cases/redeem-link.js';
import { setCustomerStatus } from '../../shared/use-cases/set-customer-status.js';
import { signInWithCode, type CodeRequest } from '../../shared/use-cases/sign-in-with-code.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { sweepClosedTickets } from '../../shared/use-cases/sweep-closed-tickets.js';
import { memorySystem, type MemorySystem } from '../support/memory-system.js';

const ANN = 'ann@example.org';
const DAY = 86_400_000;
let requests = 0;
const attempt = (s: MemorySystem, over: Partial<CodeRequest> & Pick<CodeRequest, 'ticketNumber' | 'code'>) =>
  signInWithCode(s.deps, { sourceIp: '198.51.100.7', requestId: `r-${++requests}`, ...over });
const outcomeOf = (o: Awaited<ReturnType<typeof signInWithCode>>) => (o.signedIn ? 'signed-in' : o.reason);

describe('sign-in-with-code: the right code', () => {
  it('starts a session as a redeem does, spends the code only, and leaves the link of the mail working', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, token, code } = await s.customerWithLink(ANN);

    // Act
    const outcome = await attempt(s, { ticketNumber: ticket.number, code });

    // Assert
    expect(outcome).toMatchObject({ signedIn: true, ticketNumber: ticket.number, session: { customerLogin: ANN, ticketNumber: ticket.number, scope: 'customer' } });
    const after = s.world.tickets.get(ticket.number)!;
    expect(after.activeCode).toBeUndefined();
    expect(after.activeToken?.hash).toBe(ticket.activeToken?.hash);
    expect((await s.deps.trail.list(ticket.number)).map((e) => e.event)).toContain('code-used');
    expect(s.metrics.get('CodeSignedIn')).toBe(1);
    expect((await redeemLink(s.deps, { ticketNumber: ticket.number, token })).redeemed).toBe(true);
  });

  it.each(['lower case with a space', 'no hyphen', 'spaces everywhere'])('reads the code typed in %s, and the ticket number with its Ticket# prefix', async (how) => {
    // Prepare
    const s = memorySystem();
    const { ticket, code } = await s.customerWithLink(ANN);
    const typed = { 'lower case with a space': code.toLowerCase().replace('-', ' '), 'no hyphen': code.replace('-', ''), 'spaces everywhere': ` ${code.split('').join(' ')} ` }[how]!;

    // Act
    const outcome = await attempt(s, { ticketNumber: `Ticket#${ticket.number}`, code: typed });

    // Assert
    expect(outcomeOf(outcome)).toBe('signed-in');
  });

  it('opens its ticket once: a second use, and of ten at once all but one, are refused', async () => {
    // Prepare
    const s = memorySystem({ SignInCodeLimits: { PerTicketPerHour: 20, PerClientIpPerHour: 100 } });
    const { ticket, code } = await s.customerWithLink(ANN);

    // Act
    const together = await Promise.all(Array.from({ length: 10 }, () => attempt(s, { ticketNumber: ticket.number, code })));
    const later = await attempt(s, { ticketNumber: ticket.number, code });

    // Assert
    expect(together.filter((o) => o.signedIn)).toHaveLength(1);
    expect(outcomeOf(later)).toBe('refused');
    expect(s.world.sessions.size).toBe(1);
  });
});

describe('sign-in-with-code: one answer for every code that opens nothing', () => {
  const cases: [string, (s: MemorySystem) => Promise<{ ticketNumber: string; code: string }>][] = [
    ['a wrong code', async (s) => ({ ticketNumber: (await s.customerWithLink(ANN)).ticket.number, code: '2345-6789' })],
    ['a ticket that does not exist', async (s) => ({ ticketNumber: '20990101000001', code: (await s.customerWithLink(ANN)).code })],
    [
      'a code superseded by a newer mail',
      async (s) => {
        const { customer, ticket, code } = await s.customerWithLink(ANN);
        await issueLink(s.deps, { ticket: s.world.tickets.get(ticket.number)!, customer, purpose: 'agent-reply', mail: refreshMail(ticket) });
        return { ticketNumber: ticket.number, code };
      },
    ],
    [
      'a code of another ticket of the same customer',
      async (s) => {
        const first = await s.customerWithLink(ANN);
        const second = await s.customerWithLink(ANN);
        return { ticketNumber: first.ticket.number, code: second.code };
      },
    ],
    [
      'a code older than TokenMaxAgeDays',
      async (s) => {
        const { ticket, code } = await s.customerWithLink(ANN);
        s.clock.advance(31 * DAY);
        return { ticketNumber: ticket.number, code };
      },
    ],
    [
      'a swept ticket',
      async (s) => {
        const { ticket, code } = await s.customerWithLink(ANN);
        await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
        await sweepClosedTickets(s.deps, { now: new Date(s.clock.now().getTime() + 15 * DAY) });
        await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'open' });
        return { ticketNumber: ticket.number, code };
      },
    ],
    [
      'a disabled customer',
      async (s) => {
        const { ticket, code } = await s.customerWithLink(ANN);
        await setCustomerStatus(s.deps, ANN, true);
        return { ticketNumber: ticket.number, code };
      },
    ],
    ['a malformed code', async (s) => ({ ticketNumber: (await s.customerWithLink(ANN)).ticket.number, code: 'O0O0-IlIl' })],
  ];

  it.each(cases)('%s: refused, no session', async (_label, prepare) => {
    // Prepare
    const s = memorySystem();
    const typed = await prepare(s);

    // Act
    const outcome = await attempt(s, typed);

    // Assert: the handler shows one page for 'refused' and 'malformed' alike.
    expect(['refused', 'malformed']).toContain(outcomeOf(outcome));
    expect(s.world.sessions.size).toBe(0);
  });

  it('records a wrong code on the trail of a ticket that exists, and writes nothing for one that does not', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithLink(ANN);

    // Act
    await attempt(s, { ticketNumber: ticket.number, code: '2345-6789' });
    await attempt(s, { ticketNumber: '20990101000001', code: '2345-6789' });

    // Assert
    expect((await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'code-refused').map((e) => e.detail)).toEqual(['wrong-code']);
    expect(s.world.trail.has('20990101000001')).toBe(false);
  });
});

describe('sign-in-with-code: guessing', () => {
  it('takes 5 attempts per ticket an hour; then every code, the right one too, waits until the hour ends; the link still works', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, token, code } = await s.customerWithLink(ANN);

    // Act: five wrong codes from five networks, then the right one.
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(outcomeOf(await attempt(s, { ticketNumber: ticket.number, code: '2345-6789', sourceIp: `203.0.113.${i}` })));
    const right = await attempt(s, { ticketNumber: ticket.number, code });
    s.clock.set('2026-11-25T11:00:00.000Z');
    const nextHour = await attempt(s, { ticketNumber: ticket.number, code });

    // Assert
    expect(wrong).toEqual(['refused', 'refused', 'refused', 'refused', 'refused']);
    expect(right).toMatchObject({ signedIn: false, reason: 'rate-limited', until: '2026-11-25T11:00:00.000Z' });
    expect(s.world.tickets.get(ticket.number)?.activeCode).toBeUndefined();
    expect(outcomeOf(nextHour)).toBe('signed-in');
    expect((await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'code-refused').map((e) => e.detail)).toContain('too-many-attempts');
    expect((await redeemLink(s.deps, { ticketNumber: ticket.number, token })).redeemed).toBe(true);
  });

  it('locks a ticket number that does not exist the same way, so the lock tells nothing', async () => {
    // Prepare
    const s = memorySystem();

    // Act
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(outcomeOf(await attempt(s, { ticketNumber: '20990101000001', code: '2345-6789', sourceIp: `203.0.113.${i}` })));

    // Assert
    expect(outcomes).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'rate-limited']);
  });

  it('counts every attempt before any can win: of 20 at once with the right code among them, none beyond the limit opens the ticket', async () => {
    // Prepare: the right code is the last of 20 concurrent attempts.
    const s = memorySystem();
    const { ticket, code } = await s.customerWithLink(ANN);
    const typed = [...Array.from({ length: 19 }, () => '2345-6789'), code];

    // Act
    const outcomes = await Promise.all(typed.map((c, i) => attempt(s, { ticketNumber: ticket.number, code: c, sourceIp: `203.0.113.${i}` })));

    // Assert: only five were taken; if the right one was not among them, its code is still there.
    const admitted = outcomes.filter((o) => outcomeOf(o) !== 'rate-limited');
    expect(admitted).toHaveLength(5);
    const signedIn = outcomes.filter((o) => o.signedIn).length;
    expect(signedIn).toBeLessThanOrEqual(1);
    expect(Boolean(s.world.tickets.get(ticket.number)?.activeCode)).toBe(signedIn === 0);
  });

  it('counts a client by its IPv6 /64: rotating addresses in it gains nothing', async () => {
    // Prepare
    const s = memorySystem({ SignInCodeLimits: { PerTicketPerHour: 100, PerClientIpPerHour: 3 } });
    const { ticket } = await s.customerWithLink(ANN);

    // Act
    const outcomes = [];
    for (let i = 1; i <= 4; i++) outcomes.push(outcomeOf(await attempt(s, { ticketNumber: ticket.number, code: '2345-6789', sourceIp: `2001:db8:1:2::${i}` })));
    const otherNetwork = outcomeOf(await attempt(s, { ticketNumber: ticket.number, code: '2345-6789', sourceIp: '2001:db8:1:3::1' }));

    // Assert
    expect(outcomes).toEqual(['refused', 'refused', 'refused', 'rate-limited']);
    expect(otherNetwork).toBe('refused');
  });
});
