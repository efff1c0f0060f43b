/** The portal session on the in-memory ports: idle and absolute lifetimes, sign-out, what a session opens. */
import { describe, expect, it } from '@jest/globals';
import { mayOpen, resolveSession, signOut } from '../../shared/use-cases/portal-session.js';
import { memorySystem, type MemorySystem } from '../support/memory-system.js';

const MINUTE = 60_000;
const ANN = 'ann@example.org';

const trailOf = async (s: MemorySystem, ticketNumber: string) => (await s.deps.trail.list(ticketNumber)).map((e) => e.event);

describe('portal-session (use case)', () => {
  it('keeps a session alive while each request comes within SessionIdleMinutes, and records its expiry once', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, sessionId } = await s.signedIn(ANN);

    // Act
    const seen = [];
    for (const minutes of [29, 29, 31]) {
      s.clock.advance(minutes * MINUTE);
      seen.push(Boolean(await resolveSession(s.deps, sessionId)));
    }
    const afterExpiry = await resolveSession(s.deps, sessionId);

    // Assert
    expect([...seen, Boolean(afterExpiry)]).toEqual([true, true, false, false]);
    expect((await trailOf(s, ticket.number)).filter((e) => e === 'session-expired')).toHaveLength(1);
    expect(s.world.sessions.size).toBe(0);
  });

  it('ends a session after SessionAbsoluteHours however busy it is', async () => {
    // Prepare
    const s = memorySystem();
    const { sessionId } = await s.signedIn(ANN);

    // Act
    const seen = [];
    for (let i = 0; i < 24; i++) {
      s.clock.advance(20 * MINUTE);
      seen.push(Boolean(await resolveSession(s.deps, sessionId)));
    }

    // Assert: 23 requests within 8 h, the 24th at 8 h
    expect(seen.lastIndexOf(true)).toBe(22);
    expect(seen.at(-1)).toBe(false);
  });

  it('looks up nothing for a cookie value that cannot be a session id', async () => {
    // Prepare
    const s = memorySystem();
    let touched = 0;
    const sessions = { touch: async () => (touched++, { found: false as const }), end: async () => undefined };

    // Act
    const resolved = [await resolveSession({ ...s.deps, sessions }, undefined), await resolveSession({ ...s.deps, sessions }, 'short')];

    // Assert
    expect(resolved).toEqual([undefined, undefined]);
    expect(touched).toBe(0);
  });

  it('signs out server-side and says so on the trail', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, session, sessionId } = await s.signedIn(ANN);

    // Act
    await signOut(s.deps, session);

    // Assert
    expect(await resolveSession(s.deps, sessionId)).toBeUndefined();
    expect(await trailOf(s, ticket.number)).toContain('signed-out');
  });
});

describe('mayOpen', () => {
  const session = { customerLogin: ANN, scope: 'customer' as const, ticketNumber: '1' };
  const ticket = { number: '2', customerLogin: ANN, state: 'open' as const };

  it.each([
    ['the customer’s other ticket, scope customer', true, session, ticket],
    ['the customer’s other ticket, scope ticket', false, { ...session, scope: 'ticket' as const }, ticket],
    ['the ticket the session started with, scope ticket', true, { ...session, scope: 'ticket' as const }, { ...ticket, number: '1' }],
    ['someone else’s ticket', false, session, { ...ticket, customerLogin: 'bob@example.org' }],
    ['a merged ticket', false, session, { ...ticket, state: 'merged' as const }],
    ['a removed ticket', false, session, { ...ticket, state: 'removed' as const }],
    ['a ticket of a disabled customer (a session the disable missed)', false, session, { ...ticket, customerDisabled: true }],
  ])('%s: opens it %s', (_label, expected, s, t) => {
    expect(mayOpen(s, t)).toBe(expected);
  });
});
