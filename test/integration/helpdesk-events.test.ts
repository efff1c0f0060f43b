/**
 * Tickets live and close (docs/events.md): helpdesk events in through the local bus to the
 * helpdesk-events function, their effect on links and sessions through the HTTP function, and the
 * events the system publishes — against dynalite, the SES emulator and the local event bus.
 */
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { buildEventsDeps } from '../../functions/helpdesk-events/deps.js';
import { makeHandler } from '../../functions/helpdesk-events/handler.js';
import { MalformedEventError, NotFoundError, RefusedError } from '../../shared/errors.js';
import { publishedDetailProblems } from '../../shared/events/published.js';
import { hashToken } from '../../shared/domain/tokens.js';
import { setCustomerStatus } from '../../shared/use-cases/set-customer-status.js';
import type { RecordingMetrics } from '../support/fakes.js';
import { mime } from '../support/mail.js';
import { Browser, latestLink, sharedDeps, subscribeEventsFunction } from '../support/portal.js';
import { useLocalSystem } from '../support/system.js';

const { peers, portal } = useLocalSystem({ portal: {} });
let events: ReturnType<typeof makeHandler>;
let metrics: RecordingMetrics;
let bus: EventBridgeClient;

beforeAll(() => {
  ({ handler: events, metrics } = subscribeEventsFunction(peers, portal));
  bus = peers.eventsClient();
});

let n = 0;
let customer: string;
beforeEach(() => {
  customer = `h${++n}@helpdesk.example`;
});
const DAY = 86_400_000;
/** The TTL attribute of a token's item, as DynamoDB's expiry sees it. */
const ttlOf = async (ticketNumber: string, token: string) => (await peers.docClient().send(new GetCommand({ TableName: peers.table, Key: { pk: `TICKET#${ticketNumber}`, sk: `TOKEN#${hashToken(token)}` } }))).Item?.ttl as number | undefined;

/** What a helpdesk does: PutEvents on the project's bus; resolves once the rule's target ran. */
async function fromHelpdesk(detailType: string, detail: Record<string, unknown>) {
  const out = await bus.send(new PutEventsCommand({ Entries: [{ Source: 'helpdesk', DetailType: detailType, Detail: JSON.stringify(detail), EventBusName: 'ota-test' }] }));
  await peers.bus.idle();
  return out.Entries?.[0]?.EventId;
}
const envelope = (detailType: string, detail: unknown, id = randomUUID()) => ({ version: '0', id, source: 'helpdesk', 'detail-type': detailType, time: new Date().toISOString(), detail });
const published = (type: string, ticketNumber: string) => peers.published().filter((e) => e.detailType === type && (e.detail as { ticketNumber?: string }).ticketNumber === ticketNumber);

describe('TicketStateChanged', () => {
  it('closes a ticket through the bus: closedAt recorded, the sweep’s index finds it, the link still works within the window', async () => {
    const link = await portal.mailIn(customer, 'Close me');

    await fromHelpdesk('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'closed' });

    const ticket = await portal.deps.tickets.get(link.ticketNumber);
    expect(ticket).toMatchObject({ state: 'closed', closedAt: portal.clock.now().toISOString() });
    expect(ticket?.activeToken?.expiresAt).toBe(new Date(portal.clock.now().getTime() + 14 * DAY).toISOString());
    expect((await portal.deps.tickets.dueForSweep(new Date(portal.clock.now().getTime() + 14 * DAY).toISOString())).items.map((d) => d.number)).toContain(link.ticketNumber);
    expect((await portal.browser().post(link.path)).status).toBe(303);
  });

  it('reopens a ticket: closedAt cleared, out of the sweep’s index, the pointer’s full age restored', async () => {
    const link = await portal.mailIn(customer, 'Reopen me');
    await fromHelpdesk('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'closed' });

    await fromHelpdesk('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'open' });

    const ticket = await portal.deps.tickets.get(link.ticketNumber);
    expect(ticket?.state).toBe('open');
    expect(ticket?.closedAt).toBeUndefined();
    expect(ticket?.activeToken?.expiresAt).toBe(new Date(portal.clock.now().getTime() + 30 * DAY).toISOString());
    expect((await portal.deps.tickets.dueForSweep(new Date(portal.clock.now().getTime() + 100 * DAY).toISOString())).items.map((d) => d.number)).not.toContain(link.ticketNumber);
  });

  it('gives a link minted while the ticket is closed the close window, pointer and TTL alike', async () => {
    const link = await portal.mailIn(customer, 'Closed, then answered');
    await fromHelpdesk('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'closed' });
    const closedAt = portal.clock.now().getTime();
    portal.clock.advance(DAY);

    await fromHelpdesk('AgentReplied', { ticketNumber: link.ticketNumber, text: 'One more thing.' });

    const fresh = await latestLink(peers, customer);
    const window = new Date(closedAt + 14 * DAY).toISOString();
    expect((await portal.deps.tickets.get(link.ticketNumber))?.activeToken).toMatchObject({ hash: hashToken(fresh.token), expiresAt: window });
    expect(await ttlOf(link.ticketNumber, fresh.token)).toBe(Date.parse(window) / 1000);
  });

  it('restores the active token’s TTL when a portal reply reopens the ticket', async () => {
    // Prepare: signed in, a fresh link mailed by ops, then the ticket closed (its TTL moves to the window).
    const link = await portal.mailIn(customer, 'Reopen by reply');
    const browser = portal.browser();
    await browser.post(link.path);
    await fromHelpdesk('LinkRequested', { ticketNumber: link.ticketNumber });
    const active = await latestLink(peers, customer);
    const minted = portal.clock.now().getTime();
    await fromHelpdesk('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'closed' });
    const closedTtl = await ttlOf(link.ticketNumber, active.token);
    portal.clock.advance(10 * 60_000); // within the session's idle time

    const page = await browser.get(`/tickets/${link.ticketNumber}`);
    const reply = await browser.post(`/tickets/${link.ticketNumber}/reply`, { csrf: Browser.csrf(page.text), text: 'Still broken' });

    expect(reply.status).toBe(303);
    expect(closedTtl).toBe((minted + 14 * DAY) / 1000);
    expect((await portal.deps.tickets.get(link.ticketNumber))?.state).toBe('open');
    expect(await ttlOf(link.ticketNumber, active.token)).toBe((minted + 30 * DAY) / 1000);
  });

  it('merges a ticket: its link answers LinkExpired and its page offers nothing of it', async () => {
    const target = await portal.mailIn(customer, 'The one that lives on');
    const source = await portal.mailIn(customer, 'Merged away');
    const browser = portal.browser();
    await browser.post(target.path);

    await fromHelpdesk('TicketStateChanged', { ticketNumber: source.ticketNumber, state: 'merged', mergedInto: target.ticketNumber });

    expect(await portal.deps.tickets.get(source.ticketNumber)).toMatchObject({ state: 'merged', mergedInto: target.ticketNumber });
    const redeem = await portal.browser().post(source.path);
    expect(redeem.status).toBe(410);
    const page = await browser.get(`/tickets/${source.ticketNumber}`);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('Merged away');
  });

  it('removes a ticket: its link answers LinkExpired at once', async () => {
    const link = await portal.mailIn(customer, 'Remove me');
    await fromHelpdesk('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'removed' });
    expect((await portal.browser().post(link.path)).status).toBe(410);
  });

  it('applies the same event id once, however often it is delivered', async () => {
    const link = await portal.mailIn(customer, 'Twice');
    const event = envelope('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'closed' });

    const first = await events.handleEvent(event);
    portal.clock.advance(60_000);
    const again = await events.handleEvent(event);

    expect(first).toMatchObject({ status: 'applied' });
    expect(again).toEqual({ status: 'duplicate' });
    expect((await portal.deps.tickets.get(link.ticketNumber))?.closedAt).toBe(new Date(portal.clock.now().getTime() - 60_000).toISOString());
  });
});

describe('AgentReplied', () => {
  it('adds the reply as an outbound article and mails it with a fresh link, threaded into the conversation', async () => {
    const first = await portal.mailIn(customer, 'Printer on fire', 'Help!');
    const inbound = (await portal.deps.tickets.get(first.ticketNumber))!;
    portal.clock.advance(60_000);

    await fromHelpdesk('AgentReplied', { ticketNumber: first.ticketNumber, text: 'We replaced the printer.\nPlease check.', from: 'Anna from Support' });

    const view = await portal.deps.tickets.view(first.ticketNumber);
    expect(view?.articles.at(-1)).toMatchObject({ direction: 'outbound', channel: 'helpdesk', fromName: 'Anna from Support', text: 'We replaced the printer.\nPlease check.' });
    const reply = await latestLink(peers, customer);
    expect(reply.count).toBe(2);
    expect(reply.mail.subject).toBe(`[Ticket#${first.ticketNumber}] Printer on fire`);
    expect(reply.mail.body.text).toContain('We replaced the printer.\nPlease check.');
    expect(reply.mail.body.text).toContain('Anna from Support');
    expect(reply.mail.headers).toEqual(expect.arrayContaining([{ name: 'In-Reply-To', value: `<${inbound.lastMessageId}>` }]));
    expect(reply.mail.headers?.map((h) => h.name)).not.toContain('Auto-Submitted');
    // The fresh link is the active one, and it opens the ticket.
    expect((await portal.deps.tickets.get(first.ticketNumber))?.activeToken?.hash).toBe(hashToken(reply.token));
    expect((await portal.browser().post(reply.path)).status).toBe(303);
  });

  it('mails once when the same reply is delivered twice', async () => {
    const link = await portal.mailIn(customer, 'Redelivered reply');
    const event = envelope('AgentReplied', { ticketNumber: link.ticketNumber, text: 'Once only.' });

    await events.handleEvent(event);
    await events.handleEvent(event);

    expect((await latestLink(peers, customer)).count).toBe(2);
    expect((await portal.deps.tickets.view(link.ticketNumber))?.articles.filter((a) => a.direction === 'outbound')).toHaveLength(1);
  });

  it('writes one article and mails once when the reply is redelivered after a send that failed', async () => {
    // Prepare: the first delivery meets an SES that is down (fault injected); the retry comes later.
    const link = await portal.mailIn(customer, 'Reply after a fault');
    const down = new SESv2Client({ region: 'us-east-1' });
    mockClient(down).on(SendEmailCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' }));
    const failing = makeHandler(buildEventsDeps(peers.env, sharedDeps(peers, portal, { metrics, ses: down })));
    const event = envelope('AgentReplied', { ticketNumber: link.ticketNumber, text: 'Sorry for the wait.' });

    const first = await failing.handleEvent(event).catch((e: unknown) => e);
    portal.clock.advance(5 * 60_000);
    const retry = await events.handleEvent(event);

    expect(first).toBeInstanceOf(Error);
    expect(retry).toMatchObject({ status: 'applied', result: { mailed: true } });
    expect((await portal.deps.tickets.view(link.ticketNumber))?.articles.filter((a) => a.direction === 'outbound').map((a) => a.text)).toEqual(['Sorry for the wait.']);
    expect((await latestLink(peers, customer)).count).toBe(2);
  });

  it('applies a reply the helpdesk sent twice under its own eventId once, though EventBridge gave each a new id', async () => {
    const link = await portal.mailIn(customer, 'Sent twice');
    const detail = { eventId: `desk-${n}-reply-1`, ticketNumber: link.ticketNumber, text: 'Just once, please.' };

    await fromHelpdesk('AgentReplied', detail);
    await fromHelpdesk('AgentReplied', detail);

    expect((await latestLink(peers, customer)).count).toBe(2);
    expect((await portal.deps.tickets.view(link.ticketNumber))?.articles.filter((a) => a.direction === 'outbound')).toHaveLength(1);
    expect(metrics.get('EventDuplicate')).toBeGreaterThanOrEqual(1);
  });

  it('keeps the reply but mails nothing to a disabled customer, and says why', async () => {
    const link = await portal.mailIn(customer, 'Disabled reply');
    await events.handleEvent(envelope('CustomerStatusChanged', { login: customer, disabled: true }));

    const outcome = await events.handleEvent(envelope('AgentReplied', { ticketNumber: link.ticketNumber, text: 'Hello?' }));

    expect(outcome).toMatchObject({ status: 'applied', result: { mailed: false, reason: 'customer-disabled' } });
    expect((await latestLink(peers, customer)).count).toBe(1);
  });
});

describe('malformed and impossible events: nothing half-applied, counted, thrown to the failure destination', () => {
  it.each([
    ['a missing ticket number', envelope('TicketStateChanged', { state: 'closed' }), /detail\.ticketNumber/],
    ['an unknown state', envelope('TicketStateChanged', { ticketNumber: '20261125000001', state: 'burning' }), /detail\.state/],
    ['a merge without its target', envelope('TicketStateChanged', { ticketNumber: '20261125000001', state: 'merged' }), /mergedInto is required/],
    ['an empty reply', envelope('AgentReplied', { ticketNumber: '20261125000001', text: '' }), /detail\.text/],
    ['an unknown field', envelope('AgentReplied', { ticketNumber: '20261125000001', text: 'x', bcc: 'attacker@evil.example' }), /detail.*bcc/],
    ['an unknown detail-type', envelope('TicketDeleted', { ticketNumber: '20261125000001' }), /detail-type: unknown TicketDeleted/],
    ['another source', { ...envelope('TicketStateChanged', { ticketNumber: '20261125000001', state: 'closed' }), source: 'someone.else' }, /source: expected helpdesk/],
    ['no envelope at all', { hello: 'world' }, /id/],
    ['an eventId that is not an id', envelope('AgentReplied', { eventId: 'a b/c', ticketNumber: '20261125000001', text: 'x' }), /detail\.eventId/],
    ['a detail-type named like an object property', envelope('constructor', {}), /detail-type: unknown constructor/],
    ['a self-service request from the helpdesk', envelope('SelfServiceLinkRequested', { ticketNumber: '20261125000001' }), /detail-type: unknown SelfServiceLinkRequested/],
    ['a helpdesk event under our own source', { ...envelope('TicketStateChanged', { ticketNumber: '20261125000001', state: 'closed' }), source: 'one-time-auth-links' }, /detail-type: unknown TicketStateChanged/],
  ])('refuses %s, naming the problem', async (_label, event, reason) => {
    const before = metrics.get('EventMalformed');
    const failure = await events.handleEvent(event).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MalformedEventError);
    expect(String((failure as Error).message)).toMatch(reason);
    expect(metrics.get('EventMalformed')).toBe(before + 1);
  });

  it('refuses an event for a ticket that does not exist', async () => {
    await expect(events.handleEvent(envelope('TicketStateChanged', { ticketNumber: '20991231000001', state: 'closed' }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(events.handleEvent(envelope('AgentReplied', { ticketNumber: '20991231000001', text: 'x' }))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('CustomerStatusChanged and LinkRequested', () => {
  it('disabling a customer ends their links and sessions at once; enabling lets a new link work', async () => {
    const link = await portal.mailIn(customer, 'Session');
    const second = await portal.mailIn(customer, 'Another ticket');
    const browser = portal.browser();
    await browser.post(link.path);
    expect((await browser.get('/tickets')).status).toBe(200);

    await fromHelpdesk('CustomerStatusChanged', { login: customer, disabled: true });

    expect((await browser.get('/tickets')).status).toBe(403);
    expect((await portal.browser().post(second.path)).status).toBe(410);
    // Mail from a disabled customer is kept, unanswered.
    portal.inbound.clock.set(portal.clock.now().toISOString());
    expect(await portal.inbound.deliver(`disabled-${n}`, await mime({ from: customer, subject: 'Let me in', text: 'x' }))).toBe('recorded');
    await expect(events.handleEvent(envelope('LinkRequested', { ticketNumber: second.ticketNumber }))).rejects.toThrow(RefusedError);

    await fromHelpdesk('CustomerStatusChanged', { login: customer, disabled: false });
    await events.handleEvent(envelope('LinkRequested', { ticketNumber: second.ticketNumber }));
    const fresh = await latestLink(peers, customer);
    expect(fresh.mail.subject).toBe(`[Ticket#${second.ticketNumber}] Your new access link`);
    expect((await portal.browser().post(fresh.path)).status).toBe(303);
  });

  it('a session the disable missed (its index lags in AWS) still opens none of the customer’s tickets', async () => {
    // Prepare: disabling through a sessions index that has not seen this session yet.
    const link = await portal.mailIn(customer, 'Lagging index');
    const browser = portal.browser();
    await browser.post(link.path);
    const lagging = { ...portal.deps, sessions: { endAllOf: async () => 0 } };

    const outcome = await setCustomerStatus(lagging, customer, true);

    expect(outcome.sessionsEnded).toBe(0);
    expect((await browser.get(`/tickets/${link.ticketNumber}`)).status).toBe(404);
    expect((await browser.get('/tickets')).text).not.toContain(link.ticketNumber);
  });

  it('refuses a link for a ticket closed longer than AccessDaysAfterClose', async () => {
    const link = await portal.mailIn(customer, 'Old ticket');
    await events.handleEvent(envelope('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'closed' }));
    portal.clock.advance(15 * DAY);
    const failure = await events.handleEvent(envelope('LinkRequested', { ticketNumber: link.ticketNumber })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RefusedError);
    expect(String((failure as Error).message)).toContain('closed longer than AccessDaysAfterClose');
  });
});

describe('events out: what the helpdesk hears', () => {
  it('publishes TicketCreated, CustomerReplied and TicketReopened exactly once per change', async () => {
    const link = await portal.mailIn(customer, 'Tell the helpdesk', 'first words');
    await events.handleEvent(envelope('TicketStateChanged', { ticketNumber: link.ticketNumber, state: 'closed' }));
    portal.clock.advance(60_000);
    portal.inbound.clock.set(portal.clock.now().toISOString());
    await portal.inbound.deliver(`follow-${n}`, await mime({ from: customer, subject: `Re: [Ticket#${link.ticketNumber}] Tell the helpdesk`, text: 'more words' }));
    await peers.bus.idle();

    expect(published('TicketCreated', link.ticketNumber)).toHaveLength(1);
    expect(published('CustomerReplied', link.ticketNumber)).toHaveLength(1);
    expect(published('TicketReopened', link.ticketNumber)).toHaveLength(1);
    expect(published('TicketCreated', link.ticketNumber)[0]).toMatchObject({ source: 'one-time-auth-links', detail: { eventId: expect.any(String), customer: { login: customer } } });
    // Each detail as a subscriber receives it has its published shape (shared/events/published.ts, schemas/).
    const shapes = ['TicketCreated', 'CustomerReplied', 'TicketReopened'].flatMap((type) => published(type, link.ticketNumber).map((e) => [type, publishedDetailProblems(type, e.detail)]));
    expect(shapes).toEqual([['TicketCreated', []], ['CustomerReplied', []], ['TicketReopened', []]]);
  });

  it('keeps an event the bus refused in the outbox, and the relay publishes it once, later', async () => {
    // Prepare: an inbound function whose PutEvents fails (fault injected); the data is written regardless.
    const failing = new EventBridgeClient({ region: 'us-east-1' });
    mockClient(failing).on(PutEventsCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalException', $fault: 'server' }));
    const ticketCount = (number: string) => published('TicketCreated', number).length;
    portal.inbound.clock.set(portal.clock.now().toISOString());
    await portal.inbound.deliver(`outbox-${n}`, await mime({ from: customer, subject: 'Lost event?', text: 'x' }), {}, portal.inbound.with({ events: failing }));
    const link = await latestLink(peers, customer);
    const pending = (await portal.inbound.entities('outbox')).filter((o) => JSON.stringify(o).includes(link.ticketNumber));

    portal.clock.advance(2 * 60_000);
    const early = await events.handleEvent({ task: 'relay-outbox' });
    await peers.bus.idle();
    const again = await events.handleEvent({ task: 'relay-outbox' });

    expect(pending.map((o) => o.type)).toEqual(['TicketCreated']);
    expect(early).toMatchObject({ relayed: expect.any(Number), left: 0 });
    expect(again).toEqual({ relayed: 0, left: 0 });
    expect(ticketCount(link.ticketNumber)).toBe(1);
    expect((await portal.inbound.entities('outbox')).filter((o) => JSON.stringify(o).includes(link.ticketNumber))).toEqual([]);
  });
});
