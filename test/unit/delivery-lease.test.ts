/**
 * The lease/commit state machine (docs/data-model.md draws it) on the in-memory fakes, which the
 * contract suite keeps equal to the DynamoDB adapters: claim, take over a stale claim, release on
 * failure or when time runs short, resume an unsent reply; and the same lease on the helpdesk-event path.
 */
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../shared/config.js';
import type { Customer, Delivery, Ticket } from '../../shared/domain/model.js';
import { OutOfTimeError } from '../../shared/errors.js';
import { MimeMailParser } from '../../shared/adapters/mime/parse-mail.js';
import { cryptoRandom } from '../../shared/system.js';
import { applyHelpdeskEvent } from '../../shared/use-cases/apply-helpdesk-event.js';
import { claimDelivery, holdDelivery, LEASE_MS, meetExisting, newLease, nextStep } from '../../shared/use-cases/delivery-lease.js';
import { TIME_MARGIN_MS } from '../../shared/use-cases/lease.js';
import type { IncomingDelivery, ReceiveMailDeps } from '../../shared/use-cases/receive-mail.js';
import { FakeClock, RecordingLogger, RecordingMetrics, testCodeKey } from '../support/fakes.js';
import { MemoryDeliveries, MemoryFiles, MemoryMailer, MemoryPublisher, MemoryRawMail, memoryRepositories } from '../support/memory.js';

const T0 = '2026-11-25T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function setup() {
  const repos = memoryRepositories();
  const clock = new FakeClock(new Date(T0));
  const metrics = new RecordingMetrics();
  const logger = new RecordingLogger();
  const mailer = new MemoryMailer();
  const deps: ReceiveMailDeps = {
    config: parseConfig({ PortalUrl: 'https://portal.example.com' }),
    clock,
    random: cryptoRandom,
    codeKey: testCodeKey(),
    logger,
    metrics,
    mailer,
    rawMail: new MemoryRawMail(),
    fileStore: new MemoryFiles().store,
    mailParser: new MimeMailParser(),
    publisher: new MemoryPublisher(),
    ...repos,
  };
  return { world: repos.world, repos, deps, clock, metrics, logger, mailer };
}

const incoming = (deliveryId = 'ses-1', over: Partial<IncomingDelivery> = {}): IncomingDelivery => ({ deliveryId, receivedAt: T0, rawMailKey: `inbound/${deliveryId}`, verdicts: {}, ...over });
const delivery = (over: Partial<Delivery> = {}): Delivery => ({
  key: 'msg:k1',
  deliveryId: 'ses-1',
  status: 'processing',
  rawMailKey: 'inbound/ses-1',
  receivedAt: T0,
  sender: 'ann@example.org',
  customerLogin: 'ann@example.org',
  ticketNumber: '20261125000001',
  newTicket: true,
  ...over,
});
const ann: Customer = { login: 'ann@example.org', customerId: 'ann@example.org', email: 'ann@example.org', language: 'en', disabled: false, source: 'mail', failedLogins: 0, createdAt: T0 };
const ticket: Ticket = { number: '20261125000001', customerLogin: 'ann@example.org', title: 'Printer', state: 'new', createdAt: T0, updatedAt: T0, autoCreatedCustomer: true };

describe('nextStep: what a delivery item found for this mail asks for', () => {
  it.each([
    ['nothing yet', 'claim', undefined],
    ['the same mail under another SES id, even while held', 'copy', delivery({ deliveryId: 'ses-2', leaseUntil: at(1) })],
    ['a live lease', 'in-flight', delivery({ leaseUntil: at(1) })],
    ['a live lease on a pending reply', 'in-flight', delivery({ status: 'reply-pending', leaseUntil: at(1) })],
    ['a claim whose lease ran out', 'take-over', delivery({ leaseUntil: at(0) })],
    ['a claim given back', 'take-over', delivery()],
    ['a pending reply without a lease', 'resume', delivery({ status: 'reply-pending' })],
    ['a pending reply that names no ticket', 'duplicate', delivery({ status: 'reply-pending', ticketNumber: undefined })],
    ['a replied delivery', 'duplicate', delivery({ status: 'replied' })],
    ['a recorded delivery', 'duplicate', delivery({ status: 'recorded' })],
    ['an ignored mail', 'duplicate', delivery({ status: 'ignored' })],
  ])('%s → %s', (_case, expected, existing) => {
    expect(nextStep(existing, 'ses-1', new Date(T0))).toBe(expected);
  });
});

describe('claim and take over', () => {
  it('claims a new delivery once: the second claimer meets the first one’s item', async () => {
    const s = setup();
    const mine = delivery({ leaseUntil: newLease(s.clock.now()) });

    const first = await claimDelivery(s.deps, mine);
    const second = await claimDelivery(s.deps, { ...mine, deliveryId: 'ses-2' });

    expect(first).toEqual({ claimed: true });
    expect(second).toMatchObject({ claimed: false, existing: { deliveryId: 'ses-1', leaseUntil: at(LEASE_MS) } });
    expect(s.metrics.get('DeliveryTakenOver')).toBe(0);
  });

  it('takes over a stale claim only from the lease it saw: of two takers one wins, counted once', async () => {
    const s = setup();
    const stale = delivery({ leaseUntil: at(-1) });
    s.world.deliveries.set(stale.key, stale);
    s.clock.advance(1);

    const a = await claimDelivery(s.deps, { ...stale, leaseUntil: newLease(s.clock.now()) }, stale);
    const b = await claimDelivery(s.deps, { ...stale, leaseUntil: newLease(s.clock.now()) }, stale);

    expect([a.claimed, b.claimed]).toEqual([true, false]);
    expect(s.metrics.get('DeliveryTakenOver')).toBe(1);
    expect(s.world.deliveries.get(stale.key)?.ticketNumber).toBe('20261125000001');
  });
});

describe('release on failure', () => {
  it('gives the lease back when the work fails and rethrows, so the retry takes over at once', async () => {
    const s = setup();
    const claimed = delivery({ leaseUntil: newLease(s.clock.now()) });
    await claimDelivery(s.deps, claimed);

    const failure = await holdDelivery(s.deps, claimed, incoming(), async () => {
      throw new Error('table unavailable');
    }).catch((e: unknown) => e);

    expect((failure as Error).message).toBe('table unavailable');
    expect(s.world.deliveries.get(claimed.key)?.leaseUntil).toBeUndefined();
    expect(nextStep(s.world.deliveries.get(claimed.key), 'ses-1', s.clock.now())).toBe('take-over');
    expect(s.metrics.get('LeaseReturned')).toBe(0);
  });

  it('gives the lease back before a step when the invocation runs short of time', async () => {
    const s = setup();
    const claimed = delivery({ leaseUntil: newLease(s.clock.now()) });
    await claimDelivery(s.deps, claimed);
    const left = [30_000, TIME_MARGIN_MS - 1];
    const done: string[] = [];

    const failure = await holdDelivery(s.deps, claimed, incoming('ses-1', { remainingMs: () => left.shift() ?? 0 }), async (step) => {
      step();
      done.push('first');
      step();
      done.push('second');
    }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(OutOfTimeError);
    expect(done).toEqual(['first']);
    expect(s.world.deliveries.get(claimed.key)?.leaseUntil).toBeUndefined();
    expect(s.metrics.get('LeaseReturned')).toBe(1);
  });

  it('gives back only its own lease: a taker that replaced it keeps its claim', async () => {
    const s = setup();
    const mine = delivery({ leaseUntil: newLease(s.clock.now()) });
    await claimDelivery(s.deps, mine);
    const theirs = { ...mine, leaseUntil: at(LEASE_MS + 5) };
    s.world.deliveries.set(mine.key, theirs);

    await expect(holdDelivery(s.deps, mine, incoming(), () => Promise.reject(new Error('late failure')))).rejects.toThrow('late failure');

    expect(s.world.deliveries.get(mine.key)?.leaseUntil).toBe(theirs.leaseUntil);
  });

  it('logs a release that fails and still rethrows the work’s own error', async () => {
    const s = setup();
    const deliveries = new (class extends MemoryDeliveries {
      override async release(): Promise<void> {
        throw new Error('release refused');
      }
    })(s.world);
    const claimed = delivery({ leaseUntil: newLease(s.clock.now()) });

    await expect(holdDelivery({ ...s.deps, deliveries }, claimed, incoming(), () => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');

    expect(s.logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'Could not release the lease; it expires by itself', extra: { error: 'Error: release refused' } }));
  });
});

describe('meeting a delivery seen before', () => {
  it('notes a copy under another SES id on the delivery and answers duplicate', async () => {
    const s = setup();
    s.world.deliveries.set('msg:k1', delivery({ status: 'replied' }));

    expect(await meetExisting(s.deps, delivery({ status: 'replied' }), incoming('ses-2'))).toBe('duplicate');

    expect(s.world.deliveries.get('msg:k1')?.copies).toEqual(['ses-2']);
    expect(s.metrics.get('MailDuplicate')).toBe(1);
  });

  it('leaves a delivery another invocation holds alone', async () => {
    const s = setup();
    const held = delivery({ status: 'reply-pending', leaseUntil: at(1) });
    s.world.deliveries.set(held.key, held);

    expect(await meetExisting(s.deps, held, incoming())).toBe('in-flight');

    expect(s.mailer.sent).toHaveLength(0);
    expect(s.metrics.get('MailInFlight')).toBe(1);
  });

  it('resumes a pending reply: leased again, a fresh link mailed, the delivery replied without a lease', async () => {
    const s = setup();
    const pending = delivery({ status: 'reply-pending', inboundMessageId: 'm1@example.org' });
    s.world.deliveries.set(pending.key, pending);
    s.world.customers.set(ann.login, ann);
    s.world.tickets.set(ticket.number, { ...ticket });

    expect(await meetExisting(s.deps, pending, incoming())).toBe('replied');

    expect(s.mailer.sent.map((m) => [m.to, m.inReplyTo])).toEqual([['ann@example.org', 'm1@example.org']]);
    expect(s.world.deliveries.get(pending.key)).toMatchObject({ status: 'replied', leaseUntil: undefined, providerMessageId: 'ses-1' });
    expect(s.metrics.get('ReplyResumed')).toBe(1);
  });

  it('drops a pending reply that is no longer due (the ticket was merged meanwhile)', async () => {
    const s = setup();
    const pending = delivery({ status: 'reply-pending' });
    s.world.deliveries.set(pending.key, pending);
    s.world.customers.set(ann.login, ann);
    s.world.tickets.set(ticket.number, { ...ticket, state: 'merged' });

    expect(await meetExisting(s.deps, pending, incoming())).toBe('recorded');

    expect(s.mailer.sent).toHaveLength(0);
    expect(s.world.deliveries.get(pending.key)).toMatchObject({ status: 'recorded', reason: 'reply-dropped:not-accessible', leaseUntil: undefined });
  });

  it('does not resume a reply another invocation leased after it was read', async () => {
    const s = setup();
    const seen = delivery({ status: 'reply-pending' });
    s.world.deliveries.set(seen.key, { ...seen, leaseUntil: at(LEASE_MS) });
    s.world.customers.set(ann.login, ann);
    s.world.tickets.set(ticket.number, { ...ticket });

    expect(await meetExisting(s.deps, seen, incoming())).toBe('duplicate');

    expect(s.mailer.sent).toHaveLength(0);
  });
});

describe('the same lease on the helpdesk-event path', () => {
  it('gives the event’s lease back on failure, so its redelivery applies it at once; once applied, it is a duplicate', async () => {
    const s = setup();
    s.world.customers.set(ann.login, ann);
    s.world.tickets.set(ticket.number, { ...ticket });
    s.mailer.failures = 1;
    const deps = { ...s.deps, ...s.repos, helpdeskFiles: new MemoryFiles().helpdesk };
    const event = { id: 'ev-1', type: 'LinkRequested' as const, detail: { ticketNumber: ticket.number } };

    await expect(applyHelpdeskEvent(deps, event)).rejects.toThrow('SES unavailable');
    const afterFailure = s.world.ledger.get('ev-1');
    const applied = await applyHelpdeskEvent(deps, event);
    const again = await applyHelpdeskEvent(deps, event);

    expect(afterFailure).toEqual({ status: 'applying' });
    expect(applied).toEqual({ status: 'applied', result: { sentTo: 'ann@example.org' } });
    expect(again).toEqual({ status: 'duplicate' });
    expect(s.mailer.sent).toHaveLength(1);
  });
});
