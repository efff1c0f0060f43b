/** The domain's records, independent of how they are stored. Times are ISO-8601 strings (UTC). */
import type { Language } from '../config.js';

export type TicketState = 'new' | 'open' | 'pending' | 'closed' | 'merged' | 'removed';
/** States in which a ticket counts as closed for AccessDaysAfterClose and the sweep. */
export const CLOSED_STATES: readonly TicketState[] = ['closed', 'merged', 'removed'];

export interface Customer {
  /** login = customer id = email, lower-cased (the add-on's convention). */
  login: string;
  customerId: string;
  email: string;
  language: Language;
  disabled: boolean;
  /** Where the customer came from: an inbound mail or an operator. */
  source: 'mail' | 'ops';
  failedLogins: number;
  createdAt: string;
}

export interface Ticket {
  number: string;
  customerLogin: string;
  title: string;
  state: TicketState;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** Hash of the one token that may still open this ticket (§3.2: at most one active). */
  activeTokenHash?: string;
  activeTokenExpiresAt?: string;
  /** Marks tickets of customers created automatically (the add-on's SetCheckBoxName). */
  autoCreatedCustomer: boolean;
}

export interface AttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
}

export interface Article {
  ticketNumber: string;
  /** Sortable id: <createdAt>#<random>; unique within the ticket. */
  articleId: string;
  direction: 'inbound' | 'outbound';
  fromAddress: string;
  fromName: string;
  subject: string;
  text: string;
  textTruncated: boolean;
  attachments: AttachmentInfo[];
  /** S3 key of the raw MIME for inbound mail. */
  rawMailKey?: string;
  /** RFC 5322 Message-ID, angle brackets stripped, lower-cased. */
  messageId?: string;
  createdAt: string;
}

/**
 * A token is active while its ticket's activeTokenHash names it and it has not expired;
 * minting a newer one moves that pointer, which supersedes every older token at once.
 */
export interface TokenRecord {
  /** SHA-256 of the raw token, base64url. The raw token is never stored. */
  hash: string;
  ticketNumber: string;
  customerLogin: string;
  usedAt?: string;
  /** Set once the mail carrying it was accepted by SES: an unsent active token never blocks a refresh. */
  sentAt?: string;
  purpose: 'auto-reply' | 'agent-reply' | 'refresh' | 'ops';
  createdAt: string;
  expiresAt: string;
}

/** What happened to one SES delivery; the key is the SES messageId (duplicate detection). */
export type DeliveryStatus =
  | 'dropped' // virus
  | 'rejected' // spam / DMARC / SPF / DKIM verdict
  | 'ignored' // automated sender, invalid sender, malformed mail
  | 'processing' // claimed by an invocation until leaseUntil
  | 'recorded' // article stored, no reply meant (loop, cap, disabled customer)
  | 'reply-pending' // article stored, reply not yet confirmed sent: a retry resumes here
  | 'replied';

export interface Delivery {
  deliveryId: string;
  status: DeliveryStatus;
  reason?: string;
  sender?: string;
  customerLogin?: string;
  ticketNumber?: string;
  /** The ticket number was allocated for this delivery (not a follow-up). */
  newTicket?: boolean;
  leaseUntil?: string;
  providerMessageId?: string;
  rawMailKey: string;
  /** Message-ID of the inbound mail, to thread the auto-reply. */
  inboundMessageId?: string;
  references?: string[];
  receivedAt: string;
  repliedAt?: string;
}
