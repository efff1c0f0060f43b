/**
 * record-mail: the work done under a delivery's lease (steps 8–10 of receive-mail.ts), and the
 * resume of a reply that never went out (delivery-lease.ts).
 *
 *  7b. The mail's attachments into objects of their own (storeAttachments).
 *  8. Customer found or created; a reply is due unless the customer is disabled, the mail is a
 *     loop, or the sender's daily cap is reached (taken atomically, per delivery).
 *  9. A follow-up's ticket is updated; ticket (with its new link's pointer), article, Message-ID
 *     index, outbox events and the settled delivery are written in one batch (inbound-records.ts
 *     builds them); the events are published.
 * 10. The auto-reply goes to the customer's own address (issue-link); the delivery is marked
 *     replied in the same batch as the token. A failed reply is rethrown: the retry resumes it.
 */
import { attachmentKey, cleanContentType } from '../domain/files.js';
import { utcDay } from '../domain/mail-rules.js';
import type { Delivery, OutboundEvent, Ticket, TrailEntry } from '../domain/model.js';
import { RetryableError } from '../errors.js';
import type { InboundSnapshot } from '../ports/deliveries.js';
import type { ParsedMail } from '../ports/mail-parser.js';
import { updateFollowUp } from './follow-up-ticket.js';
import { autoReplyMail, customerFor, droppedReply, inboundArticleId, mailRecords, repliedDelivery, type DeliveryOrigin } from './inbound-records.js';
import { deliverLink, issueLink, mintLink, type RecordSent } from './issue-link.js';
import type { Step } from './lease.js';
import { publishEvents } from './publish-events.js';
import { mailLimits, type ReceiveMailDeps, type ReceiveOutcome } from './receive-mail.js';

const DAY_MS = 86_400_000;

export interface ClaimedMail {
  origin: DeliveryOrigin;
  mail: ParsedMail;
  snapshot: InboundSnapshot;
  claimed: Delivery;
  followUp?: Ticket;
  loop?: string;
}

export async function recordMail(deps: ReceiveMailDeps, r: ClaimedMail, step: Step): Promise<ReceiveOutcome> {
  const { config, clock, metrics, logger } = deps;
  const { mail, snapshot, claimed, followUp } = r;
  const sender = claimed.sender ?? '';
  const ticketNumber = claimed.ticketNumber ?? '';
  const now = clock.now();
  const nowIso = now.toISOString();

  step();
  const storedFiles = await storeAttachments(deps, r, ticketNumber);
  const customer = customerFor(snapshot.customer, claimed.customerLogin ?? sender, mail, config, nowIso);
  const isNewCustomer = !snapshot.customer;
  let noReplyReason = customer.disabled ? 'customer-disabled' : r.loop;
  if (!noReplyReason) {
    step();
    // Atomic per sender and day, and idempotent per delivery: 100 concurrent mails get exactly the cap.
    const day = utcDay(now);
    const taken = await deps.limits.take(`autoreply#${sender}#${day}`, claimed.key, config.AutoReplyDailyCapPerSender, new Date(Date.parse(`${day}T00:00:00Z`) + 2 * DAY_MS).toISOString());
    if (!taken) noReplyReason = 'daily-cap';
  }
  const minted = noReplyReason ? undefined : await mintLink(deps, now, { ticketNumber, customerLogin: customer.login, purpose: 'auto-reply' });

  let reopened = false;
  if (followUp) {
    step();
    reopened = await updateFollowUp(deps, followUp, customer.login, minted && { token: minted.active, code: minted.code.active }, mail.messageId, now);
  }

  const built = mailRecords({ origin: r.origin, mail, claimed, customer, isNewCustomer, followUp, reopened, minted, noReplyReason, messageIdKnown: Boolean(snapshot.knownMessage), storedFiles, now: nowIso });
  step();
  await deps.inbound.writeRecords(built.records, config.InboundDedupDays, { events: built.events });
  const published = await publishEvents(deps, built.events);

  if (isNewCustomer) metrics.count('CustomerCreated');
  metrics.count(followUp ? 'FollowUpRecorded' : 'TicketCreated');
  logger.info('Mail recorded', { ticketNumber, followUp: Boolean(followUp), newCustomer: isNewCustomer, noReplyReason });
  if (!minted) {
    if (published.length) await deps.outbox.remove(published);
    metrics.count('ReplySuppressed');
    return 'recorded';
  }
  step();
  const settled = built.records.delivery;
  const outcome = await deliverLink(deps, { minted, ticket: { number: ticketNumber, title: built.title }, customer, mail: autoReplyMail(settled), recordSent: markReplied(deps, settled, published) });
  if (!outcome.issued) throw failedReply(outcome);
  metrics.count('MailReplied');
  return 'replied';
}

/**
 * The mail's listed attachments, each into an object of its own (FILE_PREFIXES.attachments), in a
 * second streaming pass over the raw mail: a file never sits in memory whole, and only a mail that is
 * worked on costs the extra read. Keys derive from the delivery, so a retry overwrites what an
 * interrupted attempt stored. The indices stored; the article names their objects.
 */
async function storeAttachments(deps: ReceiveMailDeps, r: ClaimedMail, ticketNumber: string): Promise<Set<number>> {
  const stored = new Set<number>();
  const listed = r.mail.attachments;
  if (listed.length === 0) return stored;
  const articleId = inboundArticleId(r.origin, r.claimed.key);
  await deps.mailParser.attachments(await deps.rawMail.open(r.origin.rawMailKey), mailLimits(deps.config), async (index, bytes) => {
    const file = listed[index];
    if (!file) {
      for await (const _ of bytes); // not listed by the first pass: read past it, keep nothing
      return;
    }
    await deps.fileStore.put(attachmentKey(ticketNumber, articleId, index), bytes, { contentType: cleanContentType(file.contentType), size: file.size });
    stored.add(index);
  });
  deps.metrics.count('AttachmentsStored', stored.size);
  return stored;
}

/** A reply-pending delivery whose lease was taken again: a fresh link and the reply, or nothing when no longer due. */
export async function resumeReply(deps: ReceiveMailDeps, resumed: Delivery, step: Step): Promise<ReceiveOutcome> {
  const { config, logger, metrics } = deps;
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
    await deps.inbound.settle(droppedReply(resumed, outcome.reason), undefined, config.InboundDedupDays);
    return 'recorded';
  }
  metrics.count('MailReplied');
  return 'replied';
}

/** The reply went out: delivery replied, token sent, SES's Message-ID indexed, published events out of the outbox — one batch. */
function markReplied(deps: ReceiveMailDeps, delivery: Delivery, published: Pick<OutboundEvent, 'eventId' | 'at'>[]): RecordSent {
  return async (token, providerMessageId, trail: TrailEntry[]) => {
    await deps.inbound.settle(repliedDelivery(delivery, token.sentAt, providerMessageId), token, deps.config.InboundDedupDays, { trail, published });
  };
}

function failedReply(outcome: { reason: string; error?: Error }): Error {
  // Rethrown so Lambda retries; the retry resumes the reply-pending delivery with a fresh token.
  return outcome.error ?? new RetryableError(`Auto-reply not issued: ${outcome.reason}`);
}
