/** receive-mail's decisions with in-memory adapters: races and failures real peers rarely show. */
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../shared/config.js';
import { hashToken } from '../../shared/domain/tokens.js';
import { RetryableError } from '../../shared/errors.js';
import { cryptoRandom } from '../../shared/system.js';
import { MimeMailParser } from '../../shared/adapters/mime/parse-mail.js';
import { deliveryKey } from '../../shared/domain/inbound-classification.js';
import { LEASE_MS } from '../../shared/use-cases/delivery-lease.js';
import { receiveMail, type ReceiveMailDeps } from '../../shared/use-cases/receive-mail.js';
import { FakeClock, RecordingLogger, RecordingMetrics, testCodeKey } from '../support/fakes.js';
import { mime } from '../support/mail.js';
import { MemoryFiles, MemoryMailer, MemoryPublisher, MemoryRawMail, memoryRepositories } from '../support/memory.js';

function setup(configOverride: Record<string, unknown> = {}) {
  const repos = memoryRepositories();
  const mailer = new MemoryMailer();
  const rawMail = new MemoryRawMail();
  const publisher = new MemoryPublisher();
  const clock = new FakeClock();
  const metrics = new RecordingMetrics();
  const files = new MemoryFiles();
  const deps: ReceiveMailDeps = {
    config: parseConfig({ PortalUrl: 'https://portal.example.com', ...configOverride }),
    clock,
    random: cryptoRandom,
    codeKey: testCodeKey(),
    rawMail,
    fileStore: files.store,
    mailParser: new MimeMailParser(),
    mailer,
    publisher,
    logger: new RecordingLogger(),
    metrics,
    ...repos,
  };
  let n = 0;
  const deliver = async (raw: Buffer, deliveryId = `d${++n}`) => {
    rawMail.objects.set(`inbound/${deliveryId}`, raw);
    return receiveMail(deps, { deliveryId, receivedAt: clock.now().toISOString(), rawMailKey: `inbound/${deliveryId}`, verdicts: {} });
  };
  const tokenOf = (i: number) => /\/link\/\d+\/([\w-]{43})/.exec(mailer.sent[i]?.text ?? '')?.[1] ?? '';
  return { world: repos.world, files, mailer, publisher, clock, metrics, deps, deliver, tokenOf };
}

const first = () => mime({ from: 'ann@example.org', subject: 'Help', text: 'x', messageId: '<a1@example.org>' });
const followUp = (n: string) => mime({ from: 'ann@example.org', subject: `Re: [Ticket#${n}] Help`, text: 'y' });

describe('receive-mail (use case)', () => {
  it('records the token it mailed as sent and makes it the ticket’s active token', async () => {
    const s = setup();
    expect(await s.deliver(await first())).toBe('replied');
    const [ticket] = s.world.tickets.values();
    expect(ticket?.activeToken?.hash).toBe(hashToken(s.tokenOf(0)));
    expect([...s.world.tokens.values()].map((t) => [t.hash, t.sentAt])).toEqual([[hashToken(s.tokenOf(0)), s.clock.now().toISOString()]]);
  });

  it('stores each attachment’s bytes in an object of its own, names it on the article, and again to the same keys on a retry', async () => {
    // Prepare
    const s = setup();
    const pdf = Buffer.from('%PDF-1.4\n' + 'x'.repeat(5000));
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]);
    const raw = await mime({ from: 'ann@example.org', subject: 'Files', text: 'See attached.', attachments: [{ filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' }, { filename: 'shot.png', content: png, contentType: 'image/png' }] });

    // Act
    expect(await s.deliver(raw, 'files')).toBe('replied');

    // Assert
    const [article] = [...s.world.articles.values()].flat();
    const [pdfKey, pngKey] = article?.attachments.map((a) => a.key) ?? [];
    expect(article?.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([['invoice.pdf', 'application/pdf', pdf.length], ['shot.png', 'image/png', png.length]]);
    expect(Buffer.from(s.files.objects.get(pdfKey!)!.bytes)).toEqual(pdf);
    expect(Buffer.from(s.files.objects.get(pngKey!)!.bytes)).toEqual(png);
    expect(s.files.objects.get(pngKey!)?.contentType).toBe('image/png');
    expect(s.metrics.get('AttachmentsStored')).toBe(2);
  });

  it('stores nothing and writes nothing when storing a file fails: the delivery is left for the retry', async () => {
    // Prepare
    const s = setup();
    s.deps.fileStore = { put: async () => Promise.reject(new RetryableError('S3 unavailable')) };
    const raw = await mime({ from: 'ann@example.org', subject: 'Files', text: 'x', attachments: [{ filename: 'a.bin', content: Buffer.alloc(200_000, 1) }] });

    // Act / Assert
    await expect(s.deliver(raw, 'no-s3')).rejects.toThrow('S3 unavailable');
    expect(s.world.articles.size).toBe(0);
    expect(s.mailer.sent).toHaveLength(0);
    const held = [...s.world.deliveries.values()].find((d) => d.deliveryId === 'no-s3');
    expect(held?.status).toBe('processing');
    expect(held?.leaseUntil).toBeUndefined(); // given back: Lambda's retry takes it over at once
  });

  it('re-reads the ticket when another writer moved its active token, then supersedes that one', async () => {
    const s = setup();
    await s.deliver(await first());
    const [ticket] = s.world.tickets.values();
    s.world.interfere = () => {
      s.world.interfere = undefined;
      ticket!.activeToken = { ...ticket!.activeToken!, hash: 'moved-by-someone-else' };
    };
    expect(await s.deliver(await followUp(ticket!.number))).toBe('replied');
    expect(s.world.tickets.get(ticket!.number)?.activeToken?.hash).toBe(hashToken(s.tokenOf(1)));
  });

  it('gives up with a retryable error when the ticket keeps changing, and releases its claim', async () => {
    const s = setup();
    await s.deliver(await first());
    const [ticket] = s.world.tickets.values();
    let moves = 0;
    s.world.interfere = () => void (ticket!.activeToken = { ...ticket!.activeToken!, hash: `moved-${++moves}` });
    const raw = await followUp(ticket!.number);
    await expect(s.deliver(raw, 'busy')).rejects.toBeInstanceOf(RetryableError);
    const busy = [...s.world.deliveries.values()].find((d) => d.deliveryId === 'busy');
    expect(busy).toMatchObject({ status: 'processing' });
    expect(busy?.leaseUntil).toBeUndefined();
    expect(s.mailer.sent).toHaveLength(1);
  });

  it('resumes a reply after a send failure, winning a token race on the way', async () => {
    const s = setup();
    s.mailer.failures = 1;
    const raw = await first();
    await expect(s.deliver(raw, 'flaky')).rejects.toThrow('SES unavailable');
    s.world.interfere = (op) => {
      if (op !== 'ticket.update') return;
      s.world.interfere = undefined;
      const [t] = s.world.tickets.values();
      t!.activeToken = { ...t!.activeToken!, hash: 'raced' };
    };
    expect(await s.deliver(raw, 'flaky')).toBe('replied');
    expect(s.mailer.sent).toHaveLength(1);
    const [ticket] = s.world.tickets.values();
    expect(ticket?.activeToken?.hash).toBe(hashToken(s.tokenOf(0)));
    expect([...s.world.deliveries.values()][0]?.status).toBe('replied');
  });

  it('leaves a delivery another invocation holds alone, whatever its status', async () => {
    const s = setup();
    const leaseUntil = new Date(s.clock.now().getTime() + LEASE_MS).toISOString();
    for (const status of ['processing', 'reply-pending'] as const) {
      const raw = await mime({ from: 'ann@example.org', subject: 'held', text: 'x', messageId: `<held-${status}@example.org>` });
      const key = deliveryKey('ann@example.org', `held-${status}@example.org`, `held-${status}`);
      s.world.deliveries.set(key, { key, deliveryId: `held-${status}`, status, leaseUntil, ticketNumber: '1', customerLogin: 'ann@example.org', rawMailKey: 'k', receivedAt: s.clock.now().toISOString() });
      expect(await s.deliver(raw, `held-${status}`)).toBe('in-flight');
    }
    expect(s.mailer.sent).toHaveLength(0);
    expect(s.metrics.get('MailInFlight')).toBe(2);
  });

  it('reopens a pending ticket on a follow-up, but starts a new ticket for a merged one', async () => {
    const s = setup();
    await s.deliver(await first());
    const [ticket] = s.world.tickets.values();
    ticket!.state = 'pending';
    await s.deliver(await followUp(ticket!.number));
    expect(s.world.tickets.get(ticket!.number)?.state).toBe('open');
    ticket!.state = 'merged';
    await s.deliver(await followUp(ticket!.number));
    expect(s.world.tickets.size).toBe(2);
  });

  it('trusts X-OTOBO-CustomerUser only with spoof protection off, and still mails that customer’s own address', async () => {
    const s = setup({ CustomerHeaderSpoofProtection: false });
    s.world.customers.set('boss@example.org', { login: 'boss@example.org', customerId: 'boss@example.org', email: 'boss@example.org', language: 'en', disabled: false, source: 'ops', failedLogins: 0, createdAt: '2026-01-01T00:00:00.000Z' });
    await s.deliver(await mime({ from: 'assistant@example.org', subject: 'for my boss', text: 'x', headers: { 'X-OTOBO-CustomerUser': 'Boss@Example.org' } }));
    expect(s.mailer.sent.map((m) => m.to)).toEqual(['boss@example.org']);
    expect([...s.world.tickets.values()][0]?.customerLogin).toBe('boss@example.org');
  });

  it('keeps an event the bus did not take in the outbox, and removes the ones it took', async () => {
    const s = setup();
    s.publisher.failing = true;
    await s.deliver(await first());
    expect([...s.world.outbox.values()].map((e) => e.type)).toEqual(['TicketCreated']);
    expect(s.metrics.get('EventPublishFailed')).toBe(1);
    s.publisher.failing = false;
    const [ticket] = s.world.tickets.values();
    await s.deliver(await followUp(ticket!.number));
    expect([...s.world.outbox.values()].map((e) => e.type)).toEqual(['TicketCreated']);
    expect(s.publisher.published.map((e) => e.type)).toEqual(['CustomerReplied']);
  });
});
