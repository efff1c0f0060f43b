/**
 * receive-mail: one SES delivery → at most one customer, one article and one auto-reply.
 *
 *  1. Verdicts: virus → dropped; spam / DMARC (/ SPF / DKIM) per config → rejected. Recorded.
 *  2. Raw MIME streamed from S3 and parsed (MailParser port) within bounded memory. Sender = the
 *     single From mailbox, lower-cased, its domain in IDNA form.
 *  3. Never answered, nothing created: reports and null reverse-paths (backscatter), automated
 *     senders and our own addresses; bulk and auto-submitted mail from someone who is not a customer.
 *  4. The dedup key: the same mail under another SES id (one mail to two of our addresses) has the
 *     same key as its first copy, so the copies meet on one delivery item.
 *  5. One batched read: the delivery, the customer, the ticket named in the subject, the Message-IDs
 *     the mail refers to. A delivery seen before is settled (a duplicate, in flight elsewhere, a
 *     claim whose invocation died, or a reply that never went out).
 *  6. A follow-up of one of the sender's own tickets within its window, or a new ticket number.
 *  7. The delivery is claimed with a lease (the commit point: of concurrent copies one wins).
 *  8. Customer found or created; a reply is due unless the customer is disabled, the mail is a
 *     loop, or the sender's daily cap is reached (taken atomically, per delivery).
 *  9. Ticket (with its new link's pointer), article, Message-ID index, outbox events and the
 *     settled delivery are written with keys derived from the delivery; the events are published.
 * 10. The auto-reply goes to the customer's own address (issue-link); the delivery is marked
 *     replied in the same batch as the token. Failures give the lease back and are rethrown, so
 *     Lambda's retry resumes; so does running short of time.
 */
import { createHash } from 'node:crypto';
import { pickLanguage } from '../config.js';
import type { Customer, Delivery, OutboundEvent, Ticket, TrailEntry } from '../domain/model.js';
import { backscatterReason, checkSender, isAutomatedSender, loopReason, normalizeAddress, ticketNumberFromSubject, titleFromSubject, utcDay } from '../domain/mail-rules.js';
import { isAccessible, isClosed, planTransition, windowStart } from '../domain/ticket-lifecycle.js';
import { judgeVerdicts, type ReceiptVerdicts } from '../domain/verdicts.js';
import { NotFoundError, RetryableError } from '../errors.js';
import type { DeliveryRepository, InboundSnapshot, InboundStore } from '../ports/deliveries.js';
import type { EventPublisher, Outbox } from '../ports/events.js';
import type { RateLimiter } from '../ports/limits.js';
import type { RawMailStore } from '../ports/mail.js';
import { MalformedMailError, type MailParser, type ParsedMail } from '../ports/mail-parser.js';
import type { CustomerRepository } from '../ports/customers.js';
import { deliverLink, issueLink, mintLink, type LinkDeps, type LinkMail, type RecordSent } from './issue-link.js';
import { holdingLease, isLeaseLive, leaseUntil, type Step } from './lease.js';
import { customerRepliedEvent, publishEvents, ticketCreatedEvent, ticketReopenedEvent } from './publish-events.js';

export interface ReceiveMailDeps extends LinkDeps {
  rawMail: RawMailStore;
  mailParser: MailParser;
  inbound: InboundStore;
  deliveries: DeliveryRepository;
  customers: Pick<CustomerRepository, 'get'>;
  limits: RateLimiter;
  publisher: EventPublisher;
  outbox: Pick<Outbox, 'remove'>;
}

export interface IncomingDelivery {
  /** SES messageId: identical on every redelivery of the same copy. */
  deliveryId: string;
  /** SES receipt time: stable across redeliveries, so derived keys are too. */
  receivedAt: string;
  rawMailKey: string;
  verdicts: ReceiptVerdicts;
  /** The SMTP envelope sender (SES `mail.source`); empty for a null reverse-path. */
  envelopeSender?: string;
  /** Milliseconds left in this invocation (Lambda's getRemainingTimeInMillis). */
  remainingMs?: () => number;
}

/** `in-flight`: another invocation holds the mail's lease; if it fails, its own retry finishes the work. */
export type ReceiveOutcome = 'dropped' | 'rejected' | 'ignored' | 'duplicate' | 'in-flight' | 'recorded' | 'replied';

const MAX_REFERENCES = 20;
const MAX_UPDATE_ATTEMPTS = 3;
const DAY_MS = 86_400_000;
/**
 * How long a claim protects an invocation. Longer than the function timeout (30 s), so a live
 * invocation never loses its claim; shorter than Lambda's first async retry (about 1 min), so the
 * retry of a crashed invocation can take over. Failures and time running out release it at once.
 */
export const LEASE_MS = 45_000;
const SPOOFABLE_HEADERS = ['x-otobo-customeruser', 'x-otobo-customerno', 'x-otrs-customeruser', 'x-otrs-customerno'];

export async function receiveMail(deps: ReceiveMailDeps, incoming: IncomingDelivery): Promise<ReceiveOutcome> {
  const { config, clock, logger, metrics } = deps;
  const sesKey = `ses:${incoming.deliveryId}`;
  const base = (key: string): Delivery => ({ key, deliveryId: incoming.deliveryId, status: 'ignored', rawMailKey: incoming.rawMailKey, receivedAt: incoming.receivedAt });

  const record = async (status: 'dropped' | 'rejected' | 'ignored', reason: string, sender?: string, key = sesKey) => {
    if (!(await deps.deliveries.record({ ...base(key), status, reason, sender }, config.InboundDedupDays))) return duplicate(deps, status);
    logger.info('Mail not processed', { status, reason });
    metrics.count(status === 'dropped' ? 'MailDropped' : status === 'rejected' ? 'MailRejected' : 'MailIgnored');
    return status;
  };

  const verdict = judgeVerdicts(incoming.verdicts, config.Verdicts);
  if (verdict.action !== 'accept') return record(verdict.action === 'drop' ? 'dropped' : 'rejected', verdict.reason);

  let mail: ParsedMail;
  try {
    mail = await deps.mailParser.parse(await deps.rawMail.open(incoming.rawMailKey), { textMaxBytes: config.ArticleTextMaxBytes, maxAttachments: 100, nameMaxChars: 255 });
  } catch (e) {
    if (e instanceof MalformedMailError) return record('ignored', 'malformed-mime');
    throw e;
  }

  const backscatter = backscatterReason({ reportType: mail.reportType, envelopeSender: incoming.envelopeSender, returnPath: mail.header('return-path') });
  if (backscatter) return record('ignored', backscatter);
  if (mail.fromAmbiguous) return record('ignored', 'from-missing-or-ambiguous');
  const checked = checkSender(mail.fromAddress);
  if ('reason' in checked) return record('ignored', checked.reason);
  const sender = checked.address;
  if (isAutomatedSender(sender, [config.SupportAddress, ...config.OwnAddresses])) return record('ignored', 'automated-sender', sender);
  const customerLogin = customerLoginFor(deps, mail, sender);
  const key = deliveryKey(sender, mail.messageId, incoming.deliveryId);

  const now = clock.now();
  const snapshot = await deps.inbound.load({
    deliveryKey: key,
    customerLogin,
    subjectTicketNumber: ticketNumberFromSubject(mail.subject),
    referencedMessageIds: [...mail.inReplyTo, ...[...mail.references].reverse()].slice(0, MAX_REFERENCES),
    inboundMessageId: mail.messageId,
  });
  const earlier = snapshot.delivery;
  const ownEarlier = earlier?.deliveryId === incoming.deliveryId;
  const takeover = ownEarlier && earlier?.status === 'processing' && !isLeaseLive(earlier.leaseUntil, now);
  if (earlier && !takeover) return meetExisting(deps, earlier, incoming);
  if (!earlier && snapshot.knownMessage?.customerLogin === customerLogin) return record('ignored', 'duplicate-message-id', sender, key);

  const loop = loopReason({
    autoSubmitted: mail.header('auto-submitted'),
    precedence: mail.header('precedence'),
    listId: mail.header('list-id'),
    listUnsubscribe: mail.header('list-unsubscribe'),
    autoResponseSuppress: mail.header('x-auto-response-suppress'),
  });
  // Bulk and auto-submitted mail never creates a customer; from a customer it is kept, unanswered.
  if (loop && !snapshot.customer && !earlier) return record('ignored', `no-customer:${loop}`, sender, key);

  // A taken-over delivery keeps the ticket number it claimed, so a retry never opens a second ticket.
  let followUp: Ticket | undefined;
  if (earlier?.ticketNumber) followUp = earlier.newTicket ? undefined : await deps.tickets.get(earlier.ticketNumber);
  else followUp = await findFollowUpTicket(deps, snapshot, customerLogin, now);
  const ticketNumber = earlier?.ticketNumber ?? followUp?.number ?? (await deps.tickets.nextNumber(now));

  const claimed: Delivery = {
    ...base(key),
    status: 'processing',
    leaseUntil: leaseUntil(now, LEASE_MS),
    sender,
    customerLogin,
    ticketNumber,
    newTicket: !followUp,
    inboundMessageId: mail.messageId,
    references: mail.references.slice(-MAX_REFERENCES),
  };
  const claim = await deps.deliveries.claim(claimed, config.InboundDedupDays, takeover ? earlier : undefined);
  if (!claim.claimed) return meetExisting(deps, claim.existing, incoming);
  if (takeover) metrics.count('DeliveryTakenOver');
  return releasingOnFailure(deps, claimed, incoming, (step) => recordMail(deps, { incoming, mail, snapshot, claimed, followUp, loop, step }));
}

/**
 * The same mail (same sender, same Message-ID) always has the same key, whatever SES id it came
 * under; a mail without a Message-ID is known by its SES id alone.
 */
export function deliveryKey(sender: string, messageId: string | undefined, deliveryId: string): string {
  return messageId ? `msg:${createHash('sha256').update(`${sender}\n${messageId}`).digest('base64url')}` : `ses:${deliveryId}`;
}

/** Runs the work of a claim under its lease (lease.ts): given back on failure or when time runs short. */
function releasingOnFailure<T>(deps: ReceiveMailDeps, claimed: Delivery, incoming: IncomingDelivery, work: (step: Step) => Promise<T>): Promise<T> {
  const lease = claimed.leaseUntil ?? '';
  return holdingLease(deps, { release: () => deps.deliveries.release(claimed.key, lease), remainingMs: incoming.remainingMs }, work);
}

function customerLoginFor(deps: ReceiveMailDeps, mail: ParsedMail, sender: string): string {
  const spoofed = SPOOFABLE_HEADERS.filter((h) => mail.header(h) !== undefined);
  if (spoofed.length === 0) return sender;
  if (deps.config.CustomerHeaderSpoofProtection) {
    // The add-on overwrites these headers with the real customer; we never read them at all.
    deps.logger.warn('Customer headers from outside ignored', { headers: spoofed });
    deps.metrics.count('SpoofedHeaderIgnored');
    return sender;
  }
  return normalizeAddress(mail.header('x-otobo-customeruser') ?? mail.header('x-otrs-customeruser')) ?? sender;
}

async function recordMail(
  deps: ReceiveMailDeps,
  r: { incoming: IncomingDelivery; mail: ParsedMail; snapshot: InboundSnapshot; claimed: Delivery; followUp?: Ticket; loop?: string; step: Step },
): Promise<ReceiveOutcome> {
  const { config, clock, metrics, logger } = deps;
  const { mail, snapshot, claimed, followUp, step } = r;
  const sender = claimed.sender ?? '';
  const ticketNumber = claimed.ticketNumber ?? '';
  const now = clock.now();
  const nowIso = now.toISOString();

  // The add-on's convention: login = customer id = email, lower-cased.
  const login = claimed.customerLogin ?? sender;
  const customer: Customer = snapshot.customer ?? {
    login,
    customerId: login,
    email: login,
    language: pickLanguage(config, mail.header('content-language') ?? mail.header('accept-language')),
    disabled: false,
    source: 'mail',
    failedLogins: 0,
    createdAt: nowIso,
  };
  const isNewCustomer = !snapshot.customer;
  let noReplyReason = customer.disabled ? 'customer-disabled' : r.loop;
  if (!noReplyReason) {
    step();
    // Atomic per sender and day, and idempotent per delivery: 100 concurrent mails get exactly the cap.
    const day = utcDay(now);
    const taken = await deps.limits.take(`autoreply#${sender}#${day}`, claimed.key, config.AutoReplyDailyCapPerSender, new Date(Date.parse(`${day}T00:00:00Z`) + 2 * DAY_MS).toISOString());
    if (!taken) noReplyReason = 'daily-cap';
  }
  const minted = noReplyReason ? undefined : mintLink(deps, now, { ticketNumber, customerLogin: customer.login, purpose: 'auto-reply' });

  const title = followUp?.title ?? titleFromSubject(mail.subject);
  let reopened = false;
  if (followUp) {
    step();
    reopened = await updateFollowUp(deps, followUp, customer.login, minted?.active, mail.messageId, now);
  }

  const article = {
    ticketNumber,
    // Derived from the delivery, so a retried write lands on the same item.
    articleId: `${r.incoming.receivedAt}#${createHash('sha256').update(claimed.key).digest('hex').slice(0, 16)}`,
    direction: 'inbound' as const,
    channel: 'mail' as const,
    fromAddress: sender,
    fromName: mail.fromName,
    subject: mail.subject.slice(0, 998),
    text: mail.text,
    textTruncated: mail.textTruncated,
    attachments: mail.attachments,
    ...(mail.attachmentsOmitted ? { attachmentsOmitted: mail.attachmentsOmitted } : {}),
    rawMailKey: r.incoming.rawMailKey,
    messageId: mail.messageId,
    createdAt: r.incoming.receivedAt,
  };
  const newTicket: Ticket | undefined = followUp
    ? undefined
    : {
        number: ticketNumber,
        customerLogin: customer.login,
        title,
        state: 'new',
        createdAt: nowIso,
        updatedAt: nowIso,
        autoCreatedCustomer: isNewCustomer,
        language: customer.language,
        ...(minted ? { activeToken: minted.active } : {}),
        ...(mail.messageId ? { firstMessageId: mail.messageId, lastMessageId: mail.messageId } : {}),
      };
  // Event ids derive from the delivery: a retry rewrites the same outbox records.
  const events: OutboundEvent[] = followUp
    ? [customerRepliedEvent(`${claimed.key}:replied`, followUp, customer, article, nowIso), ...(reopened ? [ticketReopenedEvent(`${claimed.key}:reopened`, followUp, customer, 'mail', nowIso)] : [])]
    : newTicket
      ? [ticketCreatedEvent(`${claimed.key}:created`, newTicket, customer, article, nowIso)]
      : [];
  // A pending reply keeps the lease: a concurrent duplicate must not send it a second time.
  const settled: Delivery = { ...claimed, status: minted ? 'reply-pending' : 'recorded', reason: noReplyReason, leaseUntil: minted ? claimed.leaseUntil : undefined };
  step();
  await deps.inbound.writeRecords(
    {
      delivery: settled,
      newCustomer: isNewCustomer ? customer : undefined,
      newTicket,
      article,
      indexMessageId: mail.messageId && !snapshot.knownMessage ? mail.messageId : undefined,
    },
    config.InboundDedupDays,
    { events },
  );
  const published = await publishEvents(deps, events);

  if (isNewCustomer) metrics.count('CustomerCreated');
  metrics.count(followUp ? 'FollowUpRecorded' : 'TicketCreated');
  logger.info('Mail recorded', { ticketNumber, followUp: Boolean(followUp), newCustomer: isNewCustomer, noReplyReason });
  if (!minted) {
    if (published.length) await deps.outbox.remove(published);
    metrics.count('ReplySuppressed');
    return 'recorded';
  }
  step();
  const outcome = await deliverLink(deps, { minted, ticket: { number: ticketNumber, title }, customer, mail: autoReplyMail(settled), recordSent: markReplied(deps, settled, published) });
  if (!outcome.issued) throw failedReply(outcome);
  metrics.count('MailReplied');
  return 'replied';
}

/**
 * Adds the follow-up to the ticket in one conditional update: reopens it when closed or pending,
 * makes the new token the active one, remembers the Message-ID for threading. Re-plans when
 * another writer changed the ticket meanwhile. Resolves with whether the ticket was reopened.
 */
async function updateFollowUp(deps: ReceiveMailDeps, ticket: Ticket, login: string, token: Ticket['activeToken'], messageId: string | undefined, now: Date): Promise<boolean> {
  let current: Ticket | undefined = ticket;
  for (let attempt = 1; current && attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
    const reopen = isClosed(current.state) || current.state === 'pending';
    const plan = reopen ? planTransition(current, 'open', now, deps.config) : undefined;
    const result = await deps.tickets.update(
      current.number,
      { ...(plan ? { change: plan.change } : {}), ...(token ? { activeToken: token } : {}), ...(messageId ? { lastMessageId: messageId } : {}), updatedAt: now.toISOString() },
      {
        customerLogin: login,
        state: current.state,
        // The token moves from the pointer we read; the plan's token expiry was computed from it too.
        ...(token || plan?.change.activeTokenExpiresAt ? { activeTokenHash: current.activeToken?.hash ?? null } : {}),
        notGone: true,
        openOrClosedAfter: windowStart(deps.config, now),
      },
    );
    if (result.updated) {
      if (plan?.reopened) deps.metrics.count('TicketReopened');
      // Reopened without a new link (no reply for this mail): the active one's TTL is restored with its pointer.
      if (!token && current.activeToken && plan?.change.activeTokenExpiresAt) await deps.tokens.setTtl(current.number, current.activeToken.hash, plan.change.activeTokenExpiresAt);
      return plan?.reopened ?? false;
    }
    current = await deps.tickets.get(ticket.number);
  }
  if (!current) throw new NotFoundError(`Follow-up ticket ${ticket.number} no longer exists`);
  throw new RetryableError('Follow-up ticket kept changing under us');
}

/** A follow-up belongs to the sender's own ticket, still within its window; otherwise a new ticket starts. */
async function findFollowUpTicket(deps: ReceiveMailDeps, snapshot: InboundSnapshot, login: string, now: Date): Promise<Ticket | undefined> {
  const usable = (t: Ticket | undefined) => t && t.customerLogin === login && isAccessible(t, deps.config, now);
  if (usable(snapshot.subjectTicket)) return snapshot.subjectTicket;
  const ref = snapshot.threadRefs.find((t) => t.customerLogin === login && t.ticketNumber !== snapshot.subjectTicket?.number);
  if (!ref) return undefined;
  const ticket = await deps.tickets.get(ref.ticketNumber);
  return usable(ticket) ? ticket : undefined;
}

function duplicate(deps: ReceiveMailDeps, status: string): 'duplicate' {
  deps.metrics.count('MailDuplicate');
  deps.logger.info('Duplicate delivery', { status });
  return 'duplicate';
}

function autoReplyMail(delivery: Delivery): LinkMail {
  const inReplyTo = delivery.inboundMessageId;
  const references = delivery.references ?? [];
  return { template: 'AutoReply', inReplyTo, references: inReplyTo ? [...references, inReplyTo].slice(-MAX_REFERENCES) : references };
}

/** The reply went out: delivery replied, token sent, SES's Message-ID indexed, published events out of the outbox — one batch. */
function markReplied(deps: ReceiveMailDeps, delivery: Delivery, published: Pick<OutboundEvent, 'eventId' | 'at'>[]): RecordSent {
  return async (token, providerMessageId, trail: TrailEntry[]) => {
    const replied: Delivery = { ...delivery, status: 'replied', leaseUntil: undefined, repliedAt: token.sentAt, providerMessageId };
    await deps.inbound.settle(replied, token, deps.config.InboundDedupDays, { trail, published });
  };
}

function failedReply(outcome: { reason: string; error?: Error }): Error {
  // Rethrown so Lambda retries; the retry resumes the reply-pending delivery with a fresh token.
  return outcome.error ?? new RetryableError(`Auto-reply not issued: ${outcome.reason}`);
}

/**
 * The mail's delivery exists already. Under another SES id it is a further copy of the same mail
 * (one mail to two of our addresses): noted on the delivery, so ops tools see its raw mail handled.
 * Under this SES id it is a redelivery, settled below.
 */
async function meetExisting(deps: ReceiveMailDeps, existing: Delivery, incoming: IncomingDelivery): Promise<ReceiveOutcome> {
  if (existing.deliveryId === incoming.deliveryId) return settleExisting(deps, existing, incoming);
  await deps.deliveries.addCopy(existing.key, incoming.deliveryId);
  deps.logger.info('Copy of a mail that arrived under another SES id', { reason: 'duplicate-message-id' });
  return duplicate(deps, existing.status);
}

/** A delivery seen before: nothing is created again; only a reply that never went out is redone. */
async function settleExisting(deps: ReceiveMailDeps, delivery: Delivery, incoming: IncomingDelivery): Promise<ReceiveOutcome> {
  const { clock, config, metrics, logger } = deps;
  const now = clock.now();
  if (isLeaseLive(delivery.leaseUntil, now)) {
    // Another invocation holds it; if that one fails, its own retry finishes the work.
    metrics.count('MailInFlight');
    logger.info('Delivery in flight elsewhere', { status: delivery.status, leaseUntil: delivery.leaseUntil });
    return 'in-flight';
  }
  if (delivery.status !== 'reply-pending' || !delivery.ticketNumber || !delivery.customerLogin) return duplicate(deps, delivery.status);
  const resumed: Delivery = { ...delivery, leaseUntil: leaseUntil(now, LEASE_MS) };
  const claim = await deps.deliveries.claim(resumed, config.InboundDedupDays, delivery);
  if (!claim.claimed) return duplicate(deps, claim.existing.status);
  return releasingOnFailure(deps, resumed, incoming, async (step) => {
    const [ticket, customer] = await Promise.all([deps.tickets.get(resumed.ticketNumber ?? ''), deps.customers.get(resumed.customerLogin ?? '')]);
    if (!ticket || !customer) throw new RetryableError('Ticket or customer of a pending reply not readable');
    logger.info('Resuming a reply that was not sent', { ticketNumber: ticket.number });
    metrics.count('ReplyResumed');
    step();
    // The token of the failed attempt never left its process: a fresh one supersedes it.
    const outcome = await issueLink(deps, { ticket, customer, purpose: 'auto-reply', mail: autoReplyMail(resumed), recordSent: markReplied(deps, resumed, []) });
    if (!outcome.issued) {
      if (outcome.reason === 'mail-failed') throw failedReply(outcome);
      // The ticket closed or the customer was disabled meanwhile: nothing to answer any more.
      await deps.inbound.settle({ ...resumed, status: 'recorded', reason: `reply-dropped:${outcome.reason}`, leaseUntil: undefined }, undefined, config.InboundDedupDays);
      return 'recorded' as const;
    }
    metrics.count('MailReplied');
    return 'replied' as const;
  });
}
