/** issue-link on the in-memory ports: the one way every link is minted, activated, mailed and recorded. */
import { describe, expect, it } from '@jest/globals';
import { hashToken } from '../../shared/domain/tokens.js';
import { MailRejectedError } from '../../shared/errors.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { issueLink, refreshMail } from '../../shared/use-cases/issue-link.js';
import { memorySystem } from '../support/memory-system.js';

const DAY = 86_400_000;
const ANN = 'ann@example.org';

async function prepared(configOverride: Record<string, unknown> = {}) {
  const s = memorySystem(configOverride);
  const { customer, ticket } = await s.customerWithTicket(ANN);
  const issue = (over: Partial<Parameters<typeof issueLink>[1]> = {}, deps: Parameters<typeof issueLink>[0] = s.deps) =>
    issueLink(deps, { ticket: s.world.tickets.get(ticket.number)!, customer: s.world.customers.get(ANN)!, purpose: 'refresh', mail: refreshMail(ticket), ...over });
  return { s, customer, ticket, issue };
}

describe('issue-link (use case)', () => {
  it('mails the customer’s own address a link whose hash becomes the active token, and records it as sent', async () => {
    // Prepare
    const { s, ticket, issue } = await prepared();

    // Act
    const outcome = await issue();

    // Assert
    expect(outcome.issued).toBe(true);
    const { token, mail } = s.linkTo(ANN);
    expect(mail.text).toContain(`https://portal.example.com/link/${ticket.number}/${token}`);
    expect(mail.autoSubmitted).toBe('auto-generated');
    const hash = hashToken(token);
    expect(s.world.tickets.get(ticket.number)?.activeToken).toMatchObject({ hash, purpose: 'refresh' });
    expect([...s.world.tokens.values()].map((t) => [t.hash, t.sentAt])).toEqual([[hash, s.clock.now().toISOString()]]);
    expect((await s.deps.trail.list(ticket.number)).map((e) => e.event).sort()).toEqual(['link-minted', 'refresh-mailed']);
    // Only the hash is kept, anywhere.
    expect(JSON.stringify([...s.world.tickets.values(), ...s.world.tokens.values(), ...s.world.trail.values()])).not.toContain(token);
  });

  it('supersedes a link another writer activated meanwhile, after reading the ticket once more', async () => {
    // Prepare
    const { s, ticket, issue } = await prepared();
    s.world.interfere = () => {
      s.world.interfere = undefined;
      s.world.tickets.get(ticket.number)!.activeToken = { hash: 'minted-elsewhere', purpose: 'refresh', createdAt: '', expiresAt: '2099-01-01T00:00:00.000Z' };
    };

    // Act
    const outcome = await issue();

    // Assert
    expect(outcome.issued).toBe(true);
    expect(s.world.tickets.get(ticket.number)?.activeToken?.hash).toBe(hashToken(s.linkTo(ANN).token));
  });

  it('gives up with "conflict" when the pointer keeps moving, and mails nothing', async () => {
    // Prepare
    const { s, ticket, issue } = await prepared();
    let moves = 0;
    s.world.interfere = () => void (s.world.tickets.get(ticket.number)!.activeToken = { hash: `moved-${++moves}`, purpose: 'refresh', createdAt: '', expiresAt: '2099-01-01T00:00:00.000Z' });

    // Act
    const outcome = await issue();

    // Assert
    expect(outcome).toEqual({ issued: false, reason: 'conflict' });
    expect(s.mailer.sent).toEqual([]);
    expect(s.metrics.get('LinkActivationConflict')).toBe(1);
  });

  it('refuses a disabled customer, and a ticket closed longer than AccessDaysAfterClose, before minting anything', async () => {
    // Prepare
    const { s, ticket, customer, issue } = await prepared();
    const disabled = await issue({ customer: { ...customer, disabled: true } });
    await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
    s.clock.advance(15 * DAY);

    // Act
    const closed = await issue();

    // Assert
    expect([disabled, closed]).toEqual([
      { issued: false, reason: 'customer-disabled' },
      { issued: false, reason: 'not-accessible' },
    ]);
    expect(s.mailer.sent).toEqual([]);
  });

  it('mails a rate-limited link at most once per RefreshMinIntervalMinutes', async () => {
    // Prepare
    const { s, issue } = await prepared({ RefreshMinIntervalMinutes: 10 });

    // Act
    const first = await issue({ rateLimited: true });
    s.clock.advance(9 * 60_000);
    const tooSoon = await issue({ rateLimited: true });
    s.clock.advance(2 * 60_000);
    const later = await issue({ rateLimited: true });

    // Assert
    expect([first.issued, tooSoon, later.issued]).toEqual([true, { issued: false, reason: 'rate-limited' }, true]);
    expect(s.mailer.sent).toHaveLength(2);
  });

  it('reports a failed send as retryable, a rejected address as not, and keeps no token item for either', async () => {
    // Prepare
    const { s, issue } = await prepared();
    s.mailer.failures = 1;
    const rejecting = { send: async () => Promise.reject(new MailRejectedError('Email address is not verified.')) };

    // Act
    const unavailable = await issue();
    const rejected = await issue({}, { ...s.deps, mailer: rejecting });

    // Assert
    expect(unavailable).toMatchObject({ issued: false, reason: 'mail-failed', retryable: true });
    expect(rejected).toMatchObject({ issued: false, reason: 'mail-failed', retryable: false });
    expect(s.world.tokens.size).toBe(0);
    expect(s.metrics.get('LinkMailFailed')).toBe(2);
  });
});
