/**
 * receive-mail: one SES delivery → at most one customer, one article and one auto-reply.
 *
 *  1. Verdicts: virus → dropped; spam / DMARC (/ SPF / DKIM) per config → rejected, before the raw
 *     mail is read. Recorded.
 *  2. The raw MIME is streamed from S3 and parsed (MailParser port) within bounded memory.
 *  3. Classified without I/O (domain/inbound-classification.ts): backscatter, the single From
 *     mailbox, automated senders and our own addresses are recorded as ignored; otherwise the
 *     sender, whose customer it is, its loop markers and its dedup key (copies of one mail to two
 *     of our addresses share it, so they meet on one delivery item).
 *  4. One batched read: the delivery, the customer, the ticket named in the subject, the Message-IDs
 *     the mail refers to.
 *  5. A delivery seen before goes to its state machine (delivery-lease.ts): a duplicate, a copy, in
 *     flight elsewhere, a reply to resume, or a claim whose invocation died (taken over below).
 *     A Message-ID this sender used before, and bulk mail from someone who is not a customer, are
 *     recorded as ignored.
 *  6. A follow-up of one of the sender's own tickets within its window, or a new ticket number.
 *  7. The delivery is claimed with a lease (the commit point: of concurrent copies one wins).
 *  8–10. Under the lease (record-mail.ts): the attachments into objects of their own, customer, daily
 *     cap, records, events, the auto-reply.
 *     Failures give the lease back and are rethrown, so Lambda's retry resumes; so does running
 *     short of time.
 */
import { classifyMail, classifyReceipt, type NotProcessed } from '../domain/inbound-classification.js';
import { ticketNumberFromSubject } from '../domain/mail-rules.js';
import type { ReceiptVerdicts } from '../domain/verdicts.js';
import type { CustomerRepository } from '../ports/customers.js';
import type { DeliveryRepository, InboundStore } from '../ports/deliveries.js';
import type { EventPublisher, Outbox } from '../ports/events.js';
import type { RateLimiter } from '../ports/limits.js';
import type { RawMailStore } from '../ports/mail.js';
import { MalformedMailError, type MailLimits, type MailParser, type ParsedMail } from '../ports/mail-parser.js';
import type { FileStore } from '../ports/files.js';
import { claimDelivery, duplicate, holdDelivery, meetExisting, newLease, nextStep } from './delivery-lease.js';
import { followUpTicket } from './follow-up-ticket.js';
import { claimedDelivery, MAX_REFERENCES, unprocessedDelivery } from './inbound-records.js';
import type { LinkDeps } from './issue-link.js';
import { recordMail } from './record-mail.js';

// The lease's length, for what waits on a lease from outside (the local SMTP listener, the stuck-mail check).
export { LEASE_MS } from './delivery-lease.js';

export interface ReceiveMailDeps extends LinkDeps {
  rawMail: RawMailStore;
  mailParser: MailParser;
  inbound: InboundStore;
  deliveries: DeliveryRepository;
  customers: Pick<CustomerRepository, 'get'>;
  limits: RateLimiter;
  publisher: EventPublisher;
  outbox: Pick<Outbox, 'remove'>;
  /** Where an accepted mail's attachments go, one object each (record-mail.ts). */
  fileStore: FileStore;
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

export async function receiveMail(deps: ReceiveMailDeps, incoming: IncomingDelivery): Promise<ReceiveOutcome> {
  const { config, clock, logger, metrics } = deps;
  const judged = classifyReceipt(incoming.verdicts, config.Verdicts);
  if (judged) return recordNotProcessed(deps, incoming, judged);

  const mail = await readMail(deps, incoming.rawMailKey);
  if (!mail) return recordNotProcessed(deps, incoming, { status: 'ignored', reason: 'malformed-mime' });

  const sorted = classifyMail(mail, incoming, config);
  if (sorted.status !== 'accepted') return recordNotProcessed(deps, incoming, sorted);
  const { key, sender, customerLogin, loop } = sorted;
  if (sorted.ignoredHeaders.length) {
    logger.warn('Customer headers from outside ignored', { headers: sorted.ignoredHeaders });
    metrics.count('SpoofedHeaderIgnored');
  }

  const now = clock.now();
  const snapshot = await deps.inbound.load({
    deliveryKey: key,
    customerLogin,
    subjectTicketNumber: ticketNumberFromSubject(mail.subject),
    referencedMessageIds: [...mail.inReplyTo, ...[...mail.references].reverse()].slice(0, MAX_REFERENCES),
    inboundMessageId: mail.messageId,
  });
  const earlier = snapshot.delivery;
  const next = nextStep(earlier, incoming.deliveryId, now);
  if (earlier && next !== 'take-over') return meetExisting(deps, earlier, incoming);
  if (!earlier && snapshot.knownMessage?.customerLogin === customerLogin) return recordNotProcessed(deps, incoming, { status: 'ignored', reason: 'duplicate-message-id', sender }, key);
  // Bulk and auto-submitted mail never creates a customer; from a customer it is kept, unanswered.
  if (loop && !snapshot.customer && !earlier) return recordNotProcessed(deps, incoming, { status: 'ignored', reason: `no-customer:${loop}`, sender }, key);

  const followUp = await followUpTicket(deps, { earlier, snapshot, login: customerLogin, now });
  const ticketNumber = earlier?.ticketNumber ?? followUp?.number ?? (await deps.tickets.nextNumber(now));
  const claimed = claimedDelivery(incoming, { key, sender, customerLogin, ticketNumber, newTicket: !followUp, leaseUntil: newLease(now), mail });
  const claim = await claimDelivery(deps, claimed, earlier);
  if (!claim.claimed) return meetExisting(deps, claim.existing, incoming);
  return holdDelivery(deps, claimed, incoming, (step) => recordMail(deps, { origin: incoming, mail, snapshot, claimed, followUp, loop }, step));
}

/** What is kept of a mail: its text up to ArticleTextMaxBytes, and up to 100 attachments with names of up to 255 characters. */
export const mailLimits = (config: ReceiveMailDeps['config']): MailLimits => ({ textMaxBytes: config.ArticleTextMaxBytes, maxAttachments: 100, nameMaxChars: 255 });

/** Parsed through the port; undefined for bytes that are not a mail. A missing object is rethrown (retried). */
async function readMail(deps: ReceiveMailDeps, rawMailKey: string): Promise<ParsedMail | undefined> {
  try {
    return await deps.mailParser.parse(await deps.rawMail.open(rawMailKey), mailLimits(deps.config));
  } catch (e) {
    if (e instanceof MalformedMailError) return undefined;
    throw e;
  }
}

/** A mail that creates nothing is recorded once, with its reason; a redelivery of it is a duplicate. */
async function recordNotProcessed(deps: ReceiveMailDeps, incoming: IncomingDelivery, outcome: NotProcessed, key?: string): Promise<ReceiveOutcome> {
  if (!(await deps.deliveries.record(unprocessedDelivery(incoming, outcome, key), deps.config.InboundDedupDays))) return duplicate(deps, outcome.status);
  deps.logger.info('Mail not processed', { status: outcome.status, reason: outcome.reason });
  deps.metrics.count(outcome.status === 'dropped' ? 'MailDropped' : outcome.status === 'rejected' ? 'MailRejected' : 'MailIgnored');
  return outcome.status;
}
