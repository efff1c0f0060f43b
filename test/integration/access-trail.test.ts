/**
 * The access trail and session scope (docs/links-and-portal.md) over HTTP: every access decision recorded once
 * on its ticket, shown to its own customer only, never holding a token, session id or full address;
 * and sessions that open all of a customer's tickets or only the one whose link started them —
 * against dynalite, the SES emulator and the local bus, with a fake clock.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { TrailEntry } from '../../shared/domain/model.js';
import { Browser } from '../support/portal.js';
import { useLocalSystem } from '../support/system.js';

const MINUTE = 60_000;
const {
  portals: { byCustomer, byTicket },
} = useLocalSystem({ portals: { byCustomer: {}, byTicket: { config: { SessionScope: 'ticket' } } } });

let n = 0;
let customer: string;
beforeEach(() => {
  customer = `a${++n}@trail.example`;
});

const eventsOf = (trail: TrailEntry[]) => trail.map((e) => e.event).sort();

describe('the access trail', () => {
  it('records each step of a link’s life exactly once: minted, mailed, opened, used, signed out', async () => {
    const portal = byCustomer;
    const link = await portal.mailIn(customer, 'Trail me');
    const browser = portal.browser();

    portal.clock.advance(MINUTE);
    await browser.get(link.path);
    await browser.post(link.path);
    const page = await browser.get(`/tickets/${link.ticketNumber}`);
    await browser.post('/logout', { csrf: Browser.csrf(page.text) });

    const trail = await portal.deps.trail.list(link.ticketNumber);
    expect(eventsOf(trail)).toEqual(['link-mailed', 'link-minted', 'link-opened', 'link-used', 'signed-out']);
    expect(trail.find((e) => e.event === 'link-minted')?.detail).toBe('auto-reply');
    // The coarse client hint: browser family and the network, never the address itself.
    expect(trail.find((e) => e.event === 'link-used')?.client).toMatch(/^(other client|[A-Za-z ]+), 127\.0\.0\.0\/24$/);
  });

  it('records one "used" and counts the refusals of the rest when 30 people click one link at once', async () => {
    const portal = byCustomer;
    const link = await portal.mailIn(customer, 'Crowd');

    const results = await Promise.all(Array.from({ length: 30 }, () => portal.browser().post(link.path)));

    const trail = await portal.deps.trail.list(link.ticketNumber);
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(trail.filter((e) => e.event === 'link-used')).toHaveLength(1);
    // The losers found it spent with the code of its mail unused: each was asked for the code, none
    // mailed; concurrent refusals of one link for one reason add up in one counted entry.
    expect(trail.filter((e) => e.event === 'link-refused').map((e) => [e.detail, e.count])).toEqual([['code-offered', 29]]);
    expect(trail.filter((e) => e.event === 'refresh-mailed')).toHaveLength(0);
  });

  it('never holds a token, a session id or a full client address', async () => {
    const portal = byCustomer;
    const link = await portal.mailIn(customer, 'Secrets?');
    const browser = portal.browser();
    await browser.get(link.path, { 'user-agent': 'Mozilla/5.0 Chrome/131.0', 'x-forwarded-for': '203.0.113.77' });
    await browser.post(link.path);
    await portal.browser().post(link.path);
    const sessionId = browser.cookies.get('ota_session') ?? '';

    // Entries one by one, and counted ones (opens, refusals).
    const stored = JSON.stringify((await portal.inbound.items()).filter((i) => i.entity === 'audit' || i.entity === 'opens'));

    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored).toContain(link.ticketNumber);
    expect(stored).not.toContain(link.token);
    expect(stored).not.toContain(sessionId);
    expect(stored).not.toMatch(/127\.0\.0\.1|203\.0\.113\.77/);
  });

  it('shows the customer the recent trail of their own ticket only', async () => {
    // Prepare: another customer's ticket with a refused click on it.
    const portal = byCustomer;
    const other = await portal.mailIn(`other-${customer}`, 'Not yours');
    await portal.browser().post(other.path);
    portal.clock.advance(MINUTE);
    await portal.browser().post(other.path); // refused → "someone opened a used link"
    const mine = await portal.mailIn(customer, 'Mine');
    const browser = portal.browser();
    await browser.post(mine.path);

    const page = await browser.get(`/tickets/${mine.ticketNumber}`);
    const otherPage = await browser.get(`/tickets/${other.ticketNumber}`);

    expect(page.status).toBe(200);
    expect(page.text).toContain('Recent access to this ticket');
    expect(page.text).toContain('You signed in'); // this browser, this network: the reader's own click
    expect(page.text).toContain('New link created for our confirmation email');
    expect(page.text).not.toContain('Someone opened a used link');
    expect(otherPage.status).toBe(404);
    expect(otherPage.text).not.toContain('Someone opened a used link');
  });
});

describe('SessionScope', () => {
  /** Two tickets of the customer, a minute apart; a browser signed in by the second one's link. */
  async function twoTicketsSignedInByTheSecond(portal: typeof byCustomer) {
    const first = await portal.mailIn(customer, 'First');
    portal.clock.advance(MINUTE);
    const second = await portal.mailIn(customer, 'Second');
    const browser = portal.browser();
    await browser.post(second.path);
    return { first, second, browser };
  }

  it('"customer": the session opens every ticket of the customer, and lists them all', async () => {
    const { first, second, browser } = await twoTicketsSignedInByTheSecond(byCustomer);

    const other = await browser.get(`/tickets/${first.ticketNumber}`);
    const list = await browser.get('/tickets');

    expect(other.status).toBe(200);
    expect(list.text).toContain(first.ticketNumber);
    expect(list.text).toContain(second.ticketNumber);
  });

  it('"ticket": the session opens only the ticket whose link started it; the customer’s other ticket answers 404 like a missing one', async () => {
    const { first, second, browser } = await twoTicketsSignedInByTheSecond(byTicket);

    const own = await browser.get(`/tickets/${second.ticketNumber}`);
    const sibling = await browser.get(`/tickets/${first.ticketNumber}`);
    const missing = await browser.get('/tickets/20990101999999');
    const list = await browser.get('/tickets');
    const home = await browser.get('/');
    const replyToSibling = await browser.post(`/tickets/${first.ticketNumber}/reply`, { csrf: Browser.csrf(own.text), text: 'Let me in' });

    expect(own.status).toBe(200);
    expect([sibling.status, sibling.text]).toEqual([missing.status, missing.text]);
    expect(sibling.status).toBe(404);
    expect(list.text).toContain(second.ticketNumber);
    expect(list.text).not.toContain(first.ticketNumber);
    expect([home.status, home.headers.get('location')]).toEqual([303, `/tickets/${second.ticketNumber}`]);
    expect(replyToSibling.status).toBe(404);
    expect((await byTicket.deps.tickets.view(first.ticketNumber))?.articles).toHaveLength(1);
  });
});
