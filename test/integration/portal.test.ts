/**
 * The portal over HTTP (docs/links-and-portal.md): sessions (cookie, idle and absolute lifetimes, sign-out),
 * the customer's pages, replies, and who may see what — against dynalite, the SES emulator and the
 * local event bus, with a fake clock.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Session } from '../../shared/domain/model.js';
import { planTransition } from '../../shared/domain/ticket-lifecycle.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { replyInPortal } from '../../shared/use-cases/reply-in-portal.js';
import { publishedDetailProblems } from '../../shared/events/published.js';
import { Browser, startPortal } from '../support/portal.js';
import { useLocalSystem } from '../support/system.js';

const { peers, portal, portals } = useLocalSystem({ portal: {}, portals: { berlin: { config: { PortalTimeZone: 'Europe/Berlin' } } } });

let n = 0;
let customer: string;
beforeEach(() => {
  customer = `p${++n}@portal.example`;
});
const MINUTE = 60_000;

/** A customer with a ticket, signed in through its link. */
async function signedIn(subject = 'Printer on fire', text = 'Help!') {
  const link = await portal.mailIn(customer, subject, text);
  const browser = portal.browser();
  const res = await browser.post(link.path);
  if (res.status !== 303) throw new Error(`redeem answered ${res.status}`);
  return { link, browser };
}

describe('the ticket page', () => {
  it('shows the mail’s subject and body with its line breaks, in two DynamoDB round trips', async () => {
    const { link, browser } = await signedIn('Invoice question', 'First line\nSecond line\n\nNew paragraph');
    portal.requests.reset();

    const res = await browser.get(`/tickets/${link.ticketNumber}`);

    expect(res.status).toBe(200);
    expect(res.text).toContain('Invoice question');
    expect(res.text).toMatch(/First line<br>\s*Second line/);
    expect(res.text).toContain('New paragraph');
    // The session touched; then the ticket, its newest articles, trail and counted opens, sent together.
    expect(portal.requests.rounds).toEqual([['UpdateItemCommand'], ['GetItemCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']]);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('shows times in the configured PortalTimeZone and says which zone that is', async () => {
    // Prepare: the portals' fake clock stands at 10:00 UTC in November (CET, UTC+1)
    const berlin = portals.berlin;
    const link = await berlin.mailIn(customer, 'Time zones');
    const browser = berlin.browser();
    await browser.post(link.path);

    // Act
    const res = await browser.get(`/tickets/${link.ticketNumber}`);

    // Assert
    expect(res.text).toMatch(/<time datetime="2026-11-25T10:00:00.000Z">[^<]*11:00[^<]*(CET|GMT\+1)<\/time>/);
    expect(res.text).toContain('Times are shown in the Europe/Berlin time zone.');
  });

  it('keeps hostile subject and body as text', async () => {
    const { link, browser } = await signedIn('<img src=x onerror=alert(1)>', '<script>alert(document.cookie)</script>');
    const res = await browser.get(`/tickets/${link.ticketNumber}`);
    expect(res.text).not.toMatch(/<script>alert|<img src=x/);
    expect(res.text).toContain('&lt;script&gt;alert(document.cookie)&lt;/script&gt;');
  });

  it('answers someone else’s ticket exactly as a missing one: 404', async () => {
    const other = await portal.mailIn(`other${n}@portal.example`, 'Not yours');
    const { browser } = await signedIn();

    const theirs = await browser.get(`/tickets/${other.ticketNumber}`);
    const missing = await browser.get('/tickets/20991231000001');

    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.text).toBe(missing.text);
    expect(theirs.text).not.toContain('Not yours');
  });

  it('lists the customer’s own tickets newest first, and no one else’s', async () => {
    const { browser, link } = await signedIn('Older');
    portal.clock.advance(MINUTE);
    const newer = await portal.mailIn(customer, 'Newer');
    await portal.mailIn(`stranger${n}@portal.example`, 'Stranger ticket');
    portal.requests.reset();

    const res = await browser.get('/tickets');

    expect(res.status).toBe(200);
    expect(portal.requests.commands).toEqual(['UpdateItemCommand', 'QueryCommand']);
    expect(res.text.indexOf(newer.ticketNumber)).toBeLessThan(res.text.indexOf(link.ticketNumber));
    expect(res.text).not.toContain('Stranger ticket');
  });
});

describe('replying in the portal', () => {
  it('adds the reply as an article and tells the helpdesk (CustomerReplied)', async () => {
    const { link, browser } = await signedIn();
    const page = await browser.get(`/tickets/${link.ticketNumber}`);

    const res = await browser.post(`/tickets/${link.ticketNumber}/reply`, { csrf: Browser.csrf(page.text), text: 'It is still burning.\nPlease hurry.' });
    await peers.bus.idle();

    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/tickets/${link.ticketNumber}?reply=sent#reply-sent`);
    const after = await browser.get(`/tickets/${link.ticketNumber}`);
    expect(after.text).toMatch(/It is still burning\.<br>\s*Please hurry\./);
    const replied = peers.published().filter((e) => e.detailType === 'CustomerReplied' && (e.detail as { ticketNumber: string }).ticketNumber === link.ticketNumber);
    expect(replied).toHaveLength(1);
    expect(replied[0]?.detail).toMatchObject({ article: { channel: 'portal', text: 'It is still burning.\nPlease hurry.' } });
    expect(publishedDetailProblems('CustomerReplied', replied[0]?.detail)).toEqual([]);
  });

  it('takes control and bidi characters out of a reply, in the article and in CustomerReplied', async () => {
    // Prepare
    const { link, browser } = await signedIn();
    const page = await browser.get(`/tickets/${link.ticketNumber}`);

    // Act: NUL, an escape sequence, DEL, a right-to-left override and a line separator, percent-encoded as a browser would
    const res = await browser.post(`/tickets/${link.ticketNumber}/reply`, { csrf: Browser.csrf(page.text), text: 'Zero\u0000here\x1b[2J\x7f\nlist\u202Etxt.exe\u2028next' });
    await peers.bus.idle();

    // Assert
    expect(res.status).toBe(303);
    const articles = (await portal.deps.tickets.view(link.ticketNumber))?.articles ?? [];
    expect(articles.find((a) => a.channel === 'portal')?.text).toBe('Zero here [2J \nlist txt.exe\nnext');
    const replied = peers.published().filter((e) => e.detailType === 'CustomerReplied' && (e.detail as { ticketNumber: string }).ticketNumber === link.ticketNumber);
    expect(replied[0]?.detail).toMatchObject({ article: { text: 'Zero here [2J \nlist txt.exe\nnext' } });
  });

  it('refuses a reply of nothing but control characters as empty: 400, nothing stored', async () => {
    const { link, browser } = await signedIn();
    const page = await browser.get(`/tickets/${link.ticketNumber}`);

    const res = await browser.post(`/tickets/${link.ticketNumber}/reply`, { csrf: Browser.csrf(page.text), text: '\u0000\u202E\x1b' });

    expect(res.status).toBe(400);
    expect((await portal.deps.tickets.view(link.ticketNumber))?.articles).toHaveLength(1);
  });

  it('reopens a ticket closed within its window, and says so on the bus', async () => {
    const { link, browser } = await signedIn();
    const ticket = (await portal.deps.tickets.get(link.ticketNumber))!;
    await portal.deps.tickets.update(link.ticketNumber, { change: planTransition(ticket, 'closed', portal.clock.now(), portal.config).change, updatedAt: portal.clock.now().toISOString() }, {});
    const page = await browser.get(`/tickets/${link.ticketNumber}`);

    await browser.post(`/tickets/${link.ticketNumber}/reply`, { csrf: Browser.csrf(page.text), text: 'Not fixed.' });
    await peers.bus.idle();

    expect((await portal.deps.tickets.get(link.ticketNumber))?.state).toBe('open');
    const reopened = peers.published().filter((e) => e.detailType === 'TicketReopened' && (e.detail as { ticketNumber: string }).ticketNumber === link.ticketNumber);
    expect(reopened.length).toBeGreaterThan(0);
    expect(reopened.flatMap((e) => publishedDetailProblems('TicketReopened', e.detail))).toEqual([]);
  });

  it('still tells the helpdesk of a reopen whose article write failed, once, when the customer tries again', async () => {
    // Prepare: a closed ticket; the first reply's batch (article + events) fails after the reopen was written.
    const link = await portal.mailIn(customer, 'Reopen, then fail');
    await changeTicketState(portal.deps, { ticketNumber: link.ticketNumber, state: 'closed' });
    const session: Session = { idHash: 'test', customerLogin: customer, ticketNumber: link.ticketNumber, scope: 'customer', language: 'en', createdAt: '', lastSeenAt: '', absoluteExpiresAt: '' };
    const real = portal.deps.tickets;
    let failures = 1;
    const flaky = Object.assign(Object.create(real) as typeof real, {
      addArticle: (...args: Parameters<typeof real.addArticle>) => (failures-- > 0 ? Promise.reject(new Error('BatchWrite failed')) : real.addArticle(...args)),
    });
    const reopenedEvents = () => peers.published().filter((e) => e.detailType === 'TicketReopened' && (e.detail as { ticketNumber: string }).ticketNumber === link.ticketNumber);

    // Act
    const first = await replyInPortal({ ...portal.deps, tickets: flaky }, session, link.ticketNumber, 'Still broken').catch((e: unknown) => e);
    const owed = (await portal.deps.tickets.get(link.ticketNumber))?.pendingReopenEvent;
    const second = await replyInPortal({ ...portal.deps, tickets: flaky }, session, link.ticketNumber, 'Still broken');
    const third = await replyInPortal(portal.deps, session, link.ticketNumber, 'Hello?');
    await peers.bus.idle();

    // Assert: the reopen was written by the first try; its event went out with the second, once.
    expect(first).toBeInstanceOf(Error);
    expect(owed).toEqual(expect.any(String));
    expect([second, third]).toEqual(['added', 'added']);
    expect(reopenedEvents().map((e) => (e.detail as { eventId: string }).eventId)).toEqual([owed]);
    expect((await portal.deps.tickets.get(link.ticketNumber))?.pendingReopenEvent).toBeUndefined();
  });

  it.each([
    ['without the page’s form token', () => ({}), 403],
    ['with an empty text', (csrf: string) => ({ csrf, text: '   ' }), 400],
    ['with more than 20 000 characters', (csrf: string) => ({ csrf, text: 'x'.repeat(20_001) }), 400],
  ])('refuses a reply %s, adding nothing', async (_label, fields, status) => {
    const { link, browser } = await signedIn();
    const page = await browser.get(`/tickets/${link.ticketNumber}`);

    const res = await browser.post(`/tickets/${link.ticketNumber}/reply`, fields(Browser.csrf(page.text)) as Record<string, string>);

    expect(res.status).toBe(status);
    expect((await portal.deps.tickets.view(link.ticketNumber))?.articles).toHaveLength(1);
  });

  it('refuses a reply posted from another site, even with a valid session', async () => {
    const { link, browser } = await signedIn();
    const page = await browser.get(`/tickets/${link.ticketNumber}`);

    const res = await browser.post(`/tickets/${link.ticketNumber}/reply`, { csrf: Browser.csrf(page.text), text: 'forged' }, { origin: 'https://evil.example' });

    expect(res.status).toBe(403);
    expect((await portal.deps.tickets.view(link.ticketNumber))?.articles).toHaveLength(1);
  });
});

describe('sessions', () => {
  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, and without Secure on plain http', async () => {
    const link = await portal.mailIn(customer, 'Cookie');
    const res = await portal.browser().post(link.path);
    const cookie = res.setCookies[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('on an https portal: the __Host- cookie with Secure, HSTS, and form posts only from the https origin', async () => {
    // Prepare: links built from https://help.example.com while this server listens on plain http (as behind API Gateway).
    const https = await startPortal(peers, { portalUrl: 'https://help.example.com' });
    try {
      const link = await https.mailIn(customer, 'Over https');
      const browser = https.browser();
      const origin = { origin: 'https://help.example.com' };

      const fromPlainHttp = await https.browser().post(link.path);
      const res = await browser.post(link.path, {}, origin);
      const page = await browser.get(`/tickets/${link.ticketNumber}`);

      expect(link.mail.body.text).toContain(`https://help.example.com/link/${link.ticketNumber}/`);
      expect(fromPlainHttp.status).toBe(403);
      expect(res.status).toBe(303);
      expect(res.setCookies).toEqual([expect.stringMatching(/^__Host-ota_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800; Secure$/)]);
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(page.status).toBe(200);
    } finally {
      await https.stop();
    }
  });

  it('signs out server-side: the cookie is cleared, the session gone, the trail says so', async () => {
    const { link, browser } = await signedIn();
    const sessionId = browser.cookies.get('ota_session') ?? '';
    const page = await browser.get(`/tickets/${link.ticketNumber}`);

    const res = await browser.post('/logout', { csrf: Browser.csrf(page.text) });
    const stale = new Browser(portal.base);
    stale.cookies.set('ota_session', sessionId);

    expect(res.status).toBe(200);
    expect(res.text).toContain('You are signed out');
    expect(res.setCookies[0]).toMatch(/^ota_session=; .*Max-Age=0/);
    expect((await stale.get('/tickets')).status).toBe(403);
    expect((await portal.deps.trail.list(link.ticketNumber)).map((e) => e.event)).toContain('signed-out');
  });

  it('ends after SessionIdleMinutes without a request, and records that it expired', async () => {
    const { link, browser } = await signedIn();
    portal.clock.advance(29 * MINUTE);
    expect((await browser.get('/tickets')).status).toBe(200);
    portal.clock.advance(29 * MINUTE);
    expect((await browser.get('/tickets')).status).toBe(200); // each request restarts the idle time

    portal.clock.advance(31 * MINUTE);
    const res = await browser.get(`/tickets/${link.ticketNumber}`);

    expect(res.status).toBe(403);
    expect(res.text).toContain('You are signed out');
    expect((await portal.deps.trail.list(link.ticketNumber)).map((e) => e.event)).toContain('session-expired');
  });

  it('ends after SessionAbsoluteHours however busy', async () => {
    const { browser } = await signedIn();
    for (let i = 0; i < 23; i++) {
      portal.clock.advance(20 * MINUTE);
      expect((await browser.get('/tickets')).status).toBe(200);
    }
    portal.clock.advance(20 * MINUTE); // 8 h in all
    expect((await browser.get('/tickets')).status).toBe(403);
  });

  it('shows the signed-out page with a way to a new link when there is no session', async () => {
    const res = await portal.browser().get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/access"');
  });

  it('serves the stylesheet, cacheable, as CSS', async () => {
    const res = await portal.browser().get('/static/portal.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('max-age');
  });
});
