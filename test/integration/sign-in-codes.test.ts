/**
 * Sign-in codes over HTTP (docs/links-and-portal.md, "Sign-in codes"): the HTTP function behind the
 * local API Gateway stand-in, the helpdesk-events function on the local bus, dynalite and the SES
 * emulator, with a fake clock. A code from every kind of mail signs in; a spent link whose code is
 * unused mails nothing and asks for the code; a double-click and a signed-in click go in; guessing
 * is throttled; the sign-in surfaces tell nothing about tickets they were not shown to; no raw code
 * reaches the table or a log.
 */
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { normalizeCode } from '../../shared/domain/codes.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { sweepClosedTickets } from '../../shared/use-cases/sweep-closed-tickets.js';
import { mime } from '../support/mail.js';
import { latestLink, subscribeEventsFunction } from '../support/portal.js';
import { useLocalSystem } from '../support/system.js';

const { peers, portal } = useLocalSystem({ portal: {} });
let bus: EventBridgeClient;
beforeAll(() => {
  subscribeEventsFunction(peers, portal);
  bus = peers.eventsClient();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let n = 0;
let customer: string;
beforeEach(() => {
  customer = `k${++n}@codes.example`;
  // A new hour: every test starts with empty attempt buckets.
  portal.clock.advance(2 * HOUR);
});

const signIn = (ticketNumber: string, code: string, headers: Record<string, string> = {}, browser = portal.browser()) => browser.post('/code', { ticketNumber, code }, headers);
async function fromHelpdesk(detailType: string, detail: Record<string, unknown>) {
  await bus.send(new PutEventsCommand({ Entries: [{ Source: 'helpdesk', DetailType: detailType, Detail: JSON.stringify(detail), EventBusName: 'ota-test' }] }));
  await peers.bus.idle();
}

describe('a code from every kind of mail', () => {
  const kinds: [string, (link: Awaited<ReturnType<typeof portal.mailIn>>) => Promise<void>][] = [
    ['the auto-reply', async () => undefined],
    ['an agent reply', async (link) => fromHelpdesk('AgentReplied', { ticketNumber: link.ticketNumber, text: 'We are on it.' })],
    ['ota link send', async (link) => fromHelpdesk('LinkRequested', { ticketNumber: link.ticketNumber })],
    [
      'a refresh after a spent link',
      async (link) => {
        await portal.browser().post(link.path);
        expect((await signIn(link.ticketNumber, link.code)).status).toBe(303);
        expect((await portal.browser().post(link.path)).status).toBe(200);
      },
    ],
    [
      'the self-service page',
      async (link) => {
        await portal.browser().post('/access', { ticketNumber: link.ticketNumber, email: customer });
        await peers.bus.idle();
      },
    ],
  ];

  it.each(kinds)('%s: the mail shows a code, and the code signs in (303 to the ticket, a session)', async (_kind, send) => {
    // Prepare
    const first = await portal.mailIn(customer, 'Codes');
    await send(first);
    const mail = await latestLink(peers, customer);

    // Act
    const browser = portal.browser();
    const res = await signIn(mail.ticketNumber, mail.code, {}, browser);

    // Assert: labelled in text and HTML; the code opens the ticket.
    expect(mail.mail.body.text).toContain(`Sign-in code: ${mail.code}`);
    expect(mail.mail.body.html).toContain(`<strong>${mail.code}</strong>`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/tickets/${mail.ticketNumber}`);
    expect((await browser.get(`/tickets/${mail.ticketNumber}`)).status).toBe(200);
  });
});

describe('POST /code', () => {
  it('takes the code in lower case with a space, and the ticket number spaced and with Ticket#', async () => {
    const link = await portal.mailIn(customer, 'Typed');
    const spaced = link.ticketNumber.replace(/(\d{4})(\d{4})(\d{4})(\d+)/, '$1 $2 $3 $4');

    const res = await signIn(`Ticket#${spaced}`, link.code.toLowerCase().replace('-', ' '));

    expect(res.status).toBe(303);
  });

  it('opens once: the same code again gets the neutral page, and so do a superseded code and a made-up ticket — byte for byte', async () => {
    // Prepare: a used code; a superseded one (a newer mail came); a wrong one; an unknown ticket.
    const used = await portal.mailIn(customer, 'Used');
    expect((await signIn(used.ticketNumber, used.code)).status).toBe(303);
    const superseded = await portal.mailIn(`x-${customer}`, 'Superseded');
    await fromHelpdesk('AgentReplied', { ticketNumber: superseded.ticketNumber, text: 'Newer mail.' });

    // Act
    const answers = await Promise.all([
      signIn(used.ticketNumber, used.code),
      signIn(superseded.ticketNumber, superseded.code),
      signIn(used.ticketNumber, '2345-6789'),
      signIn('20990101000001', used.code),
    ]);

    // Assert: one page, one status, whatever was wrong.
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403]);
    const bodies = answers.map((a, i) => a.text.replace([used.ticketNumber, superseded.ticketNumber, used.ticketNumber, '20990101000001'][i]!, 'N'));
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('The ticket number or the code is not right');
  });

  it('ends with its ticket swept', async () => {
    const link = await portal.mailIn(customer, 'Swept');
    await changeTicketState(portal.deps, { ticketNumber: link.ticketNumber, state: 'closed' });
    await sweepClosedTickets(portal.deps, { now: new Date(portal.clock.now().getTime() + 15 * DAY) });
    await changeTicketState(portal.deps, { ticketNumber: link.ticketNumber, state: 'open' });

    expect((await signIn(link.ticketNumber, link.code)).status).toBe(403);
  });

  it('signs in a second device while the first is signed in with the link', async () => {
    const link = await portal.mailIn(customer, 'Two devices');
    const pc = portal.browser();
    await pc.get(link.path);
    expect((await pc.post(link.path)).status).toBe(303);

    const phone = portal.browser();
    const res = await signIn(link.ticketNumber, link.code, {}, phone);

    expect(res.status).toBe(303);
    expect((await phone.get(`/tickets/${link.ticketNumber}`)).status).toBe(200);
    expect((await pc.get(`/tickets/${link.ticketNumber}`)).status).toBe(200);
  });

  it('takes 5 codes per ticket an hour: the sixth, right or wrong, gets a page that says when to try again', async () => {
    const link = await portal.mailIn(customer, 'Guessing');
    for (let i = 0; i < 5; i++) expect((await signIn(link.ticketNumber, '2345-6789', { 'x-forwarded-for': `203.0.113.${i}` })).status).toBe(403);

    const right = await signIn(link.ticketNumber, link.code);

    expect(right.status).toBe(429);
    expect(right.text).toContain('Too many sign-in codes were tried. Please try again after');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(right.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT\d\d:00:00\.000Z">/);
    expect((await portal.browser().post(link.path)).status).toBe(303);
  });

  it('refuses a form posted from another site: 403 "Form refused", nothing spent', async () => {
    const link = await portal.mailIn(customer, 'Cross-site');

    const res = await portal.browser().post('/code', { ticketNumber: link.ticketNumber, code: link.code }, { origin: 'https://evil.example' });

    expect(res.status).toBe(403);
    expect(res.text).toContain('Form refused');
    expect((await signIn(link.ticketNumber, link.code)).status).toBe(303);
  });

  it('shows a labelled, accessible form', async () => {
    const res = await portal.browser().get('/code', { 'accept-language': 'de' });

    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toMatch(/<label for="code-code">Anmeldecode<\/label>/);
    expect(res.text).toMatch(/<input id="code-code" name="code" type="text" autocomplete="one-time-code"/);
  });
});

describe('a spent link', () => {
  it('whose code is unused: mails nothing however often it is clicked, says the link was used, and offers the code form', async () => {
    // Prepare: a scanner presses the button.
    const link = await portal.mailIn(customer, 'Scanner');
    await portal.browser().post(link.path, {}, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36' });
    const before = (await peers.outbox(customer)).length;

    // Act
    const clicks = [];
    for (let i = 0; i < 3; i++) clicks.push(await portal.browser().post(link.path));

    // Assert
    expect(clicks.map((c) => c.status)).toEqual([409, 409, 409]);
    expect(clicks[0]!.text).toContain('This link was already used');
    expect(clicks[0]!.text).toMatch(new RegExp(`<input id="code-ticket" name="ticketNumber"[^>]* value="${link.ticketNumber}">`));
    expect((await peers.outbox(customer)).length).toBe(before);
    expect(portal.metrics.get('LinkCodeOffered')).toBeGreaterThanOrEqual(3);
    const trail = await portal.deps.trail.list(link.ticketNumber);
    expect(trail.find((e) => e.event === 'link-used')?.clientKind).toBe('headless-browser');
    expect((await signIn(link.ticketNumber, link.code)).status).toBe(303);
  });

  it('after signing out on purpose: says the link was used, not that a session expired', async () => {
    const link = await portal.mailIn(customer, 'Signed out');
    const browser = portal.browser();
    await browser.post(link.path);
    const page = await browser.get(`/tickets/${link.ticketNumber}`);
    await browser.post('/logout', { csrf: /name="csrf" value="([^"]+)"/.exec(page.text)![1]! });

    const again = await browser.post(link.path);

    expect(again.text).toContain('This link was already used');
    expect(again.text).not.toMatch(/session has expired/i);
  });

  it('clicked again by a browser still signed in: straight to the ticket, nothing mailed, nothing refused', async () => {
    const link = await portal.mailIn(customer, 'Still signed in');
    const browser = portal.browser();
    await browser.post(link.path);
    const before = (await peers.outbox(customer)).length;

    const landing = await browser.get(link.path);
    const button = await browser.post(link.path);

    expect([landing.status, landing.headers.get('location')]).toEqual([303, `/tickets/${link.ticketNumber}`]);
    expect([button.status, button.headers.get('location')]).toEqual([303, `/tickets/${link.ticketNumber}`]);
    expect((await peers.outbox(customer)).length).toBe(before);
    expect((await portal.deps.trail.list(link.ticketNumber)).filter((e) => e.event === 'link-refused')).toEqual([]);
  });

  it('double-clicked: both answers lead into the ticket, nothing mailed, no failed login', async () => {
    const link = await portal.mailIn(customer, 'Double');
    const browser = portal.browser();
    await browser.get(link.path);
    const before = (await peers.outbox(customer)).length;
    const followed = portal.metrics.get('LinkDoubleClickSignedIn');

    // Two POSTs of the button with the landing page's cookies, without the session of the first.
    const cookies = new Map(browser.cookies);
    const [a, b] = await Promise.all([browser.post(link.path), (() => {
      const twin = portal.browser();
      cookies.forEach((v, k) => twin.cookies.set(k, v));
      return twin.post(link.path);
    })()]);

    expect([a.status, b.status]).toEqual([303, 303]);
    expect([a.headers.get('location'), b.headers.get('location')]).toEqual([`/tickets/${link.ticketNumber}`, `/tickets/${link.ticketNumber}`]);
    expect((await peers.outbox(customer)).length).toBe(before);
    expect((await portal.deps.customers.get(customer))?.failedLogins).toBe(0);
    // One won the spend; the other followed it in as the same browser's second click.
    expect(portal.metrics.get('LinkDoubleClickSignedIn') - followed).toBe(1);
  });
});

describe('what the sign-in surfaces tell a stranger', () => {
  it('answers a made-up token the same for an existing and a missing ticket: status, language, page', async () => {
    // Prepare: a ticket whose mail declared German.
    portal.inbound.clock.set(portal.clock.now().toISOString());
    await portal.inbound.deliver(`de-${n}`, await mime({ from: customer, subject: 'Hallo', text: 'x', headers: { 'Content-Language': 'de' } }));
    const link = await latestLink(peers, customer);
    const madeUp = 'A'.repeat(43);

    // Act
    const existing = await portal.browser().post(`/link/${link.ticketNumber}/${madeUp}`, {}, { 'accept-language': 'en' });
    const missing = await portal.browser().post(`/link/20990101000001/${madeUp}`, {}, { 'accept-language': 'en' });

    // Assert
    expect([existing.status, missing.status]).toEqual([410, 410]);
    expect(existing.text).toContain('<html lang="en">');
    expect(existing.text.replace(link.ticketNumber, 'N')).toBe(missing.text.replace('20990101000001', 'N'));
  });

  it('keeps one language through a visit: a German browser and an undeclared ticket get German pages, landing to ticket', async () => {
    const link = await portal.mailIn(customer, 'Sprache');
    const browser = portal.browser();
    const de = { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' };

    const landing = await browser.get(link.path, de);
    await browser.post(link.path, {}, de);
    const ticket = await browser.get(`/tickets/${link.ticketNumber}`, de);

    expect(landing.text).toContain('<html lang="de">');
    expect(ticket.text).toContain('<html lang="de">');
  });
});

describe('/access, as people type', () => {
  it('takes a ticket number with spaces or Ticket#, and a Unicode domain of the customer’s IDNA address', async () => {
    // Prepare: a customer whose domain is stored in IDNA form.
    const idn = `ida${n}@xn--bcher-kva.example`;
    const link = await portal.mailIn(idn, 'Umlaut');
    await portal.browser().post(link.path);
    portal.clock.advance(20 * 60_000);
    const before = (await peers.outbox(idn)).length;

    // Act
    await portal.browser().post('/access', { ticketNumber: `Ticket#${link.ticketNumber}`, email: `ida${n}@bücher.example` });
    await peers.bus.idle();

    // Assert
    expect((await peers.outbox(idn)).length).toBe(before + 1);
  });

  it('lets no malformed request use up an address’s allowance', async () => {
    const link = await portal.mailIn(customer, 'Allowance');
    await portal.browser().post(link.path);
    portal.clock.advance(20 * 60_000);
    const before = (await peers.outbox(customer)).length;

    for (let i = 0; i < 6; i++) await portal.browser().post('/access', { ticketNumber: 'x', email: customer });
    await portal.browser().post('/access', { ticketNumber: `${link.ticketNumber.slice(0, 4)} ${link.ticketNumber.slice(4)}`, email: customer });
    await peers.bus.idle();

    expect((await peers.outbox(customer)).length).toBe(before + 1);
  });

  it('says honestly how often links go out, the same for every request', async () => {
    const res = await portal.browser().post('/access', { ticketNumber: '1', email: customer });

    expect(res.text).toContain('at most one every 10 minutes');
    expect(res.text).not.toContain('on its way');
  });
});

describe('secrets at rest and in logs', () => {
  it('keeps no raw code in the table or the logs, only its keyed hash', async () => {
    const link = await portal.mailIn(customer, 'Secrets');
    await signIn(link.ticketNumber, link.code.toLowerCase());
    const raw = normalizeCode(link.code)!;

    const items = JSON.stringify((await peers.docClient().send(new ScanCommand({ TableName: peers.table }))).Items ?? []);
    const logs = portal.logger.text() + portal.inbound.logger.text();

    for (const form of [raw, link.code, link.code.toLowerCase()]) {
      expect(items).not.toContain(form);
      expect(logs).not.toContain(form);
    }
  });
});
