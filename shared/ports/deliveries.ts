/**
 * Inbound deliveries. Without multi-item transactions (the local peer has none), the delivery
 * item is the commit point: claimed with a lease before anything is written, every later write is
 * idempotent, and its status says how far a mail got (docs/data-model.md).
 */
import type { Article, Customer, Delivery, Ticket, TokenRecord } from '../domain/model.js';
import type { Page, PageRequest } from './paging.js';
import type { AlsoWrite } from './writes.js';

export type ClaimResult = { claimed: true } | { claimed: false; existing: Delivery };

export interface DeliveryRepository {
  get(key: string): Promise<Delivery | undefined>;
  /** Records a delivery that creates nothing (rejected, dropped, ignored). False if one was recorded already. */
  record(delivery: Delivery, ttlDays: number): Promise<boolean>;
  /**
   * Claims a new delivery, or takes over one whose lease ran out: `expected` names the status and
   * lease seen, so of two takers only one wins.
   */
  claim(delivery: Delivery, ttlDays: number, expected?: Pick<Delivery, 'status' | 'leaseUntil'>): Promise<ClaimResult>;
  /** Gives up a lease after a failure, so Lambda's retry can continue at once. */
  release(key: string, leaseUntil: string): Promise<void>;
  /** Notes a further SES copy of the same mail, so ops tools know its raw mail was handled. */
  addCopy(key: string, deliveryId: string): Promise<void>;
  /** Deliveries newest first (ops). */
  list(page?: PageRequest): Promise<Page<Delivery>>;
}

/** Thread reference found by a Message-ID the mail points at. */
export interface ThreadRef {
  messageId: string;
  ticketNumber: string;
  customerLogin: string;
}

export interface InboundLookup {
  deliveryKey: string;
  customerLogin: string;
  /** Ticket named in the subject, if any. */
  subjectTicketNumber?: string;
  /** Message-IDs from In-Reply-To and References, newest first. */
  referencedMessageIds: string[];
  inboundMessageId?: string;
}

export interface InboundSnapshot {
  delivery?: Delivery;
  customer?: Customer;
  subjectTicket?: Ticket;
  threadRefs: ThreadRef[];
  /** The inbound Message-ID is indexed already: this sender's mail arrived before. */
  knownMessage?: ThreadRef;
}

export interface InboundRecords {
  /** The delivery in its settled state (reply-pending or recorded). */
  delivery: Delivery;
  newCustomer?: Customer;
  /** A new ticket, already carrying its active token when a reply is due. */
  newTicket?: Ticket;
  article: Article;
  /** Index the inbound Message-ID so replies to it thread onto the ticket. */
  indexMessageId?: string;
}

/** The inbound path's own reads and batched writes: one request each, budgeted in docs/data-model.md. */
export interface InboundStore {
  /** One batched, strongly consistent read of everything a delivery needs to decide. */
  load(lookup: InboundLookup): Promise<InboundSnapshot>;
  /** Customer, ticket, article, Message-ID index and the settled delivery in one batch; keys are derived from the delivery. */
  writeRecords(records: InboundRecords, ttlDays: number, also?: AlsoWrite): Promise<void>;
  /**
   * Settles a delivery. After a reply: the delivery replied, the token sent and SES's Message-ID
   * indexed, in one batch with what rides along.
   */
  settle(delivery: Delivery, sentToken: TokenRecord | undefined, ttlDays: number, also?: AlsoWrite): Promise<void>;
}
