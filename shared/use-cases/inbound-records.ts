/**
 * The records an inbound mail writes, built from the decisions already taken (pure: no ports, no
 * clock, no randomness). Every key and id derives from the delivery, so a retry that builds them
 * again writes the same items. receive-mail.ts, record-mail.ts and delivery-lease.ts write them.
 *
 *  - the delivery in each of its states (docs/data-model.md draws them): not processed, claimed,
 *    settled after the records (reply-pending or recorded), replied, reply dropped;
 *  - the customer (found, or created by the add-on's convention), the new ticket, the article,
 *    the Message-ID to index, and the outbox events for the helpdesk;
 *  - the threading of the auto-reply.
 */
import { createHash } from 'node:crypto';
import { pickLanguage, type Config } from '../config.js';
import { attachmentKey } from '../domain/files.js';
import { sesDeliveryKey, type NotProcessed } from '../domain/inbound-classification.js';
import { titleFromSubject, withoutControls } from '../domain/mail-rules.js';
import type { Article, Customer, Delivery, OutboundEvent, Ticket } from '../domain/model.js';
import type { MintedToken } from '../domain/tokens.js';
import type { InboundRecords } from '../ports/deliveries.js';
import type { ParsedMail } from '../ports/mail-parser.js';
import type { LinkMail } from './issue-link.js';
import { customerRepliedEvent, ticketCreatedEvent, ticketReopenedEvent } from './publish-events.js';

/** Most Message-IDs a mail's references are read from and a delivery keeps for threading. */
export const MAX_REFERENCES = 20;
const SUBJECT_MAX_CHARS = 998;

/** Where a delivery came from: stable across SES's redeliveries, so everything derived from it is too. */
export interface DeliveryOrigin {
  deliveryId: string;
  receivedAt: string;
  rawMailKey: string;
}

export function unprocessedDelivery(origin: DeliveryOrigin, outcome: NotProcessed, key = sesDeliveryKey(origin.deliveryId)): Delivery {
  return { key, deliveryId: origin.deliveryId, status: outcome.status, reason: outcome.reason, sender: outcome.sender, rawMailKey: origin.rawMailKey, receivedAt: origin.receivedAt };
}

/** The claim records the ticket number, so a retry that takes it over never opens a second ticket. */
export function claimedDelivery(
  origin: DeliveryOrigin,
  c: { key: string; sender: string; customerLogin: string; ticketNumber: string; newTicket: boolean; leaseUntil: string; mail: Pick<ParsedMail, 'messageId' | 'references'> },
): Delivery {
  return {
    key: c.key,
    deliveryId: origin.deliveryId,
    status: 'processing',
    rawMailKey: origin.rawMailKey,
    receivedAt: origin.receivedAt,
    leaseUntil: c.leaseUntil,
    sender: c.sender,
    customerLogin: c.customerLogin,
    ticketNumber: c.ticketNumber,
    newTicket: c.newTicket,
    inboundMessageId: c.mail.messageId,
    references: c.mail.references.slice(-MAX_REFERENCES),
  };
}

/**
 * The customer the mail belongs to; a new one by the add-on's convention: login = customer id = email,
 * lower-cased, with the From display name (a portal reply shows it as the mail article does).
 */
export function customerFor(existing: Customer | undefined, login: string, mail: Pick<ParsedMail, 'header' | 'fromName'>, config: Config, now: string): Customer {
  const name = withoutControls(mail.fromName).trim();
  const declared = mail.header('content-language') ?? mail.header('accept-language');
  const language = pickLanguage(config, declared);
  return (
    existing ?? {
      login,
      customerId: login,
      email: login,
      language,
      // Only a language the mail named counts as the customer's own; a default gives way to a browser's.
      ...(declared !== undefined && pickLanguage(config, declared) === language && isOffered(config, declared) ? { languageDeclared: true } : {}),
      disabled: false,
      source: 'mail',
      failedLogins: 0,
      createdAt: now,
      ...(name ? { name } : {}),
    }
  );
}

export interface RecordsInput {
  origin: DeliveryOrigin;
  mail: ParsedMail;
  claimed: Delivery;
  customer: Customer;
  isNewCustomer: boolean;
  followUp?: Ticket;
  reopened: boolean;
  /** The link minted for the reply; none when no reply is due. */
  minted?: MintedToken;
  noReplyReason?: string;
  /** The mail's Message-ID is indexed already. */
  messageIdKnown: boolean;
  /** Indices of the attachments whose bytes were stored apart (record-mail.ts). */
  storedFiles?: ReadonlySet<number>;
  now: string;
}

/** The article of an inbound mail: its id derives from the delivery, so a retry writes the same item (and the same file keys). */
export function inboundArticleId(origin: Pick<DeliveryOrigin, 'receivedAt'>, deliveryKey: string): string {
  return `${origin.receivedAt}#${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 16)}`;
}

/** Customer, ticket, article, Message-ID index, the settled delivery and the events, as one batch. */
export function mailRecords(r: RecordsInput): { records: InboundRecords; events: OutboundEvent[]; title: string } {
  const { mail, claimed, customer, followUp, minted, now } = r;
  const ticketNumber = claimed.ticketNumber ?? '';
  const title = followUp?.title ?? titleFromSubject(mail.subject);
  const articleId = inboundArticleId(r.origin, claimed.key);
  const article: Article = {
    ticketNumber,
    articleId,
    direction: 'inbound',
    channel: 'mail',
    fromAddress: claimed.sender ?? '',
    fromName: mail.fromName,
    subject: mail.subject.slice(0, SUBJECT_MAX_CHARS),
    text: mail.text,
    textTruncated: mail.textTruncated,
    // The files whose bytes were stored apart name their object; the raw mail holds them all.
    attachments: mail.attachments.map((a, i) => (r.storedFiles?.has(i) ? { ...a, key: attachmentKey(ticketNumber, articleId, i) } : a)),
    ...(mail.attachmentsOmitted ? { attachmentsOmitted: mail.attachmentsOmitted } : {}),
    rawMailKey: r.origin.rawMailKey,
    messageId: mail.messageId,
    createdAt: r.origin.receivedAt,
  };
  const newTicket: Ticket | undefined = followUp
    ? undefined
    : {
        number: ticketNumber,
        customerLogin: customer.login,
        title,
        state: 'new',
        createdAt: now,
        updatedAt: now,
        autoCreatedCustomer: r.isNewCustomer,
        language: customer.language,
        ...(customer.languageDeclared ? { languageDeclared: true } : {}),
        ...(minted ? { activeToken: minted.active, activeCode: minted.code.active } : {}),
        ...(mail.messageId ? { firstMessageId: mail.messageId, lastMessageId: mail.messageId } : {}),
      };
  const events: OutboundEvent[] = followUp
    ? [customerRepliedEvent(`${claimed.key}:replied`, followUp, customer, article, now), ...(r.reopened ? [ticketReopenedEvent(`${claimed.key}:reopened`, followUp, customer, 'mail', now)] : [])]
    : newTicket
      ? [ticketCreatedEvent(`${claimed.key}:created`, newTicket, customer, article, now)]
      : [];
  // A pending reply keeps the lease: a concurrent duplicate must not send it a second time.
  const settled: Delivery = { ...claimed, status: minted ? 'reply-pending' : 'recorded', reason: r.noReplyReason, leaseUntil: minted ? claimed.leaseUntil : undefined };
  const records: InboundRecords = {
    delivery: settled,
    newCustomer: r.isNewCustomer ? customer : undefined,
    newTicket,
    article,
    indexMessageId: mail.messageId && !r.messageIdKnown ? mail.messageId : undefined,
  };
  return { records, events, title };
}

/** The mail's language tag names one of the offered languages (not the default standing in for it). */
function isOffered(config: Config, tag: string): boolean {
  return (config.Languages as string[]).includes((tag.toLowerCase().split(/[-_,;\s]/)[0] ?? ''));
}

export function repliedDelivery(delivery: Delivery, repliedAt: string, providerMessageId: string): Delivery {
  return { ...delivery, status: 'replied', leaseUntil: undefined, repliedAt, providerMessageId };
}

/** A pending reply that is no longer due (the ticket closed or the customer was disabled meanwhile). */
export function droppedReply(delivery: Delivery, reason: string): Delivery {
  return { ...delivery, status: 'recorded', reason: `reply-dropped:${reason}`, leaseUntil: undefined };
}

/** The auto-reply threads onto the inbound mail: In-Reply-To it, References up to it. */
export function autoReplyMail(delivery: Pick<Delivery, 'inboundMessageId' | 'references'>): LinkMail {
  const inReplyTo = delivery.inboundMessageId;
  const references = delivery.references ?? [];
  return { template: 'AutoReply', inReplyTo, references: inReplyTo ? [...references, inReplyTo].slice(-MAX_REFERENCES) : references };
}
