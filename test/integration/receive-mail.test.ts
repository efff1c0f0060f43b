import { beforeEach, describe, expect, it } from '@jest/globals';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL } from '../support/peers.js';
import { useLocalSystem } from '../support/system.js';
import { inboundHarness, linkIn } from '../support/inbound.js';
import { mime } from '../support/mail.js';
import { hashToken } from '../../shared/domain/tokens.js';
import { planTransition } from '../../shared/domain/ticket-lifecycle.js';
import type { Ticket } from '../../shared/domain/model.js';

const { peers } = useLocalSystem();

let n = 0;
/** Every test gets its own sender domain, so tests sharing the table never collide. */
let domain: string;
beforeEach(() => {
  domain = `t${++n}.example.org`;
});
const id = (label: string) => `${label}-${domain}`.replace(/\./g, '-');

async function outboxTo(address: string) {
  return (await peers.outbox()).filter((e) => e.destination.to.some((t) => t.includes(address)));
}

describe('receive-mail against dynalite, s3rver and the SES emulator', () => {
  it('creates customer, ticket, article and token for a new sender and mails the link, within 6 DynamoDB requests', async () => {
    // Prepare
    const h = inboundHarness(peers);
    const sender = `Alice@${domain}`;
    const raw = await mime({ from: `Alice <${sender}>`, subject: 'Printer is on fire', text: 'Help!', messageId: `<m1@${domain}>` });

    // Act
    const outcome = await h.deliver(id('new'), raw);

    // Assert
    expect(outcome).toBe('replied');
    // Load, ticket counter, claim, the atomic daily cap, records, replied (docs/data-model.md).
    expect(h.requests.total).toBeLessThanOrEqual(6);
    const [customer] = (await h.entities('customer')).filter((c) => c.login === `alice@${domain}`);
    expect(customer).toMatchObject({ login: `alice@${domain}`, customerId: `alice@${domain}`, email: `alice@${domain}`, disabled: false });
    const tickets = (await h.entities('ticket')).filter((t) => t.customerLogin === `alice@${domain}`);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ title: 'Printer is on fire', state: 'new', autoCreatedCustomer: true });
    const articles = (await h.entities('article')).filter((a) => a.ticketNumber === tickets[0]?.number);
    expect(articles).toEqual([expect.objectContaining({ text: expect.stringContaining('Help!'), rawMailKey: `inbound/${id('new')}`, messageId: `m1@${domain}` })]);

    const mails = await outboxTo(`alice@${domain}`);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.from).toContain('support@example.com');
    expect(mails[0]?.subject).toBe(`[Ticket#${tickets[0]?.number}] Printer is on fire`);
    const link = linkIn(mails[0]?.body.text);
    expect(link.ticketNumber).toBe(tickets[0]?.number);
    expect(mails[0]?.body.html).toContain(`/link/${link.ticketNumber}/${link.token}`);
    expect((tickets[0]?.activeToken as Ticket['activeToken'])?.hash).toBe(hashToken(link.token));
    expect(h.metrics.get('CustomerCreated')).toBe(1);
    expect(h.metrics.get('MailReplied')).toBe(1);
  });

  it('never stores or logs the raw token', async () => {
    const h = inboundHarness(peers);
    await h.deliver(id('raw'), await mime({ from: `bob@${domain}`, subject: 'hi', text: 'x' }));
    const { token } = linkIn((await outboxTo(`bob@${domain}`))[0]?.body.text);
    const dump = JSON.stringify(await h.items());
    expect(dump).not.toContain(token);
    expect(dump).toContain(hashToken(token));
    expect(h.logger.text()).not.toContain(token);
  });

  it('finds a known sender whatever the letter case of the address', async () => {
    const h = inboundHarness(peers);
    await h.deliver(id('case1'), await mime({ from: `carol@${domain}`, subject: 'one', text: 'x' }));
    await h.deliver(id('case2'), await mime({ from: `CAROL@${domain.toUpperCase()}`, subject: 'two', text: 'y' }));
    const customers = (await h.entities('customer')).filter((c) => String(c.login).endsWith(domain));
    expect(customers).toHaveLength(1);
    expect((await h.entities('ticket')).filter((t) => t.customerLogin === `carol@${domain}`)).toHaveLength(2);
    expect(h.metrics.get('CustomerCreated')).toBe(1);
  });

  it('adds a follow-up by [Ticket#n] to the same ticket, reopens it and supersedes the older link', async () => {
    const h = inboundHarness(peers);
    const from = `dave@${domain}`;
    await h.deliver(id('f1'), await mime({ from, subject: 'Broken', text: 'first' }));
    const first = linkIn((await outboxTo(from))[0]?.body.text);
    await closeTicket(h, first.ticketNumber, new Date('2026-11-20T00:00:00.000Z'));
    h.clock.advance(60_000);
    const raw = await mime({ from, subject: `Re: [Ticket#${first.ticketNumber}] Broken`, text: 'still broken' });
    await peers.putRawMail(`inbound/${id('f2')}`, raw);
    h.requests.reset();

    const outcome = await receive(h, id('f2'));
    const requests = h.requests.commands;

    expect(outcome).toBe('replied');
    const tickets = (await h.entities('ticket')).filter((t) => t.customerLogin === from);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ number: first.ticketNumber, state: 'open' });
    expect(tickets[0]?.closedAt).toBeUndefined();
    const articles = (await h.entities('article')).filter((a) => a.ticketNumber === first.ticketNumber);
    expect(articles.map((a) => a.text)).toEqual([expect.stringContaining('first'), expect.stringContaining('still broken')]);
    const second = linkIn((await outboxTo(from))[1]?.body.text);
    expect(second.ticketNumber).toBe(first.ticketNumber);
    expect((tickets[0]?.activeToken as Ticket['activeToken'])?.hash).toBe(hashToken(second.token));
    expect(h.metrics.get('TicketReopened')).toBe(1);
    // The follow-up's requests: load, claim, daily cap, ticket update, records, replied.
    expect(requests).toEqual(['BatchGetItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'BatchWriteItemCommand', 'BatchWriteItemCommand']);
  });

  it('opens a new ticket for a follow-up to a ticket closed longer than AccessDaysAfterClose', async () => {
    const h = inboundHarness(peers, { AccessDaysAfterClose: 3 });
    const from = `late@${domain}`;
    await h.deliver(id('l1'), await mime({ from, subject: 'Old problem', text: 'first' }));
    const first = linkIn((await outboxTo(from))[0]?.body.text);
    await closeTicket(h, first.ticketNumber, new Date(h.clock.now().getTime() - 4 * 86_400_000));

    await h.deliver(id('l2'), await mime({ from, subject: `Re: [Ticket#${first.ticketNumber}] Old problem`, text: 'again' }));

    const tickets = (await h.entities('ticket')).filter((t) => t.customerLogin === from);
    expect(tickets.map((t) => t.state).sort()).toEqual(['closed', 'new']);
    expect(linkIn((await outboxTo(from))[1]?.body.text).ticketNumber).not.toBe(first.ticketNumber);
  });

  it('threads a follow-up by In-Reply-To, also when it names the Message-ID SES gave our auto-reply', async () => {
    const h = inboundHarness(peers);
    const from = `erin@${domain}`;
    await h.deliver(id('t1'), await mime({ from, subject: 'Question', text: 'q', messageId: `<q1@${domain}>` }));
    const { ticketNumber } = linkIn((await outboxTo(from))[0]?.body.text);
    const sesId = (await outboxTo(from))[0]?.messageId ?? '';

    await h.deliver(id('t2'), await mime({ from, subject: 'more', text: 'a', inReplyTo: `<q1@${domain}>` }));
    await h.deliver(id('t3'), await mime({ from, subject: 'even more', text: 'b', inReplyTo: `<${sesId}@email.amazonses.com>` }));

    const tickets = (await h.entities('ticket')).filter((t) => t.customerLogin === from);
    expect(tickets.map((t) => t.number)).toEqual([ticketNumber]);
    expect((await h.entities('article')).filter((a) => a.ticketNumber === ticketNumber)).toHaveLength(3);
  });

  it("does not thread onto another customer's ticket by subject or reference", async () => {
    const h = inboundHarness(peers);
    await h.deliver(id('o1'), await mime({ from: `owner@${domain}`, subject: 'mine', text: 'x', messageId: `<own@${domain}>` }));
    const { ticketNumber } = linkIn((await outboxTo(`owner@${domain}`))[0]?.body.text);

    await h.deliver(id('o2'), await mime({ from: `intruder@${domain}`, subject: `[Ticket#${ticketNumber}] gimme`, text: 'y', inReplyTo: `<own@${domain}>` }));

    const intruderTickets = (await h.entities('ticket')).filter((t) => t.customerLogin === `intruder@${domain}`);
    expect(intruderTickets).toHaveLength(1);
    expect(intruderTickets[0]?.number).not.toBe(ticketNumber);
    expect((await h.entities('article')).filter((a) => a.ticketNumber === ticketNumber)).toHaveLength(1);
  });

  it('creates one customer, ticket, article and mail when SES delivers the same message three times', async () => {
    const h = inboundHarness(peers);
    const raw = await mime({ from: `frank@${domain}`, subject: 'dup', text: 'x' });
    const outcomes = [await h.deliver(id('dup'), raw), await h.deliver(id('dup'), raw), await h.deliver(id('dup'), raw)];
    expect(outcomes).toEqual(['replied', 'duplicate', 'duplicate']);
    await expectExactlyOneOfEach(h, `frank@${domain}`);
  });

  it('records the same Message-ID arriving under a second SES id once, and notes the copy on the delivery', async () => {
    const h = inboundHarness(peers);
    const raw = await mime({ from: `hank@${domain}`, subject: 'twice', text: 'x', messageId: `<same@${domain}>` });
    expect(await h.deliver(id('mid1'), raw)).toBe('replied');
    expect(await h.deliver(id('mid2'), raw)).toBe('duplicate');
    await expectExactlyOneOfEach(h, `hank@${domain}`);
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('mid1'));
    expect([...((delivery?.copies as Set<string>) ?? [])]).toEqual([id('mid2')]);
  });

  it('opens one ticket when ten copies of one mail arrive under different SES ids at the same instant', async () => {
    // Prepare: one mail to ten of our addresses; SES delivers each copy under its own id.
    const h = inboundHarness(peers);
    const sender = `burst-copies@${domain}`;
    const raw = await mime({ from: sender, subject: 'to everyone', text: 'x', messageId: `<copies@${domain}>` });
    const ids = Array.from({ length: 10 }, (_, i) => id(`copy${i}`));
    await Promise.all(ids.map((d) => peers.putRawMail(`inbound/${d}`, raw)));

    // Act
    const outcomes = await Promise.all(ids.map((d) => receive(h, d)));

    // Assert: one claim won; the others met it on the shared key.
    expect(outcomes.filter((o) => o === 'replied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
    await expectExactlyOneOfEach(h, sender);
  });

  it('creates one of each when duplicates arrive concurrently', async () => {
    const h = inboundHarness(peers);
    const raw = await mime({ from: `gina@${domain}`, subject: 'race', text: 'x' });
    await peers.putRawMail(`inbound/${id('race')}`, raw);
    const outcomes = await Promise.all([1, 2, 3].map(() => h.deliver(id('race'), raw)));
    expect(outcomes.filter((o) => o === 'replied')).toHaveLength(1);
    // The others met the winner's claim: in flight while it held the lease, a duplicate once it was done.
    expect(outcomes.filter((o) => o === 'in-flight' || o === 'duplicate')).toHaveLength(2);
    await expectExactlyOneOfEach(h, `gina@${domain}`);
  });

  async function expectExactlyOneOfEach(h: ReturnType<typeof inboundHarness>, login: string) {
    expect((await h.entities('customer')).filter((c) => c.login === login)).toHaveLength(1);
    const tickets = (await h.entities('ticket')).filter((t) => t.customerLogin === login);
    expect(tickets).toHaveLength(1);
    expect((await h.entities('article')).filter((a) => a.ticketNumber === tickets[0]?.number)).toHaveLength(1);
    expect(await outboxTo(login)).toHaveLength(1);
  }

  it('ignores spoofed X-OTOBO-CustomerUser / X-OTOBO-CustomerNo headers and answers the real sender only', async () => {
    const h = inboundHarness(peers);
    const raw = await mime({
      from: `mallory@${domain}`,
      subject: 'let me in',
      text: 'x',
      headers: { 'X-OTOBO-CustomerUser': `victim@${domain}`, 'X-OTOBO-CustomerNo': `victim@${domain}` },
    });
    await h.deliver(id('spoof'), raw);
    const logins = (await h.entities('customer')).map((c) => c.login).filter((l) => String(l).endsWith(domain));
    expect(logins).toEqual([`mallory@${domain}`]);
    expect(await outboxTo(`victim@${domain}`)).toHaveLength(0);
    expect(await outboxTo(`mallory@${domain}`)).toHaveLength(1);
    expect(h.metrics.get('SpoofedHeaderIgnored')).toBe(1);
  });

  it('sends the link to the From address only, never to Reply-To or Cc', async () => {
    const h = inboundHarness(peers);
    await h.deliver(id('rt'), await mime({ from: `victim@${domain}`, replyTo: `attacker@evil.example`, cc: `other@evil.example`, subject: 's', text: 'x' }));
    const mails = (await peers.outbox()).filter((m) => JSON.stringify(m).includes('evil.example'));
    expect(mails).toHaveLength(0);
    const [mail] = await outboxTo(`victim@${domain}`);
    expect(mail?.destination).toEqual({ to: [`victim@${domain}`], cc: [], bcc: [] });
  });

  it.each([
    ['two From headers, the victim’s first', (v: string, a: string) => `From: ${v}\r\nFrom: ${a}\r\nTo: support@example.com\r\nSubject: Two senders\r\n\r\nbody\r\n`],
    ['two From headers, the sender’s first', (v: string, a: string) => `From: ${a}\r\nFrom: ${v}\r\nTo: support@example.com\r\nSubject: Two senders\r\n\r\nbody\r\n`],
    ['two mailboxes in one From header', (v: string, a: string) => `From: ${v}, ${a}\r\nTo: support@example.com\r\nSubject: Two senders\r\n\r\nbody\r\n`],
    ['a group of one as From', (v: string) => `From: friends: ${v};\r\nTo: support@example.com\r\nSubject: A group\r\n\r\nbody\r\n`],
  ])('ignores %s as from-missing-or-ambiguous: no customer, no ticket, no link for anyone', async (_label, make) => {
    // Prepare
    const h = inboundHarness(peers);
    const [victim, sender] = [`victim@${domain}`, `sender@${domain}`];

    // Act
    const outcome = await h.deliver(id('from'), make(victim, sender));

    // Assert
    expect(outcome).toBe('ignored');
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('from'));
    expect(delivery).toMatchObject({ status: 'ignored', reason: 'from-missing-or-ambiguous' });
    expect((await h.entities('customer')).filter((c) => String(c.login).endsWith(domain))).toHaveLength(0);
    expect((await h.entities('ticket')).filter((t) => String(t.customerLogin).endsWith(domain))).toHaveLength(0);
    expect([...(await outboxTo(victim)), ...(await outboxTo(sender))]).toHaveLength(0);
  });

  it.each([
    ['virus FAIL', { virus: 'FAIL' }, 'dropped', 'MailDropped'],
    ['spam FAIL', { spam: 'FAIL' }, 'rejected', 'MailRejected'],
    ['DMARC FAIL with reject policy', { dmarc: 'FAIL', dmarcPolicy: 'reject' }, 'rejected', 'MailRejected'],
    ['DMARC FAIL with quarantine policy', { dmarc: 'FAIL', dmarcPolicy: 'quarantine' }, 'rejected', 'MailRejected'],
  ] as const)('creates nothing and sends nothing on %s', async (_label, verdicts, outcome, metric) => {
    const h = inboundHarness(peers);
    const sender = `verdict@${domain}`;
    expect(await h.deliver(id('v'), await mime({ from: sender, subject: 's', text: 'x' }), verdicts)).toBe(outcome);
    expect((await h.entities('customer')).filter((c) => c.login === sender)).toHaveLength(0);
    expect(await outboxTo(sender)).toHaveLength(0);
    expect(h.metrics.get(metric)).toBe(1);
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('v'));
    expect(delivery).toMatchObject({ status: outcome });
    expect(await h.deliver(id('v'), await mime({ from: sender, subject: 's', text: 'x' }), verdicts)).toBe('duplicate');
  });

  it('accepts DMARC FAIL when the domain publishes p=none (configurable)', async () => {
    const h = inboundHarness(peers);
    expect(await h.deliver(id('dn'), await mime({ from: `dn@${domain}`, subject: 's', text: 'x' }), { dmarc: 'FAIL', dmarcPolicy: 'none' })).toBe('replied');
  });

  it('records an Auto-Submitted mail from a customer but does not answer it', async () => {
    const h = inboundHarness(peers);
    const sender = `ooo@${domain}`;
    await h.deliver(id('auto0'), await mime({ from: sender, subject: 'Question', text: 'q' }));
    const outcome = await h.deliver(id('auto'), await mime({ from: sender, subject: 'Out of office', text: 'away', headers: { 'Auto-Submitted': 'auto-replied' } }));
    expect(outcome).toBe('recorded');
    expect((await h.entities('ticket')).filter((t) => t.customerLogin === sender)).toHaveLength(2);
    expect(await outboxTo(sender)).toHaveLength(1);
    expect(h.metrics.get('ReplySuppressed')).toBe(1);
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('auto'));
    expect(delivery).toMatchObject({ status: 'recorded', reason: 'auto-submitted:auto-replied' });
  });

  it.each([
    ['Auto-Submitted', { 'Auto-Submitted': 'auto-generated' }, 'no-customer:auto-submitted:auto-generated'],
    ['List-Unsubscribe (RFC 2369/8058 bulk mail)', { 'List-Unsubscribe': '<https://news.example/u?x=1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }, 'no-customer:list-unsubscribe'],
    ['Precedence: bulk', { Precedence: 'bulk' }, 'no-customer:precedence:bulk'],
  ])('creates no customer and answers nothing for %s mail from a stranger', async (_label, headers, reason) => {
    const h = inboundHarness(peers);
    const sender = `newsletter@${domain}`;
    expect(await h.deliver(id('bulk'), await mime({ from: sender, subject: 'News', text: 'x', headers }))).toBe('ignored');
    expect((await h.entities('customer')).filter((c) => c.login === sender)).toHaveLength(0);
    expect(await outboxTo(sender)).toHaveLength(0);
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('bulk'));
    expect(delivery).toMatchObject({ status: 'ignored', reason });
  });

  it('answers Auto-Submitted: no like any mail', async () => {
    const h = inboundHarness(peers);
    expect(await h.deliver(id('no'), await mime({ from: `human@${domain}`, subject: 's', text: 'x', headers: { 'Auto-Submitted': 'no' } }))).toBe('replied');
  });

  it.each(['MAILER-DAEMON', 'postmaster', 'no-reply', 'noreply'])('creates no customer for %s senders', async (local) => {
    const h = inboundHarness(peers);
    expect(await h.deliver(id(local), await mime({ from: `${local}@${domain}`, subject: 'Undelivered Mail', text: 'bounce' }))).toBe('ignored');
    expect((await h.entities('customer')).filter((c) => String(c.login).endsWith(domain))).toHaveLength(0);
  });

  it('ignores mail from our own support address (loop)', async () => {
    const h = inboundHarness(peers);
    expect(await h.deliver(id('own'), await mime({ from: 'Support <SUPPORT@example.com>', subject: 's', text: 'x' }))).toBe('ignored');
  });

  it.each([
    ['missing From', `To: support@localhost\r\nSubject: no from\r\n\r\nbody\r\n`],
    ['invalid From', `From: not an address\r\nTo: support@localhost\r\nSubject: bad\r\n\r\nbody\r\n`],
    ['two From mailboxes', `From: a@x.example, b@y.example\r\nTo: support@localhost\r\nSubject: two\r\n\r\nbody\r\n`],
  ])('records %s as ignored without a customer', async (_label, raw) => {
    const h = inboundHarness(peers);
    const before = (await h.entities('customer')).length;
    expect(await h.deliver(id('bad'), raw)).toBe('ignored');
    expect((await h.entities('customer')).length).toBe(before);
    expect(h.metrics.get('MailIgnored')).toBe(1);
  });

  it('keeps text, attachment names and sizes of a multipart ISO-8859-1 mail', async () => {
    const h = inboundHarness(peers);
    const sender = `gruss@${domain}`;
    const latin1 = Buffer.concat([
      Buffer.from(
        [
          `From: =?ISO-8859-1?Q?J=FCrgen?= <${sender}>`,
          'To: support@localhost',
          'Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=',
          'Content-Language: de',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b1"',
          '',
          '--b1',
          'Content-Type: text/plain; charset=ISO-8859-1',
          'Content-Transfer-Encoding: 8bit',
          '',
          '',
        ].join('\r\n'),
      ),
      Buffer.from('Schöne Grüße, äöü ß\r\n', 'latin1'),
      Buffer.from(
        [
          '--b1',
          'Content-Type: application/pdf; name="bericht.pdf"',
          'Content-Disposition: attachment; filename="bericht.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.alloc(2048, 1).toString('base64').replace(/(.{76})/g, '$1\r\n'),
          '--b1',
          'Content-Type: text/plain; name="notiz.txt"',
          'Content-Disposition: attachment; filename="notiz.txt"',
          'Content-Transfer-Encoding: base64',
          '',
          'YWJj',
          '--b1--',
          '',
        ].join('\r\n'),
      ),
    ]);

    await h.deliver(id('latin'), latin1);

    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    const [article] = (await h.entities('article')).filter((a) => a.ticketNumber === ticket?.number);
    expect(article?.text).toContain('Schöne Grüße, äöü ß');
    expect(article?.subject).toBe('Grüße aus Köln');
    expect(article?.fromName).toBe('Jürgen');
    expect(article?.attachments).toEqual([
      { filename: 'bericht.pdf', contentType: 'application/pdf', size: 2048, key: expect.stringMatching(/^attachments\/\d+\/[\w-]+\/0$/) },
      { filename: 'notiz.txt', contentType: 'text/plain', size: 3, key: expect.stringMatching(/^attachments\/\d+\/[\w-]+\/1$/) },
    ]);
    const [mail] = await outboxTo(sender);
    expect(mail?.body.text).toContain('Guten Tag'); // Content-Language: de picks German
  });

  it.each([
    ['binary garbage', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'malformed-mime'],
    ['an empty message', () => '', 'malformed-mime'],
    ['a mail without any From', () => `To: support@example.com\r\nX-Junk: ${'a'.repeat(600_000)}\r\nSubject: s\r\n\r\nbody\r\n`, 'from-missing-or-ambiguous'],
  ])('answers hostile MIME (%s) by recording it as ignored with its reason, not by failing', async (_label, make, reason) => {
    const h = inboundHarness(peers);
    expect(await h.deliver(id('hostile'), make())).toBe('ignored');
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('hostile'));
    expect(delivery).toMatchObject({ status: 'ignored', reason });
    expect(h.metrics.get('MailIgnored')).toBe(1);
  });

  it('reads a mail with a 600 kB junk header like any other', async () => {
    const h = inboundHarness(peers);
    const sender = `big@${domain}`;
    expect(await h.deliver(id('big'), `From: ${sender}\r\nX-Junk: ${'a'.repeat(600_000)}\r\nSubject: s\r\n\r\nbody\r\n`)).toBe('replied');
    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    const [article] = (await h.entities('article')).filter((a) => a.ticketNumber === ticket?.number);
    expect(JSON.stringify(article)).not.toContain('aaaa');
  });

  it('records a mail nested 300 levels deep like any other, without failing', async () => {
    const h = inboundHarness(peers);
    const sender = `deep@${domain}`;
    const open = Array.from({ length: 300 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`).join('');
    const raw = `From: ${sender}\r\nTo: support@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n${open}Content-Type: text/plain\r\n\r\ninner text\r\n`;
    expect(await h.deliver(id('deep'), raw)).toBe('replied');
    expect((await h.entities('ticket')).filter((t) => t.customerLogin === sender)).toHaveLength(1);
  });

  it('converts an HTML-only mail to text', async () => {
    const h = inboundHarness(peers);
    const sender = `html@${domain}`;
    await h.deliver(id('html'), await mime({ from: sender, subject: 's', html: '<p>Hello <b>world</b><script>alert(1)</script></p>' }));
    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    const [article] = (await h.entities('article')).filter((a) => a.ticketNumber === ticket?.number);
    expect(article?.text).toContain('Hello world');
    expect(article?.text).not.toContain('<b>');
  });

  it('fails on a missing S3 object so the event is retried and ends in the DLQ', async () => {
    const h = inboundHarness(peers);
    const { receiveMail } = await import('../../shared/use-cases/receive-mail.js');
    const { RawMailMissingError } = await import('../../shared/errors.js');
    await expect(receiveMail(h.deps, { deliveryId: id('gone'), receivedAt: h.clock.now().toISOString(), rawMailKey: 'inbound/nope', verdicts: {} })).rejects.toBeInstanceOf(RawMailMissingError);
  });

  it('gives a disabled customer no link but keeps the mail', async () => {
    const h = inboundHarness(peers);
    const sender = `off@${domain}`;
    await h.deliver(id('d1'), await mime({ from: sender, subject: 'a', text: 'x' }));
    await h.deps.customers.get(sender);
    const { repositories } = await import('../../shared/adapters/dynamodb/repositories.js');
    await repositories(peers.docClient(), peers.table, h.config).customers.setDisabled(sender, true);
    expect(await h.deliver(id('d2'), await mime({ from: sender, subject: 'b', text: 'y' }))).toBe('recorded');
    expect(await outboxTo(sender)).toHaveLength(1);
    expect((await h.entities('ticket')).filter((t) => t.customerLogin === sender)).toHaveLength(2);
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('d2'));
    expect(delivery).toMatchObject({ status: 'recorded', reason: 'customer-disabled' });
  });

  it('stops auto-replies at the daily cap per sender and starts again the next day', async () => {
    const h = inboundHarness(peers, { AutoReplyDailyCapPerSender: 2 });
    const sender = `chatty@${domain}`;
    const outcomes = [];
    for (const i of [1, 2, 3]) outcomes.push(await h.deliver(id(`cap${i}`), await mime({ from: sender, subject: `m${i}`, text: 'x' })));
    expect(outcomes).toEqual(['replied', 'replied', 'recorded']);
    h.clock.advance(86_400_000);
    expect(await h.deliver(id('cap4'), await mime({ from: sender, subject: 'm4', text: 'x' }))).toBe('replied');
  });

  it('holds the daily cap under concurrency: 100 simultaneous mails from one sender get exactly the cap in replies', async () => {
    // Prepare: 100 different mails from one (possibly forged) sender, all stored before any runs.
    const h = inboundHarness(peers);
    const sender = `flood@${domain}`;
    const ids = Array.from({ length: 100 }, (_, i) => id(`flood${i}`));
    await Promise.all(ids.map(async (d, i) => peers.putRawMail(`inbound/${d}`, await mime({ from: sender, subject: `flood ${i}`, text: 'x' }))));

    // Act
    const outcomes = await Promise.all(ids.map((d) => receive(h, d)));

    // Assert
    expect(outcomes.filter((o) => o === 'replied')).toHaveLength(h.config.AutoReplyDailyCapPerSender);
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(100 - h.config.AutoReplyDailyCapPerSender);
    expect(await outboxTo(sender)).toHaveLength(h.config.AutoReplyDailyCapPerSender);
    const capped = (await h.entities('delivery')).filter((d) => d.sender === sender && d.reason === 'daily-cap');
    expect(capped).toHaveLength(90);
  }, 60_000);

  it('counts a retried delivery once against the cap', async () => {
    const h = inboundHarness(peers, { AutoReplyDailyCapPerSender: 1 });
    const sender = `retry-cap@${domain}`;
    const failing = new SESv2Client({ region: 'us-east-1' });
    mockClient(failing).on(SendEmailCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const raw = await mime({ from: sender, subject: 'once', text: 'x' });
    await expect(h.deliver(id('rc'), raw, {}, h.with({ ses: failing }))).rejects.toThrow('Rate exceeded');
    expect(await h.deliver(id('rc'), raw)).toBe('replied');
  });

  it('rethrows an SES failure; the retry sends the reply exactly once and duplicates nothing', async () => {
    // Prepare: a second SES client whose sends fail (fault injected), the real one for the retry.
    const h = inboundHarness(peers);
    const failing = new SESv2Client({ region: 'us-east-1' });
    mockClient(failing).on(SendEmailCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const sender = `retry@${domain}`;
    const raw = await mime({ from: sender, subject: 'flaky', text: 'x' });

    // Act
    await expect(h.deliver(id('retry'), raw, {}, h.with({ ses: failing }))).rejects.toThrow('Rate exceeded');
    const [afterFailure] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    const outcome = await h.deliver(id('retry'), raw);
    const again = await h.deliver(id('retry'), raw);

    // Assert
    expect([outcome, again]).toEqual(['replied', 'duplicate']);
    await expectExactlyOneOfEach(h, sender);
    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    const { token } = linkIn((await outboxTo(sender))[0]?.body.text);
    expect((ticket?.activeToken as Ticket['activeToken'])?.hash).toBe(hashToken(token));
    // The unsent token was only a pointer (no token item: it can block nothing) and is superseded.
    const unsent = (afterFailure?.activeToken as Ticket['activeToken'])?.hash;
    expect(unsent).not.toBe(hashToken(token));
    const tokens = (await h.entities('token')).filter((t) => t.customerLogin === sender);
    expect(tokens.map((t) => t.hash)).toEqual([hashToken(token)]);
    expect(tokens[0]?.sentAt).toBeDefined();
    expect(h.metrics.get('ReplyResumed')).toBe(1);
  });

  it('releases its claim when DynamoDB fails mid-way; the retry continues with the same ticket number', async () => {
    // Prepare: a client that forwards to dynalite but throttles the batch write (fault injected).
    const h = inboundHarness(peers);
    const real = peers.docClient();
    const flaky = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint: 'http://127.0.0.1:9' }));
    const mock = mockClient(flaky);
    mock.on(BatchGetCommand).callsFake((input) => real.send(new BatchGetCommand(input)));
    mock.on(GetCommand).callsFake((input) => real.send(new GetCommand(input)));
    mock.on(PutCommand).callsFake((input) => real.send(new PutCommand(input)));
    mock.on(UpdateCommand).callsFake((input) => real.send(new UpdateCommand(input)));
    mock.on(QueryCommand).callsFake((input) => real.send(new QueryCommand(input)));
    mock.on(BatchWriteCommand).rejects(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException', $retryable: {} }));
    const sender = `throttled@${domain}`;
    const raw = await mime({ from: sender, subject: 'slow day', text: 'x' });

    // Act
    const failure = await h.deliver(id('thr'), raw, {}, h.with({ db: flaky })).catch((e: unknown) => e);
    const [claimed] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('thr'));
    const outcome = await h.deliver(id('thr'), raw);

    // Assert: the throttling was classified as retryable, the lease given back, the work finished by the retry.
    const { RetryableError } = await import('../../shared/errors.js');
    expect(failure).toBeInstanceOf(RetryableError);
    expect((failure as Error).message).toContain('Throughput exceeded');
    expect(claimed).toMatchObject({ status: 'processing' });
    expect(claimed?.leaseUntil).toBeUndefined(); // released, so the retry need not wait
    expect(outcome).toBe('replied');
    await expectExactlyOneOfEach(h, sender);
    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    expect(ticket?.number).toBe(claimed?.ticketNumber);
    expect(h.metrics.get('DeliveryTakenOver')).toBe(1);
  });

  it('lets a retry take over a claim whose invocation died once the lease has run out', async () => {
    const h = inboundHarness(peers);
    const sender = `crashed@${domain}`;
    const raw = await mime({ from: sender, subject: 'crash', text: 'x', messageId: `<crash@${domain}>` });
    const { LEASE_MS } = await import('../../shared/use-cases/delivery-lease.js');
    const { deliveryKey } = await import('../../shared/domain/inbound-classification.js');
    const key = deliveryKey(sender, `crash@${domain}`, id('crash'));
    await h.deps.deliveries.claim(
      { key, deliveryId: id('crash'), status: 'processing', leaseUntil: new Date(h.clock.now().getTime() + LEASE_MS).toISOString(), ticketNumber: '20261125999999', newTicket: true, sender, customerLogin: sender, rawMailKey: `inbound/${id('crash')}`, receivedAt: h.clock.now().toISOString() },
      7,
    );

    expect(await h.deliver(id('crash'), raw)).toBe('in-flight'); // lease alive: someone is on it
    h.clock.advance(LEASE_MS + 1);
    expect(await h.deliver(id('crash'), raw)).toBe('replied');

    const tickets = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    expect(tickets.map((t) => t.number)).toEqual(['20261125999999']);
    expect(await outboxTo(sender)).toHaveLength(1);
  });

  it('gives its lease back when the invocation is about to time out, so the retry continues at once', async () => {
    // Prepare: plenty of time for the claim, then only 5 s left (Lambda's getRemainingTimeInMillis).
    const h = inboundHarness(peers);
    const sender = `slow@${domain}`;
    const raw = await mime({ from: sender, subject: 'slow', text: 'x' });
    let calls = 0;
    const remainingMs = () => (++calls > 1 ? 5_000 : 30_000);

    // Act
    const failure = await h.deliver(id('late'), raw, {}, h.deps, { remainingMs }).catch((e: unknown) => e);
    const [held] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('late'));
    const outcome = await h.deliver(id('late'), raw);

    // Assert
    const { OutOfTimeError } = await import('../../shared/errors.js');
    expect(failure).toBeInstanceOf(OutOfTimeError);
    expect(held).toMatchObject({ status: 'processing' });
    expect(held?.leaseUntil).toBeUndefined();
    expect(h.metrics.get('LeaseReturned')).toBe(1);
    expect(outcome).toBe('replied');
    await expectExactlyOneOfEach(h, sender);
  });
});

describe('receive-mail: loops and backscatter (no customer, no reply, recorded with the reason)', () => {
  const report = (reportType: string, part: string, from: string) =>
    [
      `From: ${from}`,
      'To: support@example.com',
      'Subject: Report',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=${reportType}; boundary="r"`,
      '',
      '--r',
      'Content-Type: text/plain',
      '',
      'This is a report.',
      '--r',
      `Content-Type: ${part}`,
      '',
      'Reporting-MTA: dns; mx.bar.de',
      '--r--',
      '',
    ].join('\r\n');

  it.each([
    ['a bounce (DSN) from an ordinary-looking address', 'delivery-status', 'message/delivery-status', 'report:delivery-status'],
    ['a read receipt (MDN)', 'disposition-notification', 'message/disposition-notification', 'report:disposition-notification'],
    ['an abuse report (ARF)', 'feedback-report', 'message/feedback-report', 'report:feedback-report'],
  ])('ignores %s', async (_label, type, part, reason) => {
    const h = inboundHarness(peers);
    const sender = `foo@${domain}`;
    expect(await h.deliver(id(type), report(type, part, sender))).toBe('ignored');
    expect((await h.entities('customer')).filter((c) => c.login === sender)).toHaveLength(0);
    expect(await outboxTo(sender)).toHaveLength(0);
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id(type));
    expect(delivery).toMatchObject({ status: 'ignored', reason });
  });

  it.each([
    ['an empty envelope sender (MAIL FROM:<>)', { envelopeSender: '' }, {}],
    ['Return-Path: <>', {}, { 'Return-Path': '<>' }],
  ])('ignores a null reverse-path: %s', async (_label, extra, headers) => {
    const h = inboundHarness(peers);
    const sender = `bouncer@${domain}`;
    expect(await h.deliver(id('null'), await mime({ from: sender, subject: 'Undeliverable', text: 'x', headers }), {}, h.deps, extra)).toBe('ignored');
    expect((await h.entities('customer')).filter((c) => c.login === sender)).toHaveLength(0);
    expect(await outboxTo(sender)).toHaveLength(0);
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('null'));
    expect(delivery).toMatchObject({ status: 'ignored', reason: 'null-reverse-path' });
  });
});

describe('receive-mail: decoding', () => {
  it('reads a raw Latin-1 8-bit subject right in the ticket and in the reply', async () => {
    const h = inboundHarness(peers);
    const sender = `frosch@${domain}`;
    const raw = Buffer.concat([Buffer.from(`From: ${sender}\r\nTo: support@example.com\r\nSubject: Die Hasen und die Fr`), Buffer.from([0xf6]), Buffer.from('sche\r\n\r\nText\r\n')]);

    await h.deliver(id('latin'), raw);

    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    expect(ticket?.title).toBe('Die Hasen und die Frösche');
    const [reply] = await outboxTo(sender);
    expect(reply?.subject).toBe(`[Ticket#${ticket?.number}] Die Hasen und die Frösche`);
    expect(reply?.subject).not.toContain('\ufffd');
  });

  it('reads a raw 8-bit byte inside an encoded word', async () => {
    const h = inboundHarness(peers);
    const sender = `frosch2@${domain}`;
    const raw = Buffer.concat([Buffer.from(`From: ${sender}\r\nSubject: =?ISO-8859-1?Q?Die_Hasen_und_die_Fr`), Buffer.from([0xf6]), Buffer.from('sche?=\r\n\r\nText\r\n')]);
    await h.deliver(id('latin2'), raw);
    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    expect(ticket?.title).toBe('Die Hasen und die Frösche');
  });

  it.each([
    ['a punycode TLD', 'user@xn--e1afmkfd.xn--p1ai', 'user@xn--e1afmkfd.xn--p1ai'],
    ['a UTF-8 domain', 'user@bücher.example', 'user@xn--bcher-kva.example'],
  ])('makes a sender on %s a customer, stored and answered in IDNA form', async (_label, from, login) => {
    const h = inboundHarness(peers);
    expect(await h.deliver(id('idn'), await mime({ from, subject: 'Hallo', text: 'x' }))).toBe('replied');
    expect((await h.entities('customer')).filter((c) => c.login === login)).toHaveLength(1);
    expect((await outboxTo(login)).map((m) => m.destination.to)).toEqual([[login]]);
  });

  it('records a UTF-8 local part, which SES cannot send to, with a clear reason', async () => {
    const h = inboundHarness(peers);
    const raw = `From: =?UTF-8?Q?J=C3=BCrgen?= <jürgen@${domain}>\r\nTo: support@example.com\r\nSubject: hi\r\n\r\nx\r\n`;
    expect(await h.deliver(id('utf8local'), Buffer.from(raw, 'utf8'))).toBe('ignored');
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('utf8local'));
    expect(delivery).toMatchObject({ status: 'ignored', reason: 'from-local-part-not-ascii' });
  });
});

describe('receive-mail: bounded items', () => {
  it('keeps every item under DynamoDB’s 400 KB whatever the mail holds: 4-byte text, 150 attachments with long names', async () => {
    // Prepare: 200 000 emoji (800 kB of UTF-8) and 150 attachments named with 300 characters each.
    const h = inboundHarness(peers);
    const sender = `huge@${domain}`;
    const attachments = Array.from({ length: 150 }, (_, i) => ({ filename: `${'ä'.repeat(300)}-${i}.txt`, content: 'x' }));
    const raw = await mime({ from: sender, subject: 'everything', text: '😀'.repeat(200_000), attachments });

    // Act
    expect(await h.deliver(id('huge'), raw)).toBe('replied');

    // Assert
    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    const [article] = (await h.entities('article')).filter((a) => a.ticketNumber === ticket?.number);
    expect(Buffer.byteLength(JSON.stringify(article))).toBeLessThan(400_000);
    expect(Buffer.byteLength(String(article?.text))).toBeLessThanOrEqual(h.config.ArticleTextMaxBytes);
    expect(article).toMatchObject({ textTruncated: true, attachmentsOmitted: 50 });
    expect((article?.attachments as unknown[]).length).toBe(100);
  });
});

describe('receive-mail: events for the helpdesk', () => {
  it('publishes TicketCreated once, then CustomerReplied and TicketReopened for a follow-up that reopens', async () => {
    const h = inboundHarness(peers);
    const sender = `events@${domain}`;
    const mine = () => peers.published().filter((e) => JSON.stringify(e.detail).includes(sender));
    const first = await mime({ from: sender, subject: 'Event me', text: 'first', attachments: [{ filename: 'a.txt', content: 'a' }] });
    await h.deliver(id('e1'), first);
    await h.deliver(id('e1'), first); // SES redelivers: nothing is published twice
    const { ticketNumber } = linkIn((await outboxTo(sender))[0]?.body.text);
    await closeTicket(h, ticketNumber, h.clock.now());
    await h.deliver(id('e2'), await mime({ from: sender, subject: `Re: [Ticket#${ticketNumber}] Event me`, text: 'again' }));
    await peers.bus.idle();

    expect(mine().map((e) => e.detailType)).toEqual(['TicketCreated', 'CustomerReplied', 'TicketReopened']);
    expect(mine()[0]).toMatchObject({ source: 'one-time-auth-links', detail: { ticketNumber, article: { text: expect.stringContaining('first'), attachments: ['a.txt'] } } });
    expect(mine()[1]?.detail).toMatchObject({ ticketNumber, article: { text: expect.stringContaining('again') } });
    expect((await h.entities('outbox')).filter((o) => JSON.stringify(o).includes(sender))).toEqual([]);
  });
});

async function receive(h: ReturnType<typeof inboundHarness>, deliveryId: string) {
  const { receiveMail } = await import('../../shared/use-cases/receive-mail.js');
  return receiveMail(h.deps, { deliveryId, receivedAt: h.clock.now().toISOString(), rawMailKey: `inbound/${deliveryId}`, verdicts: {} });
}

/** Closes a ticket the way every state change does: planned by the lifecycle, applied by the repository. */
async function closeTicket(h: ReturnType<typeof inboundHarness>, number: string, at: Date) {
  const ticket = await h.deps.tickets.get(number);
  if (!ticket) throw new Error(`no ticket ${number}`);
  const plan = planTransition(ticket, 'closed', at, h.config);
  const result = await h.deps.tickets.update(number, { change: plan.change, updatedAt: at.toISOString() }, { state: ticket.state, activeTokenHash: ticket.activeToken?.hash ?? null });
  if (!result.updated) throw new Error('close failed');
}
