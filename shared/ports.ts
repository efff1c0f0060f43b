/** Ports: what the use cases need from the outside world. Adapters live in adapters/. */
import type { Article, Customer, Delivery, Ticket, TokenRecord } from './domain/model.js';

export interface Clock {
  now(): Date;
}

export interface Random {
  bytes(n: number): Buffer;
}

export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown> | Error): void;
}

/** One metric per outcome; names are PascalCase nouns (MailReplied, CustomerCreated…). */
export interface Metrics {
  count(name: string, value?: number): void;
}

export interface RawMailStore {
  /** Raw MIME bytes; throws RawMailMissingError when the object does not exist. */
  get(key: string): Promise<Uint8Array>;
}

export interface OutboundMail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string;
  inReplyTo?: string;
  references?: string[];
}

export interface Mailer {
  /** Sends to exactly `to`; resolves with the provider's message id. */
  send(mail: OutboundMail): Promise<{ messageId: string }>;
}

/** Thread reference found by a Message-ID the mail points at. */
export interface ThreadRef {
  messageId: string;
  ticketNumber: string;
  customerLogin: string;
}

export interface InboundSnapshot {
  delivery?: Delivery;
  customer?: Customer;
  /** Ticket named in the subject, if it exists. */
  subjectTicket?: Ticket;
  threadRefs: ThreadRef[];
  /** The inbound Message-ID is already indexed: the same mail arrived before under another SES id. */
  knownMessage?: ThreadRef;
  autoRepliesToday: number;
}

export interface InboundLookup {
  deliveryId: string;
  customerLogin: string;
  subjectTicketNumber?: string;
  /** Message-IDs from In-Reply-To and References, newest first. */
  referencedMessageIds: string[];
  inboundMessageId?: string;
  autoReplyDay: string;
  sender: string;
}

export interface FollowUpUpdate {
  ticketNumber: string;
  customerLogin: string;
  /** Active token hash seen when reading; the update fails if another writer moved it since. */
  previousTokenHash?: string;
  token?: { hash: string; expiresAt: string };
  reopen: boolean;
  updatedAt: string;
}

export interface InboundRecords {
  /** The delivery in its settled state (reply-pending or recorded). */
  delivery: Delivery;
  newCustomer?: Customer;
  /** A new ticket, already carrying the active token if one is minted. */
  newTicket?: Ticket;
  article: Article;
  /** Index the inbound Message-ID so replies to it thread onto the ticket. */
  indexMessageId?: string;
  token?: TokenRecord;
  /** Today's auto-reply count for the sender after this reply. */
  autoReplyCount?: { sender: string; day: string; count: number };
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: Delivery };
export type UpdateResult = 'updated' | 'conflict' | 'missing';

/**
 * DynamoDB side of the inbound path. Without multi-item transactions (the local peer has none),
 * the delivery item is the commit point: claimed with a lease before anything is written,
 * every later write is idempotent, and its status says how far a delivery got.
 */
export interface InboundStore {
  load(lookup: InboundLookup): Promise<InboundSnapshot>;
  nextTicketNumber(now: Date): Promise<string>;
  getTicket(number: string): Promise<Ticket | undefined>;
  getCustomer(login: string): Promise<Customer | undefined>;
  /** Records a delivery that creates nothing (rejected, dropped, ignored). False if already recorded. */
  recordDelivery(delivery: Delivery, ttlDays: number): Promise<boolean>;
  /**
   * Claims a new delivery, or takes over one whose lease ran out: `expected` names the status
   * and lease seen, so of two takers only one wins.
   */
  claimDelivery(delivery: Delivery, ttlDays: number, expected?: Pick<Delivery, 'status' | 'leaseUntil'>): Promise<ClaimResult>;
  /** Gives up a lease after a failure, so Lambda's retry can continue at once. */
  releaseDelivery(deliveryId: string, leaseUntil: string): Promise<void>;
  /** Writes the delivery's items; all keys are deterministic, so a retry rewrites the same items. */
  writeRecords(records: InboundRecords, ttlDays: number): Promise<void>;
  updateFollowUpTicket(update: FollowUpUpdate): Promise<UpdateResult>;
  /** Stores a token and makes it the ticket's only active one (older ones are superseded). */
  activateToken(token: TokenRecord, previousTokenHash: string | undefined): Promise<UpdateResult>;
  /** Marks the delivery replied and the token it carried as sent, in one request. */
  markReplied(delivery: Delivery, providerMessageId: string, sentToken: TokenRecord, ttlDays: number): Promise<void>;
}
