/**
 * redeem-link on the in-memory ports: every outcome of the POST behind a link's button, and the
 * reason it gives. test/integration/redeem-link.test.ts runs the same journeys over HTTP against
 * dynalite (pages, cookies, request counts); these are the decisions alone.
 */
import { describe, expect, it } from '@jest/globals';
import { hashToken } from '../../shared/domain/tokens.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { issueLink, refreshMail } from '../../shared/use-cases/issue-link.js';
import { redeemLink, sessionIdHash, type RedeemOutcome } from '../../shared/use-cases/redeem-link.js';
import { setCustomerStatus } from '../../shared/use-cases/set-customer-status.js';
import { sweepClosedTickets } from '../../shared/use-cases/sweep-closed-tickets.js';
import { memorySystem, type MemorySystem } from '../support/memory-system.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ANN = 'ann@example.org';

const refusal = (o: RedeemOutcome) => (o.redeemed ? 'redeemed' : o.codeOffered ? `code-offered/${o.reason}` : `${o.messageKey}/${o.reason}`);

describe('redeem-link (use case): the winner', () => {
  it('spends the link once: a session whose id only the caller holds, the pointer gone, the spend and its trail entry recorded', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, token } = await s.customerWithLink(ANN);

    // Act
    const outcome = await redeemLink(s.deps, { ticketNumber: ticket.number, token });

    // Assert
    if (!outcome.redeemed) throw new Error(`refused: ${outcome.reason}`);
    expect(outcome.session).toMatchObject({ customerLogin: ANN, ticketNumber: ticket.number, scope: 'customer' });
    expect([...s.world.sessions.keys()]).toEqual([sessionIdHash(outcome.sessionId)]);
    expect(JSON.stringify([...s.world.sessions.values()])).not.toContain(outcome.sessionId);
    const after = s.world.tickets.get(ticket.number);
    expect(after?.activeToken).toBeUndefined();
    expect(after?.spentTokens).toEqual([hashToken(token)]);
    expect((await s.deps.trail.list(ticket.number)).map((e) => e.event)).toContain('link-used');
    expect(s.metrics.get('LinkRedeemed')).toBe(1);
  });

  it('of ten concurrent POSTs of one link, lets exactly one start a session and mails at most one refresh', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, token } = await s.customerWithLink(ANN);

    // Act
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => redeemLink(s.deps, { ticketNumber: ticket.number, token })));

    // Assert
    expect(outcomes.filter((o) => o.redeemed)).toHaveLength(1);
    expect(s.world.sessions.size).toBe(1);
    expect(s.mailer.sent.length).toBeLessThanOrEqual(2);
  });
});

describe('redeem-link (use case): a spent or superseded link', () => {
  it('mails a fresh link when none is active and the code of its mail is used too (NewLink), counts a failed login, and answers WrongLink within the interval', async () => {
    // Prepare: the link and the code of its mail both used.
    const s = memorySystem();
    const { ticket, token, code } = await s.customerWithLink(ANN);
    await redeemLink(s.deps, { ticketNumber: ticket.number, token });
    await s.useCode(ticket.number, code);

    // Act
    const again = await redeemLink(s.deps, { ticketNumber: ticket.number, token });
    const third = await redeemLink(s.deps, { ticketNumber: ticket.number, token });

    // Assert
    expect([refusal(again), refusal(third)]).toEqual(['CustomerErrorMessageNewLink/refresh-mailed', 'CustomerErrorMessageWrongLink/newer-link-active']);
    expect(s.mailer.sent.map((m) => [m.to, m.subject])).toEqual([
      [ANN, expect.any(String)],
      [ANN, `[Ticket#${ticket.number}] Your new access link`],
    ]);
    expect(s.linkTo(ANN).token).not.toBe(token);
    expect(s.world.customers.get(ANN)?.failedLogins).toBe(1);
  });

  it('answers WrongLink for a link superseded by a newer one that was mailed', async () => {
    // Prepare
    const s = memorySystem();
    const { customer, ticket, token } = await s.customerWithLink(ANN);
    s.clock.advance(MINUTE);
    await issueLink(s.deps, { ticket: s.world.tickets.get(ticket.number)!, customer, purpose: 'agent-reply', mail: refreshMail(ticket) });

    // Act
    const outcome = await redeemLink(s.deps, { ticketNumber: ticket.number, token });

    // Assert
    expect(refusal(outcome)).toBe('CustomerErrorMessageWrongLink/newer-link-active');
    expect((await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'link-refused')).toHaveLength(1);
    expect(s.metrics.get('LinkWrongLink')).toBe(1);
  });

  it('answers RefreshFailed when the fresh link cannot be mailed, drops its pointer, and mails one after the interval', async () => {
    // Prepare: the link and the code of its mail both used; the next mail fails.
    const s = memorySystem();
    const { ticket, token, code } = await s.customerWithLink(ANN);
    await redeemLink(s.deps, { ticketNumber: ticket.number, token });
    await s.useCode(ticket.number, code);
    s.mailer.failures = 1;

    // Act
    const failed = await redeemLink(s.deps, { ticketNumber: ticket.number, token });
    const stillFailed = await redeemLink(s.deps, { ticketNumber: ticket.number, token });
    s.clock.advance(11 * MINUTE);
    const later = await redeemLink(s.deps, { ticketNumber: ticket.number, token });

    // Assert
    expect([refusal(failed), refusal(stillFailed), refusal(later)]).toEqual([
      'CustomerErrorMessageRefreshFailed/refresh-mail-failed',
      'CustomerErrorMessageRefreshFailed/rate-limited',
      'CustomerErrorMessageNewLink/refresh-mailed',
    ]);
    // The link that never went out has no token item: it blocked nothing.
    expect([...s.world.tokens.values()].every((t) => t.sentAt)).toBe(true);
    expect(s.mailer.sent).toHaveLength(2);
  });
});

/** Each case brought about the way the system does it: a state change, the sweep, a disable. */
const expiredCases: [string, string, (s: MemorySystem) => Promise<{ ticketNumber: string; token: string }>][] = [
  ['a malformed link', 'malformed', async () => ({ ticketNumber: '12', token: 'not-a-token' })],
  ['a ticket that does not exist', 'unknown-ticket', async () => ({ ticketNumber: '20990101999999', token: 'A'.repeat(43) })],
  ['a token the ticket never had', 'unknown-token', async (s) => ({ ticketNumber: (await s.customerWithLink(ANN)).ticket.number, token: 'A'.repeat(43) })],
  [
    'an expired token (TokenMaxAgeDays)',
    'token-expired',
    async (s) => {
      const { ticket, token } = await s.customerWithLink(ANN);
      s.clock.advance(31 * DAY);
      return { ticketNumber: ticket.number, token };
    },
  ],
  [
    'a swept token of a ticket reopened since',
    'unknown-token',
    async (s) => {
      const { ticket, token } = await s.customerWithLink(ANN);
      await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
      await sweepClosedTickets(s.deps, { now: new Date(s.clock.now().getTime() + 15 * DAY) });
      await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'open' });
      return { ticketNumber: ticket.number, token };
    },
  ],
  [
    'a disabled customer',
    'customer-disabled',
    async (s) => {
      const { ticket, token } = await s.customerWithLink(ANN);
      await setCustomerStatus(s.deps, ANN, true);
      return { ticketNumber: ticket.number, token };
    },
  ],
  [
    'a spent link whose customer record is gone',
    'customer-missing',
    async (s) => {
      const { ticket, token, code } = await s.customerWithLink(ANN);
      await redeemLink(s.deps, { ticketNumber: ticket.number, token });
      await s.useCode(ticket.number, code);
      s.world.customers.delete(ANN);
      return { ticketNumber: ticket.number, token };
    },
  ],
  [
    'a ticket closed more than AccessDaysAfterClose days ago',
    'beyond-window',
    async (s) => {
      const { ticket, token } = await s.customerWithLink(ANN);
      await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
      s.clock.advance(15 * DAY);
      return { ticketNumber: ticket.number, token };
    },
  ],
  [
    'a merged ticket',
    'ticket-merged',
    async (s) => {
      const target = await s.customerWithLink(ANN);
      const { ticket, token } = await s.customerWithLink(ANN);
      await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'merged', mergedInto: target.ticket.number });
      return { ticketNumber: ticket.number, token };
    },
  ],
  [
    'a removed ticket',
    'ticket-removed',
    async (s) => {
      const { ticket, token } = await s.customerWithLink(ANN);
      await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'removed' });
      return { ticketNumber: ticket.number, token };
    },
  ],
];

describe('redeem-link (use case): LinkExpired', () => {
  it.each(expiredCases)('answers LinkExpired for %s (%s), starting no session and mailing nothing', async (_label, reason, prepare) => {
    // Prepare
    const s = memorySystem();
    const link = await prepare(s);
    const mailed = s.mailer.sent.length;
    const sessions = s.world.sessions.size;

    // Act
    const outcome = await redeemLink(s.deps, link);

    // Assert
    expect(refusal(outcome)).toBe(`CustomerErrorMessageLinkExpired/${reason}`);
    expect(s.world.sessions.size).toBe(sessions);
    expect(s.mailer.sent).toHaveLength(mailed);
    expect(s.metrics.get('LinkExpired')).toBe(1);
  });
});

describe('redeem-link (use case): a spent link whose code is unused', () => {
  it('asks for the code of the same mail and mails nothing, however often it is clicked (a scanner pressed the button first)', async () => {
    // Prepare: the scanner's click spent the link.
    const s = memorySystem();
    const { ticket, token } = await s.customerWithLink(ANN);
    await redeemLink(s.deps, { ticketNumber: ticket.number, token, client: { kind: 'headless-browser' } });

    // Act
    const clicks = [];
    for (let i = 0; i < 3; i++) clicks.push(await redeemLink(s.deps, { ticketNumber: ticket.number, token, client: { requestId: `click-${i}` } }));

    // Assert
    expect(clicks.map(refusal)).toEqual(['code-offered/code-unused', 'code-offered/code-unused', 'code-offered/code-unused']);
    expect(clicks[0]).toMatchObject({ codeOffered: { ticketNumber: ticket.number, sameMail: true } });
    expect(s.mailer.sent).toHaveLength(1);
    expect(s.world.customers.get(ANN)?.failedLogins).toBe(0);
    expect(s.metrics.get('LinkCodeOffered')).toBe(3);
    const trail = await s.deps.trail.list(ticket.number);
    // Counted, not listed: one entry for the three presses (domain/trail.ts).
    expect(trail.filter((e) => e.event === 'link-refused').map((e) => [e.detail, e.count])).toEqual([['code-offered', 3]]);
    expect(trail.find((e) => e.event === 'link-used')?.clientKind).toBe('headless-browser');
  });

  it('asks for the code of the newer mail when an older spent link is clicked after a newer link was spent too', async () => {
    // Prepare: the first mail's link and code used; a refresh mails a second; a scanner spends its link.
    const s = memorySystem();
    const { ticket, token, code } = await s.customerWithLink(ANN);
    await redeemLink(s.deps, { ticketNumber: ticket.number, token });
    await s.useCode(ticket.number, code);
    await redeemLink(s.deps, { ticketNumber: ticket.number, token });
    await redeemLink(s.deps, { ticketNumber: ticket.number, token: s.linkTo(ANN).token });

    // Act
    const outcome = await redeemLink(s.deps, { ticketNumber: ticket.number, token });

    // Assert
    expect(outcome).toMatchObject({ redeemed: false, codeOffered: { sameMail: false } });
    expect(s.mailer.sent).toHaveLength(2);
  });
});

describe('redeem-link (use case): a double-click', () => {
  it('signs the same browser in on its second click, mailing nothing and counting no failed login; another browser’s nonce does not', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket, token } = await s.customerWithLink(ANN);

    // Act
    const [first, second] = await Promise.all([
      redeemLink(s.deps, { ticketNumber: ticket.number, token, nonce: 'nonce-of-this-browser' }),
      redeemLink(s.deps, { ticketNumber: ticket.number, token, nonce: 'nonce-of-this-browser' }),
    ]);
    const scanner = await redeemLink(s.deps, { ticketNumber: ticket.number, token, nonce: 'nonce-of-another-browser' });
    s.clock.advance(11_000);
    const late = await redeemLink(s.deps, { ticketNumber: ticket.number, token, nonce: 'nonce-of-this-browser' });

    // Assert
    expect([first.redeemed, second.redeemed]).toEqual([true, true]);
    expect(s.world.sessions.size).toBe(2);
    expect(refusal(scanner)).toBe('code-offered/code-unused');
    expect(refusal(late)).toBe('code-offered/code-unused');
    expect(s.mailer.sent).toHaveLength(1);
    expect(s.world.customers.get(ANN)?.failedLogins).toBe(0);
    expect((await s.deps.trail.list(ticket.number)).filter((e) => e.event === 'link-used')).toHaveLength(1);
    expect(s.metrics.get('LinkDoubleClickSignedIn')).toBe(1);
  });
});

describe('redeem-link (use case): languages', () => {
  it('starts the session in the browser’s language unless the ticket’s mail declared one', async () => {
    // Prepare: one ticket whose language was the default, one whose mail declared English.
    const s = memorySystem();
    const defaulted = await s.customerWithLink(ANN);
    const declared = await s.customerWithLink('bob@example.org', { languageDeclared: true });

    // Act
    const a = await redeemLink(s.deps, { ticketNumber: defaulted.ticket.number, token: defaulted.token, language: 'de' });
    const b = await redeemLink(s.deps, { ticketNumber: declared.ticket.number, token: declared.token, language: 'de' });

    // Assert
    expect(a.redeemed && a.session.language).toBe('de');
    expect(b.redeemed && b.session.language).toBe('en');
  });

  it('answers a made-up token in no language of the ticket’s, whether the ticket exists or not', async () => {
    // Prepare: a ticket whose mail declared German.
    const s = memorySystem();
    const { ticket } = await s.customerWithLink(ANN, { language: 'de', languageDeclared: true });

    // Act
    const existing = await redeemLink(s.deps, { ticketNumber: ticket.number, token: 'A'.repeat(43) });
    const missing = await redeemLink(s.deps, { ticketNumber: '20990101000001', token: 'A'.repeat(43) });

    // Assert: the same key, and no language: the page speaks the request's.
    const seen = [existing, missing].map((o) => (o.redeemed || o.codeOffered ? undefined : { key: o.messageKey, language: o.language }));
    expect(seen).toEqual([
      { key: 'CustomerErrorMessageLinkExpired', language: undefined },
      { key: 'CustomerErrorMessageLinkExpired', language: undefined },
    ]);
  });
});
