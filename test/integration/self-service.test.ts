/**
 * Self-service "send me a new link" (docs/links-and-portal.md): the portal's /access form, the hand-off over the
 * local event bus to the helpdesk-events function, and the mail — against dynalite, the SES
 * emulator and the local bus. The answer must never tell whether the pair matched.
 */
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { sha256 } from '../../shared/domain/tokens.js';
import type { RecordingMetrics } from '../support/fakes.js';
import { latestLink, subscribeEventsFunction } from '../support/portal.js';
import { useLocalSystem } from '../support/system.js';

const LIMITS = { PerAddressPerHour: 5, PerClientIpPerHour: 12 };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const { peers, portal } = useLocalSystem({ portal: { config: { SelfServiceLimits: LIMITS } } });
let workerMetrics: RecordingMetrics;

beforeAll(() => {
  // The function the portal hands self-service requests to, on the rules the deployed bus has.
  workerMetrics = subscribeEventsFunction(peers, portal).metrics;
});

let n = 0;
let customer: string;
beforeEach(() => {
  customer = `s${++n}@selfservice.example`;
  // A new hour: each test starts with empty per-address and per-IP buckets.
  portal.clock.advance(2 * HOUR);
});

const requests = () => peers.published().filter((e) => e.detailType === 'SelfServiceLinkRequested');

/** The form as a person fills it in; resolves once the bus delivered what the portal handed off. */
async function ask(ticketNumber: string, email: string, headers: Record<string, string> = {}) {
  const res = await portal.browser().post('/access', { ticketNumber, email }, headers);
  await peers.bus.idle();
  return res;
}

describe('the self-service page', () => {
  it('shows a labelled form for a ticket number and an address', async () => {
    const res = await portal.browser().get('/access');

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<form method="post" action="\/access">/);
    expect(res.text).toMatch(/<label for="access-ticket">/);
    expect(res.text).toMatch(/<label for="access-email">/);
  });

  it('mails a fresh link once for a matching pair, and that link opens the ticket', async () => {
    const first = await portal.mailIn(customer, 'Lost my link');
    await portal.browser().post(first.path); // spent
    portal.clock.advance(20 * MINUTE);

    const res = await ask(first.ticketNumber, `  ${customer.toUpperCase()} `);

    expect(res.status).toBe(200);
    const mails = await peers.outbox(customer);
    expect(mails).toHaveLength(2);
    const fresh = await latestLink(peers, customer);
    expect(fresh.token).not.toBe(first.token);
    expect(fresh.mail.subject).toBe(`[Ticket#${first.ticketNumber}] Your new access link`);
    expect((await portal.browser().post(fresh.path)).status).toBe(303);
    const trail = await portal.deps.trail.list(first.ticketNumber);
    expect(trail.filter((e) => e.event === 'self-service-requested').map((e) => e.detail)).toEqual(['link-mailed']);
    expect(trail.filter((e) => e.event === 'link-minted').map((e) => e.detail)).toContain('self-service');
    expect(workerMetrics.get('SelfServiceLinkSent')).toBe(1);
  });

  it('answers every non-matching request with the byte-identical page and mails nothing', async () => {
    // Prepare: a ticket of this customer, one closed beyond its window, and a disabled customer's ticket.
    const mine = await portal.mailIn(customer, 'Mine');
    const closed = await portal.mailIn(`closed-${customer}`, 'Closed long ago');
    await changeTicketState(portal.deps, { ticketNumber: closed.ticketNumber, state: 'closed' });
    const disabledLogin = `disabled-${customer}`;
    const disabled = await portal.mailIn(disabledLogin, 'Disabled');
    await portal.deps.customers.setDisabled(disabledLogin, true);
    portal.clock.advance(15 * 24 * HOUR);
    const matching = await ask(mine.ticketNumber, customer);
    const before = (await peers.outbox()).length;

    // Act
    const answers = [
      await ask(mine.ticketNumber, 'someone.else@selfservice.example'), // not the ticket's customer
      await ask('20990101999999', customer), // unknown ticket
      await ask(closed.ticketNumber, customer), // another customer's ticket
      await ask(closed.ticketNumber, `closed-${customer}`), // closed beyond AccessDaysAfterClose
      await ask(disabled.ticketNumber, disabledLogin), // disabled customer
      await ask('12; DROP TABLE', customer), // not a ticket number
      await ask(mine.ticketNumber, 'not an address'), // not an address
    ];

    // Assert: the same bytes as the matching request's answer; nothing mailed.
    for (const a of answers) expect([a.status, a.text]).toEqual([matching.status, matching.text]);
    expect((await peers.outbox()).length).toBe(before);
    // (all at one instant of the fake clock, so in no particular order)
    const requestedOn = async (t: string) => (await portal.deps.trail.list(t)).filter((e) => e.event === 'self-service-requested').map((e) => e.detail).sort();
    expect(await requestedOn(mine.ticketNumber)).toEqual(['link-mailed', 'no-match']);
    expect(await requestedOn(closed.ticketNumber)).toEqual(['no-match', 'not-accessible']);
    expect(await requestedOn(disabled.ticketNumber)).toEqual(['not-accessible']);
    // Neither the address nor its hash lands on the trail.
    expect(JSON.stringify(await portal.deps.trail.list(mine.ticketNumber))).not.toMatch(/someone\.else|@/);
  });

  it('mails at most one link per ticket per RefreshMinIntervalMinutes, shared with the refresh of a spent link', async () => {
    const first = await portal.mailIn(customer, 'Twice');
    await portal.browser().post(first.path);
    expect((await portal.browser().post('/code', { ticketNumber: first.ticketNumber, code: first.code })).status).toBe(303);
    await portal.browser().post(first.path); // link and code spent → refresh mailed now
    expect(await peers.outbox(customer)).toHaveLength(2);

    await ask(first.ticketNumber, customer);
    portal.clock.advance(portal.config.RefreshMinIntervalMinutes * MINUTE + 1000);
    await ask(first.ticketNumber, customer);

    expect(await peers.outbox(customer)).toHaveLength(3);
    const trail = await portal.deps.trail.list(first.ticketNumber);
    expect(trail.filter((e) => e.event === 'self-service-requested').map((e) => e.detail)).toEqual(['link-mailed', 'rate-limited']);
  });

  it(`forwards at most PerAddressPerHour (${LIMITS.PerAddressPerHour}) requests for one address, then answers the same page and counts`, async () => {
    const first = await portal.mailIn(customer, 'Flood by address');
    const before = requests().length;
    const limitedBefore = portal.metrics.get('SelfServiceRateLimited');

    const answers = [];
    for (let i = 0; i < LIMITS.PerAddressPerHour + 2; i++) answers.push(await ask(first.ticketNumber, customer));

    expect(requests().length - before).toBe(LIMITS.PerAddressPerHour);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(portal.metrics.get('SelfServiceRateLimited') - limitedBefore).toBe(2);
  });

  it(`forwards at most PerClientIpPerHour (${LIMITS.PerClientIpPerHour}) requests from one client, whatever X-Forwarded-For claims`, async () => {
    const before = requests().length;

    for (let i = 0; i < LIMITS.PerClientIpPerHour + 3; i++) {
      await ask('20990101000001', `ip${i}-${customer}`, { 'x-forwarded-for': `198.51.100.${i}`, 'x-real-ip': `198.51.100.${i}` });
    }

    expect(requests().length - before).toBe(LIMITS.PerClientIpPerHour);
  });

  it('refuses a form posted from another site: 403, nothing handed off', async () => {
    const first = await portal.mailIn(customer, 'Forged');
    const before = requests().length;

    const res = await ask(first.ticketNumber, customer, { origin: 'https://evil.example' });

    expect(res.status).toBe(403);
    expect(requests().length).toBe(before);
    expect(await peers.outbox(customer)).toHaveLength(1);
  });

  it('does the same requests before answering, whether the pair matches or not (the mail is sent after the answer)', async () => {
    const first = await portal.mailIn(customer, 'Same work');
    const portalRequests = async (email: string) => {
      portal.requests.reset();
      const published = requests().length;
      await portal.browser().post('/access', { ticketNumber: first.ticketNumber, email });
      // Measured at the moment of the answer: two rate-limit takes and the hand-off, nothing looked up.
      const at = { dynamo: portal.requests.commands, published: requests().length - published };
      await peers.bus.idle();
      return at;
    };

    const matching = await portalRequests(customer);
    const other = await portalRequests(`other-${customer}`);

    expect(matching).toEqual({ dynamo: ['UpdateItemCommand', 'UpdateItemCommand'], published: 1 });
    expect(other).toEqual(matching);
    expect(await peers.outbox(customer)).toHaveLength(2);
  });

  it('hands off neither the address nor the client address: a hash and a coarse hint only', async () => {
    const first = await portal.mailIn(customer, 'What is published');

    await ask(first.ticketNumber, customer);

    const detail = requests().at(-1)?.detail as Record<string, unknown>;
    expect(detail).toMatchObject({ ticketNumber: first.ticketNumber, emailSha256: sha256(customer) });
    expect(JSON.stringify(detail)).not.toContain(customer);
    expect(JSON.stringify(detail)).not.toContain('127.0.0.1');
  });
});
