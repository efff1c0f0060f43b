/**
 * One contract for every repository port, run against the DynamoDB adapters (on dynalite) and the
 * in-memory fakes (test/support/memory.ts): the fakes unit tests rely on cannot drift from the
 * conditions the real table enforces. Each case seeds through the ports themselves.
 */
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { parseConfig } from '../../shared/config.js';
import type { RepositoryPorts } from '../../shared/deps.js';
import { repositories } from '../../shared/adapters/dynamodb/repositories.js';
import { ARTICLE_PREVIEW_CHARS, type Customer, type Delivery, type Ticket, type TokenRecord } from '../../shared/domain/model.js';
import { planTransition } from '../../shared/domain/ticket-lifecycle.js';
import { useLocalSystem } from '../support/system.js';
import { memoryRepositories } from '../support/memory.js';
import { InvalidCursorError } from '../../shared/errors.js';

const config = parseConfig({ PortalUrl: 'https://portal.example.com' });
type Ports = RepositoryPorts;

const { peers } = useLocalSystem();

const implementations: [string, () => Promise<Ports>][] = [
  [
    'DynamoDB adapters on dynalite',
    async () => {
      // Each case gets its own table, so listings see only what the case wrote.
      const table = `contract-${randomUUID().slice(0, 8)}`;
      const { createTable } = await import('../../local/peers.js');
      await createTable(peers.dynamo.url, table);
      return repositories(peers.docClient(), table, config);
    },
  ],
  ['in-memory fakes', async () => memoryRepositories()],
];

const T0 = '2026-11-25T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const customer = (login: string, over: Partial<Customer> = {}): Customer => ({ login, customerId: login, email: login, language: 'en', disabled: false, source: 'mail', failedLogins: 0, createdAt: T0, ...over });
const ticket = (number: string, login: string, over: Partial<Ticket> = {}): Ticket => ({ number, customerLogin: login, title: `t${number}`, state: 'new', createdAt: T0, updatedAt: T0, autoCreatedCustomer: true, ...over });
const delivery = (key: string, over: Partial<Delivery> = {}): Delivery => ({ key, deliveryId: `ses-${key}`, status: 'processing', rawMailKey: `inbound/${key}`, receivedAt: T0, ...over });
const token = (number: string, hash: string, createdAt = T0): TokenRecord => ({ hash, ticketNumber: number, customerLogin: 'a@x.example', purpose: 'auto-reply', createdAt, expiresAt: at(60 * 24 * 30), sentAt: createdAt });
const active = (hash: string) => ({ hash, purpose: 'auto-reply' as const, createdAt: T0, expiresAt: at(60 * 24 * 30) });

/** Seeds a customer, a ticket and one article, the way the inbound path writes them. */
async function seed(p: Ports, t: Ticket, c = customer(t.customerLogin)) {
  await p.inbound.writeRecords(
    {
      delivery: delivery(`seed-${t.number}`, { status: 'recorded', ticketNumber: t.number, customerLogin: c.login }),
      newCustomer: c,
      newTicket: t,
      article: { ticketNumber: t.number, articleId: `${T0}#a`, direction: 'inbound', fromAddress: c.login, fromName: '', subject: 's', text: 'first', textTruncated: false, attachments: [], createdAt: T0 },
      indexMessageId: `m-${t.number}@x.example`,
    },
    7,
  );
}

describe.each(implementations)('ports contract: %s', (_name, make) => {
  describe('customers', () => {
    it('gets one, lists all by login in pages, disables and counts failed logins', async () => {
      const p = await make();
      for (const login of ['carol@x.example', 'alice@x.example', 'bob@x.example']) await seed(p, ticket(`2026112500000${login.length}`, login), customer(login));

      const first = await p.customers.list({ limit: 2 });
      const second = await p.customers.list({ limit: 2, cursor: first.cursor });
      const disabled = await p.customers.setDisabled('bob@x.example', true);
      await p.customers.countFailedLogin('bob@x.example');

      expect(first.items.map((c) => c.login)).toEqual(['alice@x.example', 'bob@x.example']);
      expect(second.items.map((c) => c.login)).toEqual(['carol@x.example']);
      expect(second.cursor).toBeUndefined();
      expect(disabled).toMatchObject({ login: 'bob@x.example', disabled: true });
      expect(await p.customers.get('bob@x.example')).toEqual(customer('bob@x.example', { disabled: true, failedLogins: 1 }));
      expect(await p.customers.setDisabled('nobody@x.example', true)).toBeUndefined();
      expect(await p.customers.get('nobody@x.example')).toBeUndefined();
    });
  });

  describe('tickets', () => {
    it('lists newest first, per customer and by state, in pages', async () => {
      const p = await make();
      await seed(p, ticket('20261125000001', 'a@x.example', { createdAt: at(1) }));
      await seed(p, ticket('20261125000002', 'b@x.example', { createdAt: at(2), state: 'open' }));
      await seed(p, ticket('20261125000003', 'a@x.example', { createdAt: at(3), state: 'open' }));

      expect((await p.tickets.list()).items.map((t) => t.number)).toEqual(['20261125000003', '20261125000002', '20261125000001']);
      expect((await p.tickets.listByCustomer('a@x.example')).items.map((t) => t.number)).toEqual(['20261125000003', '20261125000001']);
      expect((await p.tickets.list({ state: 'open' })).items.map((t) => t.number)).toEqual(['20261125000003', '20261125000002']);
      const page1 = await p.tickets.list({ limit: 1 });
      const page2 = await p.tickets.list({ limit: 5, cursor: page1.cursor });
      expect([...page1.items, ...page2.items].map((t) => t.number)).toHaveLength(3);
      await expect(p.tickets.list({ cursor: 'not-ours' })).rejects.toThrow();
    });

    it('reads a ticket with its articles (oldest first) and trail (newest first), never its tokens', async () => {
      const p = await make();
      const t = ticket('20261125000011', 'a@x.example');
      await seed(p, t);
      await p.tickets.addArticle({ ticketNumber: t.number, articleId: `${at(5)}#b`, direction: 'outbound', fromAddress: 'support@x.example', fromName: 'Support', subject: 're', text: 'second', textTruncated: false, attachments: [], createdAt: at(5) });
      await p.trail.record([
        { ticketNumber: t.number, at: at(1), event: 'link-mailed' },
        { ticketNumber: t.number, at: at(2), event: 'link-opened', client: 'Firefox, 203.0.113.0/24' },
      ]);
      await p.tokens.recordSent(token(t.number, 'h1'));

      const view = await p.tickets.view(t.number);

      expect(view?.ticket).toEqual(t);
      expect(view?.articles.map((a) => a.text)).toEqual(['first', 'second']);
      expect(view?.trail.map((e) => e.event)).toEqual(['link-opened', 'link-mailed']);
      expect(JSON.stringify(view)).not.toContain('"h1"');
      expect(await p.tickets.view('20261125999999')).toBeUndefined();
    });

    it('counts refusals of one link per reason, apart from its opens, a scanner apart from a person, detail kept', async () => {
      // Prepare
      const p = await make();
      const t = ticket('20261125000013', 'a@x.example');
      await seed(p, t);
      const refused = { event: 'link-refused', detail: 'code-offered', ticketNumber: t.number, link: 'L1', interval: at(0) } as const;

      // Act
      await p.trail.count({ ...refused, at: at(1), count: 1, client: 'Chrome, 192.0.2.0/24' });
      await p.trail.count({ ...refused, at: at(2), count: 1, client: 'Chrome, 192.0.2.0/24' });
      await p.trail.count({ ...refused, at: at(3), count: 1, client: 'link scanner, 192.0.2.0/24', clientKind: 'mail-scanner' });
      await p.trail.count({ ...refused, detail: 'rate-limited', at: at(4), count: 1 });
      await p.trail.count({ event: 'link-opened', ticketNumber: t.number, link: 'L1', interval: at(0), at: at(5), count: 1 });
      const page = await p.tickets.page(t.number, { articles: 1, trail: 20 });

      // Assert
      const counted = (page?.counted ?? []).map((e) => [e.event, 'detail' in e ? e.detail : undefined, e.count, e.clientKind]);
      expect(counted.sort((a, b) => String(a).localeCompare(String(b)))).toEqual([
        ['link-opened', undefined, 1, undefined],
        ['link-refused', 'code-offered', 1, 'mail-scanner'],
        ['link-refused', 'code-offered', 2, undefined],
        ['link-refused', 'rate-limited', 1, undefined],
      ]);
      expect(page?.trail).toEqual([]);
    });

    it('reads a ticket page: the newest articles as previews, a way to older ones, the newest trail with opens apart', async () => {
      // Prepare: five articles (one long), three trail entries, counted opens in two intervals
      const p = await make();
      const t = ticket('20261125000012', 'a@x.example');
      await seed(p, t);
      const long = 'x'.repeat(ARTICLE_PREVIEW_CHARS) + 'THE END';
      for (const i of [1, 2, 3, 4]) {
        await p.tickets.addArticle({ ticketNumber: t.number, articleId: `${at(i)}#a${i}`, direction: 'outbound', fromAddress: 's@x.example', fromName: 'S', subject: `r${i}`, text: i === 4 ? long : `reply ${i}`, textTruncated: false, attachments: [], createdAt: at(i) });
      }
      await p.trail.record([1, 2, 3].map((m) => ({ ticketNumber: t.number, at: at(m), event: 'link-mailed' as const, requestId: `r${m}` })));
      await p.trail.count({ event: 'link-opened', ticketNumber: t.number, link: 'L1', interval: at(0), at: at(1), count: 2, client: 'Chrome, 192.0.2.0/24' });
      await p.trail.count({ event: 'link-opened', ticketNumber: t.number, link: 'L1', interval: at(0), at: at(2), count: 1, client: 'Firefox, 198.51.100.0/24' });
      await p.trail.count({ event: 'link-opened', ticketNumber: t.number, link: 'L1', interval: at(60), at: at(61), count: 1 });

      // Act
      const newest = await p.tickets.page(t.number, { articles: 2, trail: 2 });
      const older = await p.tickets.page(t.number, { articles: 2, trail: 2, before: newest?.olderBefore });
      const oldest = await p.tickets.page(t.number, { articles: 2, trail: 2, before: older?.olderBefore });
      const whole = await p.tickets.article(t.number, `${at(4)}#a4`);

      // Assert
      expect(newest?.ticket).toEqual(t);
      expect(newest?.articles.map((a) => a.articleId)).toEqual([`${at(3)}#a3`, `${at(4)}#a4`]);
      expect(newest?.articles[1]).toMatchObject({ text: 'x'.repeat(ARTICLE_PREVIEW_CHARS), textCut: true });
      expect(newest?.olderBefore).toBe(`${at(3)}#a3`);
      expect(older?.articles.map((a) => a.articleId)).toEqual([`${at(1)}#a1`, `${at(2)}#a2`]);
      expect(oldest?.articles.map((a) => a.text)).toEqual(['first']);
      expect(oldest?.olderBefore).toBeUndefined();
      expect(newest?.trail.map((e) => e.at)).toEqual([at(3), at(2)]);
      expect(newest?.counted.map((e) => [e.at, e.count, e.client, e.lastClient])).toEqual([
        [at(61), 1, undefined, undefined],
        [at(1), 3, 'Chrome, 192.0.2.0/24', 'Firefox, 198.51.100.0/24'],
      ]);
      expect(whole?.article.text).toBe(long);
      expect(whole?.ticket.number).toBe(t.number);
      expect((await p.tickets.view(t.number))?.articles.at(-1)?.text).toBe(long);
      expect((await p.trail.list(t.number)).filter((e) => e.event === 'link-opened').map((e) => e.count)).toEqual([1, 3]);
      expect(await p.tickets.page('20261125999999', { articles: 2, trail: 2 })).toBeUndefined();
      expect(await p.tickets.article(t.number, `${at(9)}#nope`)).toBeUndefined();
    });

    it('moves the active token only from the pointer the caller saw (compare-and-set)', async () => {
      const p = await make();
      await seed(p, ticket('20261125000021', 'a@x.example'));

      const first = await p.tickets.update('20261125000021', { activeToken: active('h1'), updatedAt: at(1) }, { activeTokenHash: null });
      const stale = await p.tickets.update('20261125000021', { activeToken: active('h2'), updatedAt: at(2) }, { activeTokenHash: null });
      const next = await p.tickets.update('20261125000021', { activeToken: active('h3'), updatedAt: at(3) }, { activeTokenHash: 'h1' });

      expect(first).toMatchObject({ updated: true, before: { number: '20261125000021' } });
      expect(stale).toEqual({ updated: false });
      expect(next.updated && next.before.activeToken?.hash).toBe('h1');
      expect((await p.tickets.get('20261125000021'))?.activeToken?.hash).toBe('h3');
    });

    it('spends the active token once: the pointer goes, the hash is listed as spent', async () => {
      const p = await make();
      await seed(p, ticket('20261125000031', 'a@x.example', { activeToken: active('h1') }));
      const guard = { activeTokenHash: 'h1', activeTokenValidAt: at(1), notGone: true };

      const spent = await p.tickets.update('20261125000031', { spend: { hash: 'h1', at: at(1) }, updatedAt: at(1) }, guard);
      const again = await p.tickets.update('20261125000031', { spend: { hash: 'h1', at: at(2) }, updatedAt: at(2) }, guard);

      expect(spent.updated && spent.before.activeToken?.hash).toBe('h1');
      expect(again).toEqual({ updated: false });
      expect(await p.tickets.get('20261125000031')).toMatchObject({ spentTokens: ['h1'], lastSpentHash: 'h1', lastSpentAt: at(1) });
      expect((await p.tickets.get('20261125000031'))?.activeToken).toBeUndefined();
    });

    it.each([
      ['another customer', { customerLogin: 'b@x.example' }],
      ['a state changed meanwhile', { state: 'open' as const }],
      ['an expired pointer', { activeTokenHash: 'h1', activeTokenValidAt: at(60 * 24 * 31) }],
      ['a disabled customer', { customerEnabled: true }],
      ['a refresh within the interval', { refreshedNotAfter: at(-1) }],
      ['a closed ticket beyond its window', { openOrClosedAfter: at(60) }],
      ['a merged ticket', { notGone: true }],
      ['another close than the one seen', { closedAt: at(0) }],
    ])('refuses an update on %s, changing nothing', async (_label, guard) => {
      const p = await make();
      const t = ticket('20261125000041', 'a@x.example', { activeToken: active('h1') });
      await seed(p, t);
      await p.tickets.update(t.number, { refreshedAt: at(0), customerDisabled: true, updatedAt: at(0) }, {});
      await p.tickets.update(t.number, { change: { ...planTransition(t, 'merged', new Date(at(1)), config, '20261125000042').change }, updatedAt: at(1) }, { activeTokenHash: 'h1' });
      const before = await p.tickets.get(t.number);

      expect(await p.tickets.update(t.number, { lastMessageId: 'never@x', updatedAt: at(9) }, guard)).toEqual({ updated: false });
      expect(await p.tickets.get(t.number)).toEqual(before);
    });

    it('passes each guard when it holds', async () => {
      const p = await make();
      const t = ticket('20261125000051', 'a@x.example', { activeToken: active('h1') });
      await seed(p, t);
      const guard = { customerLogin: 'a@x.example', state: 'new' as const, activeTokenHash: 'h1', activeTokenValidAt: at(1), notGone: true, openOrClosedAfter: at(-60), customerEnabled: true, refreshedNotAfter: at(0) };
      expect((await p.tickets.update(t.number, { refreshedAt: at(1), updatedAt: at(1) }, guard)).updated).toBe(true);
      expect((await p.tickets.update('20261125999999', { updatedAt: at(1) }, {})).updated).toBe(false);
    });

    it('closes into the sweep index and reopens out of it, moving the pointer expiry both ways', async () => {
      const p = await make();
      const t = ticket('20261125000061', 'a@x.example', { activeToken: active('h1') });
      await seed(p, t);
      const close = planTransition(t, 'closed', new Date(at(10)), config);

      await p.tickets.update(t.number, { change: close.change, updatedAt: at(10) }, { state: 'new', activeTokenHash: 'h1' });
      const closed = await p.tickets.get(t.number);
      const due = await p.tickets.dueForSweep(at(10));
      const notYet = await p.tickets.dueForSweep(at(9));
      const reopen = planTransition(closed!, 'open', new Date(at(20)), config);
      await p.tickets.update(t.number, { change: reopen.change, updatedAt: at(20) }, { state: 'closed', activeTokenHash: 'h1' });

      expect(closed).toMatchObject({ state: 'closed', closedAt: at(10), activeToken: { expiresAt: at(10 + 60 * 24 * 14) } });
      expect(due.items).toEqual([{ number: t.number, closedAt: at(10) }]);
      expect(notYet.items).toEqual([]);
      expect(await p.tickets.get(t.number)).toMatchObject({ state: 'open', activeToken: { expiresAt: at(60 * 24 * 30) } });
      expect((await p.tickets.get(t.number))?.closedAt).toBeUndefined();
      expect((await p.tickets.dueForSweep(at(100))).items).toEqual([]);
    });

    it('pages through the due tickets of every shard, oldest first, and leaves the index on request', async () => {
      const p = await make();
      const numbers = Array.from({ length: 9 }, (_, i) => `2026112500010${i}`);
      for (const [i, n] of numbers.entries()) {
        const t = ticket(n, 'a@x.example');
        await seed(p, t);
        await p.tickets.update(n, { change: planTransition(t, 'closed', new Date(at(i)), config).change, updatedAt: at(i) }, {});
      }

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await p.tickets.dueForSweep(at(100), { limit: 2, cursor });
        seen.push(...page.items.map((d) => d.number));
        cursor = page.cursor;
      } while (cursor);
      await p.tickets.update(numbers[0]!, { leaveSweepIndex: true, updatedAt: at(200) }, { closedAt: at(0) });

      expect([...seen].sort()).toEqual(numbers);
      expect((await p.tickets.dueForSweep(at(100))).items.map((d) => d.number)).not.toContain(numbers[0]);
    });

    it('numbers tickets per UTC day, never twice', async () => {
      const p = await make();
      const day = new Date('2026-11-25T10:00:00Z');
      expect([await p.tickets.nextNumber(day), await p.tickets.nextNumber(day)]).toEqual(['20261125000001', '20261125000002']);
      expect(await p.tickets.nextNumber(new Date('2026-11-26T00:00:01Z'))).toBe('20261126000001');
    });

    it('sets the first Message-ID once and the last every time', async () => {
      const p = await make();
      await seed(p, ticket('20261125000071', 'a@x.example'));
      await p.tickets.update('20261125000071', { lastMessageId: 'one@x', updatedAt: at(1) }, {});
      await p.tickets.update('20261125000071', { lastMessageId: 'two@x', updatedAt: at(2) }, {});
      expect(await p.tickets.get('20261125000071')).toMatchObject({ firstMessageId: 'one@x', lastMessageId: 'two@x' });
    });
  });

  describe('tokens', () => {
    it('records sent tokens, lists them oldest first, deletes them all', async () => {
      const p = await make();
      await p.tokens.recordSent(token('20261125000081', 'later', at(5)));
      await p.tokens.recordSent(token('20261125000081', 'earlier', at(1)));
      await p.tokens.recordSent(token('20261125000082', 'other'));
      await p.tokens.setTtl('20261125000081', 'missing', at(9));

      expect((await p.tokens.listByTicket('20261125000081')).map((t) => t.hash)).toEqual(['earlier', 'later']);
      expect(await p.tokens.get('20261125000081', 'earlier')).toEqual(token('20261125000081', 'earlier', at(1)));
      expect(await p.tokens.get('20261125000081', 'missing')).toBeUndefined();
      expect(await p.tokens.deleteAll('20261125000081')).toEqual({ deleted: 2, read: 2 });
      expect(await p.tokens.listByTicket('20261125000081')).toEqual([]);
      expect(await p.tokens.listByTicket('20261125000082')).toHaveLength(1);
    });
  });

  describe('deliveries', () => {
    it('records once, claims once, takes over only the lease seen, releases only its own lease', async () => {
      const p = await make();
      expect(await p.deliveries.record(delivery('r1', { status: 'ignored' }), 7)).toBe(true);
      expect(await p.deliveries.record(delivery('r1', { status: 'ignored' }), 7)).toBe(false);

      const claim = delivery('c1', { leaseUntil: at(1) });
      expect(await p.deliveries.claim(claim, 7)).toEqual({ claimed: true });
      expect(await p.deliveries.claim(claim, 7)).toMatchObject({ claimed: false, existing: { key: 'c1', leaseUntil: at(1) } });
      expect((await p.deliveries.claim({ ...claim, leaseUntil: at(5) }, 7, { status: 'processing', leaseUntil: at(0) })).claimed).toBe(false);
      expect((await p.deliveries.claim({ ...claim, leaseUntil: at(5) }, 7, { status: 'processing', leaseUntil: at(1) })).claimed).toBe(true);
      await p.deliveries.release('c1', at(1));
      expect((await p.deliveries.get('c1'))?.leaseUntil).toBe(at(5));
      await p.deliveries.release('c1', at(5));
      expect((await p.deliveries.get('c1'))?.leaseUntil).toBeUndefined();
    });

    it('notes further copies and lists deliveries newest first', async () => {
      const p = await make();
      await p.deliveries.claim(delivery('k1', { receivedAt: at(1) }), 7);
      await p.deliveries.claim(delivery('k2', { receivedAt: at(2) }), 7);
      await p.deliveries.addCopy('k1', 'ses-copy-b');
      await p.deliveries.addCopy('k1', 'ses-copy-a');
      await p.deliveries.addCopy('k1', 'ses-copy-a');

      expect((await p.deliveries.get('k1'))?.copies).toEqual(['ses-copy-a', 'ses-copy-b']);
      expect((await p.deliveries.list()).items.map((d) => d.key)).toEqual(['k2', 'k1']);
    });
  });

  describe('inbound store', () => {
    it('loads delivery, customer, subject ticket and thread references in one snapshot; settles with the sent token', async () => {
      const p = await make();
      const t = ticket('20261125000091', 'a@x.example');
      await seed(p, t);
      await p.inbound.settle(delivery('s1', { status: 'replied', providerMessageId: 'SES-ID-1' }), token(t.number, 'sent1'), 7);

      const snapshot = await p.inbound.load({ deliveryKey: 's1', customerLogin: 'a@x.example', subjectTicketNumber: t.number, referencedMessageIds: ['ses-id-1@email.amazonses.com', 'unknown@x'], inboundMessageId: `m-${t.number}@x.example` });

      expect(snapshot.delivery).toMatchObject({ key: 's1', status: 'replied' });
      expect(snapshot.customer?.login).toBe('a@x.example');
      expect(snapshot.subjectTicket).toEqual(t);
      expect(snapshot.threadRefs.map((r) => r.ticketNumber)).toEqual([t.number]);
      expect(snapshot.knownMessage).toMatchObject({ ticketNumber: t.number, customerLogin: 'a@x.example' });
      expect(await p.tokens.get(t.number, 'sent1')).toBeDefined();
    });
  });

  describe('sessions', () => {
    const session = (idHash: string, over = {}) => ({ idHash, customerLogin: 'a@x.example', ticketNumber: '20261125000001', scope: 'customer' as const, language: 'en' as const, createdAt: T0, lastSeenAt: T0, absoluteExpiresAt: at(480), ...over });

    it('extends a live session, reports an idle or old one as expired and an unknown one as missing', async () => {
      const p = await make();
      await p.sessions.start(session('live'));
      await p.sessions.start(session('idle'));
      await p.sessions.start(session('old', { absoluteExpiresAt: at(5) }));

      const live = await p.sessions.touch('live', at(10), at(-20));
      const idle = await p.sessions.touch('idle', at(40), at(10));
      const old = await p.sessions.touch('old', at(10), at(-20));

      expect(live).toMatchObject({ found: true, session: { lastSeenAt: at(10) } });
      expect(idle).toMatchObject({ found: false, expired: { idHash: 'idle', lastSeenAt: T0 } });
      expect(old).toMatchObject({ found: false, expired: { idHash: 'old' } });
      expect(await p.sessions.touch('nope', at(10), at(-20))).toEqual({ found: false });
    });

    it('ends one session, or every session of a customer', async () => {
      const p = await make();
      await p.sessions.start(session('s1'));
      await p.sessions.start(session('s2', { createdAt: at(1) }));
      await p.sessions.start(session('s3', { customerLogin: 'b@x.example' }));

      await p.sessions.end('s1', { trail: [{ ticketNumber: '20261125000001', at: at(2), event: 'signed-out' }] });
      const ended = await p.sessions.endAllOf('a@x.example');

      expect(ended).toBe(1);
      expect((await p.sessions.touch('s2', at(3), at(-20))).found).toBe(false);
      expect((await p.sessions.touch('s3', at(3), at(-20))).found).toBe(true);
      expect((await p.trail.list('20261125000001')).map((e) => e.event)).toEqual(['signed-out']);
    });
  });

  describe('trail, outbox, ledger, limits', () => {
    it('keeps a trail entry once however often it is written', async () => {
      const p = await make();
      const entry = { ticketNumber: '20261125000101', at: at(1), event: 'link-used' as const, client: 'Safari, 198.51.100.0/24' };
      await p.trail.record([entry, entry]);
      await p.trail.record([entry, { ...entry, at: at(2), event: 'signed-out' as const }]);
      expect(await p.trail.list('20261125000101')).toEqual([{ ...entry, at: at(2), event: 'signed-out' }, entry]);
    });

    it('holds events until removed, oldest first', async () => {
      const p = await make();
      const event = (eventId: string, minute: number) => ({ eventId, type: 'TicketCreated' as const, at: at(minute), detail: { ticketNumber: '1' } });
      await p.tickets.addArticle({ ticketNumber: '1', articleId: 'x', direction: 'inbound', fromAddress: 'a', fromName: '', subject: '', text: '', textTruncated: false, attachments: [], createdAt: T0 }, { events: [event('e2', 2), event('e1', 1)] });
      expect((await p.outbox.pending(at(5), 10)).map((e) => e.eventId)).toEqual(['e1', 'e2']);
      expect((await p.outbox.pending(at(1), 10)).map((e) => e.eventId)).toEqual([]);
      await p.outbox.remove([event('e1', 1)]);
      expect((await p.outbox.pending(at(5), 10)).map((e) => e.eventId)).toEqual(['e2']);
    });

    it('applies an event id once: a live lease is in flight, a done one is answered, a dead one is taken over', async () => {
      const p = await make();
      expect(await p.ledger.claim('ev1', at(0), at(1), 7)).toEqual({ claimed: true });
      expect(await p.ledger.claim('ev1', at(0), at(1), 7)).toEqual({ claimed: false, done: false });
      expect(await p.ledger.claim('ev1', at(2), at(3), 7)).toEqual({ claimed: true });
      await p.ledger.release('ev1', at(3));
      expect(await p.ledger.claim('ev1', at(2), at(4), 7)).toEqual({ claimed: true });
      await p.ledger.complete('ev1', 'closed', at(2), 7);
      expect(await p.ledger.claim('ev1', at(9), at(10), 7)).toEqual({ claimed: false, done: true });
    });

    it('takes a limit atomically per member, at most `limit` members', async () => {
      const p = await make();
      const results = [];
      for (const member of ['a', 'b', 'a', 'c']) results.push(await p.limits.take('bucket1', member, 2, at(60)));
      expect(results).toEqual([true, true, true, false]);
      expect(await p.limits.take('bucket2', 'a', 0, at(60))).toBe(false);
    });
  });
});

describe('DynamoDB-only behaviour', () => {
  it('refuses a page cursor that it did not produce', async () => {
    const p = repositories(peers.docClient(), peers.table, config);
    await expect(p.customers.list({ cursor: Buffer.from('{"pk":1}').toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(p.tickets.dueForSweep(at(0), { cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('reads an item with a damaged shape as a clear CorruptItemError naming its key', async () => {
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const { CorruptItemError } = await import('../../shared/errors.js');
    await peers.docClient().send(new PutCommand({ TableName: peers.table, Item: { pk: 'TICKET#20261125000999', sk: 'TICKET', number: '20261125000999', state: 'exploded' } }));
    const p = repositories(peers.docClient(), peers.table, config);
    await expect(p.tickets.get('20261125000999')).rejects.toThrow(CorruptItemError);
    await expect(p.tickets.get('20261125000999')).rejects.toThrow(/TICKET#20261125000999/);
  });
});
