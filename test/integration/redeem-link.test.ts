/**
 * Redeeming links over HTTP (docs/links-and-portal.md): the HTTP function behind the local API Gateway
 * stand-in, against dynalite and the SES emulator, with a fake clock. Every outcome of the
 * add-on's login with a token, scanner safety, concurrency, and what bad input gets.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import type { TicketState } from '../../shared/domain/model.js';
import { hashToken } from '../../shared/domain/tokens.js';
import { DEFAULTS } from '../../shared/config-defaults.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { setCustomerStatus } from '../../shared/use-cases/set-customer-status.js';
import { sweepClosedTickets } from '../../shared/use-cases/sweep-closed-tickets.js';
import { Browser, latestLink, startPortal } from '../support/portal.js';
import { useLocalSystem } from '../support/system.js';

const { peers, portal } = useLocalSystem({ portal: {} });

let n = 0;
let customer: string;
beforeEach(() => {
  customer = `c${++n}@redeem.example`;
});
const MINUTE = 60_000;
const DAY = 86_400_000;

const ticketOf = (number: string) => portal.deps.tickets.get(number);
/** Signs in with the code of a link's mail, so that neither the link nor the code of that mail is left. */
async function useCode(link: { ticketNumber: string; code: string }, on = portal) {
  const res = await on.browser().post('/code', { ticketNumber: link.ticketNumber, code: link.code });
  expect(res.status).toBe(303);
}
const NEW_LINK = DEFAULTS.CustomerErrorMessageNewLink;

describe('GET of a link: the landing page', () => {
  it('shows the ticket number and one button, spends nothing, and records the opening', async () => {
    const link = await portal.mailIn(customer, 'Secret subject about my invoice', 'The confidential body');
    const browser = portal.browser();

    const res = await browser.get(link.path, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' });

    expect(res.status).toBe(200);
    expect(res.text).toContain(link.ticketNumber);
    expect(res.text).toMatch(new RegExp(`<form method="post" action="/link/${link.ticketNumber}/${link.token}"`));
    expect(res.text).not.toContain('Secret subject');
    expect(res.text).not.toContain('confidential');
    expect((await ticketOf(link.ticketNumber))?.activeToken?.hash).toBe(hashToken(link.token));
    // No session: only the landing page's nonce, which tells this browser's double-click from another's.
    expect(res.setCookies).toEqual([expect.stringMatching(/^ota_landing=[A-Za-z0-9_-]{22}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/)]);
    const trail = await portal.deps.trail.list(link.ticketNumber);
    expect(trail.map((e) => [e.event, e.client])).toContainEqual(['link-opened', 'Firefox, 127.0.0.0/24']);
  });

  it('sends the security headers on every page', async () => {
    const link = await portal.mailIn(customer, 'Headers');
    const res = await portal.browser().get(link.path);

    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/script-src|unsafe-inline|sandbox|navigate-to/);
    expect(res.headers.get('x-xss-protection')).toBeNull();
    expect(res.headers.get('reporting-endpoints')).toBeNull();
    // Removed, not sent as the text "undefined" (as API Gateway drops them from the function's JSON).
    expect(res.headers.get('server')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers HEAD like GET, without the body, and spends nothing', async () => {
    const link = await portal.mailIn(customer, 'Head');
    const res = await portal.browser().request('HEAD', link.path);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await ticketOf(link.ticketNumber))?.activeToken?.hash).toBe(hashToken(link.token));
  });

  it('answers a malformed link with LinkExpired, reading nothing', async () => {
    portal.requests.reset();
    const res = await portal.browser().get('/link/20261125000001/not-a-token');
    expect(res.status).toBe(410);
    expect(res.text).toContain('Your link does not point to a ticket that is still valid.');
    expect(portal.requests.total).toBe(0);
  });
});

describe('POST of a link: redeeming', () => {
  it('spends an active link once: a session cookie and a 303 to the ticket, in two DynamoDB requests', async () => {
    const link = await portal.mailIn(customer, 'Redeem me');
    const browser = portal.browser();
    portal.requests.reset();

    const res = await browser.post(link.path);
    const requests = portal.requests.commands;

    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/tickets/${link.ticketNumber}`);
    const [cookie] = res.setCookies;
    expect(cookie).toMatch(/^ota_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800$/);
    expect(requests).toEqual(['UpdateItemCommand', 'BatchWriteItemCommand']);
    const ticket = await ticketOf(link.ticketNumber);
    expect(ticket?.activeToken).toBeUndefined();
    expect(ticket?.spentTokens).toEqual([hashToken(link.token)]);
    // The session id lives in the cookie only; the table keeps its hash.
    const sessionId = browser.cookies.get('ota_session') ?? '';
    const dump = JSON.stringify(await portal.inbound.items());
    expect(dump).not.toContain(sessionId);
    expect(dump).not.toContain(link.token);
    expect((await portal.deps.trail.list(link.ticketNumber)).map((e) => e.event)).toContain('link-used');
    expect(portal.metrics.get('LinkRedeemed')).toBeGreaterThanOrEqual(1);
  });

  it('of 30 concurrent POSTs of one link, exactly one starts a session', async () => {
    const link = await portal.mailIn(customer, 'Race');
    const browsers = Array.from({ length: 30 }, () => portal.browser());

    const results = await Promise.all(browsers.map((b) => b.post(link.path)));

    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(browsers.filter((b) => b.cookies.size > 0)).toHaveLength(1);
    const sessions = (await portal.inbound.entities('session')).filter((s) => s.ticketNumber === link.ticketNumber);
    expect(sessions).toHaveLength(1);
    // The losers found it spent with no newer link: one refresh mail at most, however many clicked.
    expect((await peers.outbox(customer)).length).toBeLessThanOrEqual(2);
  });

  it('answers WrongLink for a link superseded by a newer one that was mailed', async () => {
    const first = await portal.mailIn(customer, 'Twice');
    portal.clock.advance(MINUTE);
    await portal.mailIn(customer, `Re: [Ticket#${first.ticketNumber}] Twice`);

    const res = await portal.browser().post(first.path);

    expect(res.status).toBe(409);
    expect(res.text).toContain('For security reasons you must use the newest link we sent you to access this ticket.');
    const trail = await portal.deps.trail.list(first.ticketNumber);
    expect(trail.find((e) => e.event === 'link-refused')?.detail).toBe('CustomerErrorMessageWrongLink');
  });

  it('mails a fresh link for a spent link when none is active and its code is used too (NewLink), once per interval, and counts a failed login', async () => {
    const link = await portal.mailIn(customer, 'Spent');
    await portal.browser().post(link.path);
    await useCode(link);
    const before = (await peers.outbox(customer)).length;

    const again = await portal.browser().post(link.path);
    const refresh = await latestLink(peers, customer);
    const third = await portal.browser().post(link.path);

    expect(again.status).toBe(200);
    expect(again.text).toContain(NEW_LINK.en);
    expect(refresh.count).toBe(before + 1);
    expect(refresh.mail.subject).toBe(`[Ticket#${link.ticketNumber}] Your new access link`);
    expect(refresh.token).not.toBe(link.token);
    // Within the interval the new link is what counts: the old one now answers WrongLink, and no second mail goes out.
    expect(third.status).toBe(409);
    expect((await peers.outbox(customer)).length).toBe(before + 1);
    // Only the click that found no newer link counts as a failed login (the add-on's rule); WrongLink does not.
    expect((await portal.deps.customers.get(customer))?.failedLogins).toBe(1);
    const events = (await portal.deps.trail.list(link.ticketNumber)).map((e) => `${e.event}:${e.detail ?? ''}`);
    expect(events).toEqual(expect.arrayContaining(['link-minted:refresh', 'refresh-mailed:', 'link-refused:CustomerErrorMessageNewLink']));
  });

  it('sends at most one refresh mail for 30 concurrent POSTs of a spent link', async () => {
    const link = await portal.mailIn(customer, 'Spent race');
    await portal.browser().post(link.path);
    await useCode(link);
    const before = (await peers.outbox(customer)).length;

    const results = await Promise.all(Array.from({ length: 30 }, () => portal.browser().post(link.path)));

    expect((await peers.outbox(customer)).length).toBe(before + 1);
    expect(results.every((r) => [200, 409].includes(r.status))).toBe(true);
    expect(results.filter((r) => r.text.includes('a new link and code have been sent')).length).toBeGreaterThanOrEqual(1);
  });

  it('answers RefreshFailed when the refresh cannot be mailed, and the next try after the interval works', async () => {
    // Prepare: an SES client that refuses (fault injected), in an otherwise identical function.
    const failing = new SESv2Client({ region: 'us-east-1' });
    mockClient(failing).on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const broken = await startPortal(peers, { overrides: { ses: failing } });
    try {
      const link = await broken.mailIn(customer, 'Refresh fails');
      await broken.browser().post(link.path);
      await useCode(link, broken);

      const failed = await broken.browser().post(link.path);
      const stillFailed = await broken.browser().post(link.path);
      broken.clock.advance(11 * MINUTE);
      const working = await startPortal(peers);
      working.clock.set(broken.clock.now().toISOString());
      const later = await working.browser().post(link.path);
      await working.stop();

      expect(failed.status).toBe(503);
      expect(failed.text).toContain('The link could not be generated, please email support directly.');
      expect(stillFailed.status).toBe(503);
      expect(later.status).toBe(200);
      expect(later.text).toContain('a new link and code have been sent');
      // The unsent link never became a token item: it could block nothing.
      expect((await broken.deps.tokens.listByTicket(link.ticketNumber)).every((t) => t.sentAt)).toBe(true);
    } finally {
      await broken.stop();
    }
  });

  // Each case is brought about the way the system does it (sweep, state change, disable), and the
  // reason the function logs says which refusal answered, not only that the page was LinkExpired.
  const state = (number: string, to: TicketState, mergedInto?: string) => changeTicketState(portal.deps, { ticketNumber: number, state: to, mergedInto });
  it.each([
    ['a malformed link', 'malformed', async () => ({ path: '/link/12/not-a-token' })],
    ['a ticket that does not exist', 'unknown-ticket', async () => ({ path: `/link/20990101999999/${'A'.repeat(43)}` })],
    ['a token the ticket never had', 'unknown-token', async () => ({ path: `/link/${(await portal.mailIn(customer, 'Guess')).ticketNumber}/${'A'.repeat(43)}` })],
    [
      'an expired token (TokenMaxAgeDays, re-checked although TTL has not deleted it)',
      'token-expired',
      async () => {
        const link = await portal.mailIn(customer, 'Old');
        portal.clock.advance(31 * DAY);
        return link;
      },
    ],
    [
      'a swept token',
      'unknown-token',
      async () => {
        const link = await portal.mailIn(customer, 'Swept');
        await state(link.ticketNumber, 'closed');
        await sweepClosedTickets(portal.deps, { now: new Date(portal.clock.now().getTime() + 15 * DAY) });
        await state(link.ticketNumber, 'open'); // reopened after the sweep: only the token is gone
        return link;
      },
    ],
    [
      'a disabled customer',
      'customer-disabled',
      async () => {
        const link = await portal.mailIn(customer, 'Disabled');
        await setCustomerStatus(portal.deps, customer, true);
        return link;
      },
    ],
    [
      'a spent link whose customer record is gone',
      'customer-missing',
      async () => {
        const link = await portal.mailIn(customer, 'Customer gone');
        await portal.browser().post(link.path);
        await useCode(link);
        await peers.docClient().send(new DeleteCommand({ TableName: peers.table, Key: keys.customer(customer) }));
        return link;
      },
    ],
    [
      'a ticket closed more than AccessDaysAfterClose days ago',
      'beyond-window',
      async () => {
        const link = await portal.mailIn(customer, 'Closed');
        await state(link.ticketNumber, 'closed');
        portal.clock.advance(15 * DAY);
        return link;
      },
    ],
    [
      'a merged ticket',
      'ticket-merged',
      async () => {
        const target = await portal.mailIn(customer, 'Target');
        const link = await portal.mailIn(customer, 'Merged');
        await state(link.ticketNumber, 'merged', target.ticketNumber);
        return link;
      },
    ],
    [
      'a removed ticket',
      'ticket-removed',
      async () => {
        const link = await portal.mailIn(customer, 'Removed');
        await state(link.ticketNumber, 'removed');
        return link;
      },
    ],
  ])('answers LinkExpired for %s (%s), spending nothing and mailing nothing', async (_label, reason, prepare) => {
    const link = await prepare();
    const before = (await peers.outbox(customer)).length;
    const expired = portal.metrics.get('LinkExpired');

    const res = await portal.browser().post(link.path);

    expect(res.status).toBe(410);
    expect(res.text).toContain('Your link does not point to a ticket that is still valid.');
    expect(res.setCookies).toEqual([]);
    expect((await peers.outbox(customer)).length).toBe(before);
    expect(portal.logger.lines.filter((l) => l.message === 'Link refused').at(-1)?.extra).toMatchObject({ outcome: 'CustomerErrorMessageLinkExpired', reason });
    expect(portal.metrics.get('LinkExpired') - expired).toBe(1);
  });

  it('counts exactly one outcome metric per POST, whatever path led to the outcome', async () => {
    const outcomes = ['LinkRedeemed', 'LinkWrongLink', 'LinkNewLink', 'LinkRefreshFailed', 'LinkExpired'] as const;
    const snapshot = () => Object.fromEntries(outcomes.map((m) => [m, portal.metrics.get(m)]));
    const link = await portal.mailIn(customer, 'Count me');
    const before = snapshot();

    const statuses = [(await portal.browser().post(link.path)).status];
    await useCode(link);
    for (let i = 0; i < 3; i++) statuses.push((await portal.browser().post(link.path)).status); // NewLink (mailed), then WrongLink within the interval
    statuses.push((await portal.browser().post(`/link/20990101999999/${'A'.repeat(43)}`)).status);

    const after = snapshot();
    const delta = Object.fromEntries(outcomes.map((m) => [m, (after[m] ?? 0) - (before[m] ?? 0)]));
    expect(statuses).toEqual([303, 200, 409, 409, 410]);
    expect(delta).toEqual({ LinkRedeemed: 1, LinkNewLink: 1, LinkWrongLink: 2, LinkRefreshFailed: 0, LinkExpired: 1 });
  });

  it('answers in the customer’s language: German for a customer who wrote in German', async () => {
    const { mime } = await import('../support/mail.js');
    portal.inbound.clock.set(portal.clock.now().toISOString());
    await portal.inbound.deliver(`de-${n}`, await mime({ from: customer, subject: 'Hallo', text: 'x', headers: { 'Content-Language': 'de' } }));
    const link = await latestLink(peers, customer);
    await portal.browser().post(link.path);
    await useCode(link);

    const res = await portal.browser().post(link.path, {}, { 'accept-language': 'en' });

    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toContain(NEW_LINK.de);
  });
});

describe('what bad input gets: a clear 4xx page, never a 500, never a token spent', () => {
  let link: { path: string; ticketNumber: string; token: string };
  beforeEach(async () => {
    link = await portal.mailIn(customer, 'Hostile');
  });
  const unspent = async () => expect((await ticketOf(link.ticketNumber))?.activeToken?.hash).toBe(hashToken(link.token));

  it('refuses a POST from another origin (forged cross-site form)', async () => {
    const res = await portal.browser().post(link.path, {}, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Form refused');
    await unspent();
  });

  it('refuses a POST marked cross-site by Sec-Fetch-Site without an Origin', async () => {
    const res = await portal.browser().request('POST', link.path, '', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(403);
    await unspent();
  });

  it.each([
    ['a wrong content type', { 'content-type': 'application/json' }, '{}', 415, 'Form not understood'],
    ['an oversized body', { 'content-type': 'application/x-www-form-urlencoded' }, `x=${'a'.repeat(300_000)}`, 413, 'Too much text'],
    ['a form that is not UTF-8', { 'content-type': 'application/x-www-form-urlencoded' }, 'x=%FF%FE', 400, 'Something is wrong with this request'],
  ])('answers %s', async (_label, headers, body, status, title) => {
    const res = await portal.browser().request('POST', link.path, body, { origin: portal.base, ...headers });
    expect(res.status).toBe(status);
    expect(res.text).toContain(title);
    await unspent();
  });

  it.each(['PUT', 'DELETE'])('answers %s with 405 and the methods allowed', async (method) => {
    const res = await portal.browser().request(method, link.path, undefined, { origin: portal.base });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(res.text).toContain('Not possible here');
    await unspent();
  });

  it('answers a path of 10 000 characters with LinkExpired', async () => {
    const res = await portal.browser().post(`/link/${link.ticketNumber}/${'x'.repeat(10_000)}`);
    expect(res.status).toBe(410);
    await unspent();
  });

  it('answers a path no route has with 404 before any function runs', async () => {
    const res = await portal.browser().get('/wp-admin');
    expect(res.status).toBe(404);
  });

  it('never logs a raw path, token or session id', async () => {
    const browser = portal.browser();
    await browser.get(link.path);
    await browser.post(link.path);
    await browser.get(`/tickets/${link.ticketNumber}`);
    const logs = portal.logger.text();
    expect(logs).not.toContain(link.token);
    expect(logs).not.toContain(browser.cookies.get('ota_session') ?? 'no cookie?');
    expect(logs).not.toContain(`/link/${link.ticketNumber}/`);
  });
});

export { Browser };
