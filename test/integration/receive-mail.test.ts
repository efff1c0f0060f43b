import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoInboundStore } from '../../shared/adapters/dynamodb/inbound-store.js';
import { LOCAL } from '../support/peers.js';
import { startPeers, type Peers } from '../support/peers.js';
import { inboundHarness, linkIn } from '../support/inbound.js';
import { mime } from '../support/mail.js';
import { hashToken } from '../../shared/domain/tokens.js';

let peers: Peers;
beforeAll(async () => {
  peers = await startPeers();
});
afterAll(async () => {
  await peers.stop();
});

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
  it('creates customer, ticket, article and token for a new sender and mails the link, within 5 DynamoDB requests', async () => {
    // Prepare
    const h = inboundHarness(peers);
    const sender = `Alice@${domain}`;
    const raw = await mime({ from: `Alice <${sender}>`, subject: 'Printer is on fire', text: 'Help!', messageId: `<m1@${domain}>` });

    // Act
    const outcome = await h.deliver(id('new'), raw);

    // Assert
    expect(outcome).toBe('replied');
    expect(h.requests.total).toBeLessThanOrEqual(5);
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
    expect(tickets[0]?.activeTokenHash).toBe(hashToken(link.token));
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
    await peers.docClient().send(
      new UpdateCommand({ TableName: peers.table, Key: { pk: `TICKET#${first.ticketNumber}`, sk: 'TICKET' }, UpdateExpression: 'SET #s = :c, closedAt = :t', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':c': 'closed', ':t': '2026-11-20T00:00:00.000Z' } }),
    );

    const outcome = await h.deliver(id('f2'), await mime({ from, subject: `Re: [Ticket#${first.ticketNumber}] Broken`, text: 'still broken' }));

    expect(outcome).toBe('replied');
    const tickets = (await h.entities('ticket')).filter((t) => t.customerLogin === from);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ number: first.ticketNumber, state: 'open' });
    expect(tickets[0]?.closedAt).toBeUndefined();
    const articles = (await h.entities('article')).filter((a) => a.ticketNumber === first.ticketNumber);
    expect(articles.map((a) => a.text)).toEqual([expect.stringContaining('first'), expect.stringContaining('still broken')]);
    const second = linkIn((await outboxTo(from))[1]?.body.text);
    expect(second.ticketNumber).toBe(first.ticketNumber);
    expect(tickets[0]?.activeTokenHash).toBe(hashToken(second.token));
    expect(h.metrics.get('TicketReopened')).toBe(1);
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

  it('records the same Message-ID arriving under a second SES id once', async () => {
    const h = inboundHarness(peers);
    const raw = await mime({ from: `hank@${domain}`, subject: 'twice', text: 'x', messageId: `<same@${domain}>` });
    expect(await h.deliver(id('mid1'), raw)).toBe('replied');
    expect(await h.deliver(id('mid2'), raw)).toBe('ignored');
    await expectExactlyOneOfEach(h, `hank@${domain}`);
  });

  it('creates one of each when duplicates arrive concurrently', async () => {
    const h = inboundHarness(peers);
    const raw = await mime({ from: `gina@${domain}`, subject: 'race', text: 'x' });
    await peers.putRawMail(`inbound/${id('race')}`, raw);
    const outcomes = await Promise.all([1, 2, 3].map(() => h.deliver(id('race'), raw)));
    expect(outcomes.filter((o) => o === 'replied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
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
    ['virus FAIL', { virus: 'FAIL' }, 'dropped', 'MailDropped'],
    ['spam FAIL', { spam: 'FAIL' }, 'rejected', 'MailRejected'],
    ['DMARC FAIL with reject policy', { dmarc: 'FAIL', dmarcPolicy: 'reject' }, 'rejected', 'MailRejected'],
    ['DMARC FAIL with quarantine policy', { dmarc: 'FAIL', dmarcPolicy: 'quarantine' }, 'rejected', 'MailRejected'],
  ])('creates nothing and sends nothing on %s', async (_label, verdicts, outcome, metric) => {
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

  it('records an Auto-Submitted mail but does not answer it', async () => {
    const h = inboundHarness(peers);
    const sender = `ooo@${domain}`;
    const outcome = await h.deliver(id('auto'), await mime({ from: sender, subject: 'Out of office', text: 'away', headers: { 'Auto-Submitted': 'auto-replied' } }));
    expect(outcome).toBe('recorded');
    expect((await h.entities('ticket')).filter((t) => t.customerLogin === sender)).toHaveLength(1);
    expect(await outboxTo(sender)).toHaveLength(0);
    expect(h.metrics.get('ReplySuppressed')).toBe(1);
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
      { filename: 'bericht.pdf', contentType: 'application/pdf', size: 2048 },
      { filename: 'notiz.txt', contentType: 'text/plain', size: 3 },
    ]);
    const [mail] = await outboxTo(sender);
    expect(mail?.body.text).toContain('Guten Tag'); // Content-Language: de picks German
  });

  it.each([
    ['binary garbage', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['a 600 kB header', () => `From: big@example.org\r\nX-Junk: ${'a'.repeat(600_000)}\r\nSubject: s\r\n\r\nbody\r\n`],
    ['an empty message', () => ''],
  ])('answers hostile MIME (%s) by recording it as ignored, not by failing', async (_label, make) => {
    const h = inboundHarness(peers);
    expect(await h.deliver(id('hostile'), make())).toBe('ignored');
    const [delivery] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('hostile'));
    expect(delivery).toMatchObject({ status: 'ignored' });
    expect(h.metrics.get('MailIgnored')).toBe(1);
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
    await peers.docClient().send(new UpdateCommand({ TableName: peers.table, Key: { pk: `CUSTOMER#${sender}`, sk: 'CUSTOMER' }, UpdateExpression: 'SET disabled = :t', ExpressionAttributeValues: { ':t': true } }));
    expect(await h.deliver(id('d2'), await mime({ from: sender, subject: 'b', text: 'y' }))).toBe('recorded');
    expect(await outboxTo(sender)).toHaveLength(1);
    expect((await h.entities('ticket')).filter((t) => t.customerLogin === sender)).toHaveLength(2);
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

  it('rethrows an SES failure; the retry sends the reply exactly once and duplicates nothing', async () => {
    // Prepare: a second SES client whose sends fail (fault injected), the real one for the retry.
    const h = inboundHarness(peers);
    const failing = new SESClient({ region: 'us-east-1' });
    mockClient(failing).on(SendRawEmailCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const sender = `retry@${domain}`;
    const raw = await mime({ from: sender, subject: 'flaky', text: 'x' });

    // Act
    await expect(h.deliver(id('retry'), raw, {}, h.withMailer(failing))).rejects.toThrow('Rate exceeded');
    const tokensAfterFailure = (await h.entities('token')).filter((t) => t.customerLogin === sender);
    const outcome = await h.deliver(id('retry'), raw);
    const again = await h.deliver(id('retry'), raw);

    // Assert
    expect([outcome, again]).toEqual(['replied', 'duplicate']);
    await expectExactlyOneOfEach(h, sender);
    const [ticket] = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    const { token } = linkIn((await outboxTo(sender))[0]?.body.text);
    expect(ticket?.activeTokenHash).toBe(hashToken(token));
    expect(tokensAfterFailure).toHaveLength(1);
    expect(tokensAfterFailure[0]?.hash).not.toBe(hashToken(token)); // the unsent token is superseded
    expect(tokensAfterFailure[0]?.sentAt).toBeUndefined();
    const sentToken = (await h.entities('token')).find((t) => t.hash === hashToken(token));
    expect(sentToken?.sentAt).toBeDefined();
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
    mock.on(BatchWriteCommand).rejects(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    const sender = `throttled@${domain}`;
    const raw = await mime({ from: sender, subject: 'slow day', text: 'x' });

    // Act
    await expect(h.deliver(id('thr'), raw, {}, { ...h.deps, store: new DynamoInboundStore(flaky, peers.table) })).rejects.toThrow('Throughput exceeded');
    const [claimed] = (await h.entities('delivery')).filter((d) => d.deliveryId === id('thr'));
    const outcome = await h.deliver(id('thr'), raw);

    // Assert
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
    const raw = await mime({ from: sender, subject: 'crash', text: 'x' });
    const { LEASE_MS } = await import('../../shared/use-cases/receive-mail.js');
    await peers.docClient().send(
      new PutCommand({
        TableName: peers.table,
        Item: { pk: `DELIVERY#${id('crash')}`, sk: 'DELIVERY', entity: 'delivery', deliveryId: id('crash'), status: 'processing', leaseUntil: new Date(h.clock.now().getTime() + LEASE_MS).toISOString(), ticketNumber: '20261125999999', newTicket: true, sender, customerLogin: sender, rawMailKey: `inbound/${id('crash')}`, receivedAt: h.clock.now().toISOString() },
      }),
    );

    expect(await h.deliver(id('crash'), raw)).toBe('duplicate'); // lease alive: someone is on it
    h.clock.advance(LEASE_MS + 1);
    expect(await h.deliver(id('crash'), raw)).toBe('replied');

    const tickets = (await h.entities('ticket')).filter((t) => t.customerLogin === sender);
    expect(tickets.map((t) => t.number)).toEqual(['20261125999999']);
    expect(await outboxTo(sender)).toHaveLength(1);
  });
});
