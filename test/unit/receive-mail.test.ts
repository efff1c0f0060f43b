/** receive-mail's decisions with in-memory adapters: races and failures real peers rarely show. */
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../shared/config.js';
import { hashToken } from '../../shared/domain/tokens.js';
import { RetryableError } from '../../shared/errors.js';
import { cryptoRandom } from '../../shared/system.js';
import { LEASE_MS, receiveMail, type ReceiveMailDeps } from '../../shared/use-cases/receive-mail.js';
import { FakeClock, RecordingLogger, RecordingMetrics } from '../support/fakes.js';
import { mime } from '../support/mail.js';
import { MemoryInboundStore, MemoryMailer, MemoryRawMail } from '../support/memory.js';

function setup(configOverride: Record<string, unknown> = {}) {
  const store = new MemoryInboundStore();
  const mailer = new MemoryMailer();
  const rawMail = new MemoryRawMail();
  const clock = new FakeClock();
  const metrics = new RecordingMetrics();
  const deps: ReceiveMailDeps = {
    config: parseConfig({ PortalUrl: 'https://portal.example.com', ...configOverride }),
    clock,
    random: cryptoRandom,
    rawMail,
    store,
    mailer,
    logger: new RecordingLogger(),
    metrics,
  };
  let n = 0;
  const deliver = async (raw: Buffer, deliveryId = `d${++n}`) => {
    rawMail.objects.set(`inbound/${deliveryId}`, raw);
    return receiveMail(deps, { deliveryId, receivedAt: clock.now().toISOString(), rawMailKey: `inbound/${deliveryId}`, verdicts: {} });
  };
  const tokenOf = (i: number) => /\/link\/\d+\/([\w-]{43})/.exec(mailer.sent[i]?.text ?? '')?.[1] ?? '';
  return { store, mailer, clock, metrics, deps, deliver, tokenOf };
}

const first = () => mime({ from: 'ann@example.org', subject: 'Help', text: 'x', messageId: '<a1@example.org>' });
const followUp = (n: string) => mime({ from: 'ann@example.org', subject: `Re: [Ticket#${n}] Help`, text: 'y' });

describe('receive-mail (use case)', () => {
  it('marks the token it mailed as sent and makes it the ticket’s active token', async () => {
    const s = setup();
    expect(await s.deliver(await first())).toBe('replied');
    const [ticket] = s.store.tickets.values();
    expect(ticket?.activeTokenHash).toBe(hashToken(s.tokenOf(0)));
    expect(s.store.tokens.get(ticket?.activeTokenHash ?? '')?.sentAt).toBe(s.clock.now().toISOString());
  });

  it('re-reads the ticket when another writer moved its active token, then supersedes that one', async () => {
    const s = setup();
    await s.deliver(await first());
    const [ticket] = s.store.tickets.values();
    s.store.interfere = () => {
      s.store.interfere = undefined;
      ticket!.activeTokenHash = 'moved-by-someone-else';
    };
    expect(await s.deliver(await followUp(ticket!.number))).toBe('replied');
    expect(s.store.tickets.get(ticket!.number)?.activeTokenHash).toBe(hashToken(s.tokenOf(1)));
  });

  it('gives up with a retryable error when the ticket keeps changing, and releases its claim', async () => {
    const s = setup();
    await s.deliver(await first());
    const [ticket] = s.store.tickets.values();
    let moves = 0;
    s.store.interfere = () => void (ticket!.activeTokenHash = `moved-${++moves}`);
    await expect(s.deliver(await followUp(ticket!.number), 'busy')).rejects.toBeInstanceOf(RetryableError);
    expect(s.store.deliveries.get('busy')).toMatchObject({ status: 'processing' });
    expect(s.store.deliveries.get('busy')?.leaseUntil).toBeUndefined();
    expect(s.mailer.sent).toHaveLength(1);
  });

  it('resumes a reply after a send failure, winning a token race on the way', async () => {
    const s = setup();
    s.mailer.failures = 1;
    const raw = await first();
    await expect(s.deliver(raw, 'flaky')).rejects.toThrow('SES unavailable');
    s.store.interfere = (op) => {
      if (op !== 'activateToken') return;
      s.store.interfere = undefined;
      const [t] = s.store.tickets.values();
      t!.activeTokenHash = 'raced';
    };
    expect(await s.deliver(raw, 'flaky')).toBe('replied');
    expect(s.mailer.sent).toHaveLength(1);
    const [ticket] = s.store.tickets.values();
    expect(ticket?.activeTokenHash).toBe(hashToken(s.tokenOf(0)));
    expect(s.store.deliveries.get('flaky')?.status).toBe('replied');
  });

  it('leaves a delivery another invocation holds alone, whatever its status', async () => {
    const s = setup();
    const leaseUntil = new Date(s.clock.now().getTime() + LEASE_MS).toISOString();
    for (const status of ['processing', 'reply-pending'] as const) {
      s.store.deliveries.set(`held-${status}`, { deliveryId: `held-${status}`, status, leaseUntil, ticketNumber: '1', customerLogin: 'ann@example.org', rawMailKey: 'k', receivedAt: s.clock.now().toISOString() });
      expect(await s.deliver(await first(), `held-${status}`)).toBe('duplicate');
    }
    expect(s.mailer.sent).toHaveLength(0);
    expect(s.metrics.get('MailInFlight')).toBe(2);
  });

  it('reopens a pending ticket on a follow-up (closed: see integration), but starts a new ticket for a merged one', async () => {
    const s = setup();
    await s.deliver(await first());
    const [ticket] = s.store.tickets.values();
    ticket!.state = 'pending';
    await s.deliver(await followUp(ticket!.number));
    expect(s.store.tickets.get(ticket!.number)?.state).toBe('open');
    ticket!.state = 'merged';
    await s.deliver(await followUp(ticket!.number));
    expect(s.store.tickets.size).toBe(2);
  });

  it('trusts X-OTOBO-CustomerUser only with spoof protection off, and still mails that customer’s own address', async () => {
    const s = setup({ CustomerHeaderSpoofProtection: false });
    s.store.customers.set('boss@example.org', { login: 'boss@example.org', customerId: 'boss@example.org', email: 'boss@example.org', language: 'en', disabled: false, source: 'ops', failedLogins: 0, createdAt: '2026-01-01T00:00:00.000Z' });
    await s.deliver(await mime({ from: 'assistant@example.org', subject: 'for my boss', text: 'x', headers: { 'X-OTOBO-CustomerUser': 'Boss@Example.org' } }));
    expect(s.mailer.sent.map((m) => m.to)).toEqual(['boss@example.org']);
    expect([...s.store.tickets.values()][0]?.customerLogin).toBe('boss@example.org');
  });

  it('truncates very long text in the article and says so', async () => {
    const s = setup({ ArticleTextMaxChars: 1000 });
    await s.deliver(await mime({ from: 'long@example.org', subject: 'long', text: 'x'.repeat(5000) }));
    expect(s.store.articles[0]).toMatchObject({ textTruncated: true });
    expect(s.store.articles[0]?.text).toHaveLength(1000);
  });
});
